//! The importer on small metadata snippets: expected spec JSON, the report, determinism.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::convert::{Overlay, REPORT_FILE, SHAPES_FILE, convert};
use super::metadata::Metadata;
use super::report::Finding;
use super::{ImportError, parse, run};

/// Metadata text (parsed from text, so member order is the text's order).
fn meta(text: &str) -> Metadata {
    parse(Path::new("test.json"), text.as_bytes()).expect("test metadata parses")
}

/// Wraps `apis` (and optionally schemas and directories) into a metadata document.
fn doc(apis: Value, schemas: Value, directories: Value) -> String {
    serde_json::to_string(&json!({
        "version": "1.0",
        "info": { "style": "ROA", "product": "CS", "version": "2015-12-15" },
        "directories": directories,
        "components": { "schemas": schemas },
        "apis": apis,
    }))
    .unwrap()
}

fn converted(text: &str) -> super::Converted {
    convert(&meta(text), &Overlay::default(), "test.json").expect("converts")
}

fn file(c: &super::Converted, name: &str) -> Value {
    serde_json::from_str(&c.files[name]).expect("output is JSON")
}

/// Every file written parses with the generator's own types.
fn assert_loadable(c: &super::Converted) {
    for (name, text) in &c.files {
        let path = PathBuf::from(name);
        if name == SHAPES_FILE {
            crate::load::parse_text::<crate::spec::ShapesFile>(&path, text)
                .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        } else if name.ends_with(".json") {
            crate::load::parse_text::<crate::spec::OperationFile>(&path, text)
                .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        }
    }
}

const GET_OPERATION: &str = r##"{
  "info": { "style": "ROA", "product": "CS", "version": "2015-12-15" },
  "directories": [ { "id": 1, "title": "集群", "type": "directory", "children": ["DescribeThings"] } ],
  "components": { "schemas": {
    "tag": { "type": "object", "description": "标签。", "properties": {
      "key": { "type": "string", "description": "标签键。" },
      "value": { "type": "string", "title": "标签值。" } } } } },
  "apis": { "DescribeThings": {
    "summary": "查询东西。",
    "title": "查询",
    "path": "/clusters/{ClusterId}/things",
    "methods": ["get"],
    "deprecated": false,
    "systemTags": { "operationType": "get" },
    "parameters": [
      { "name": "ClusterId", "in": "path",
        "schema": { "description": "集群ID。", "type": "string", "required": true, "docRequired": true, "example": "c1****" } },
      { "name": "pageSize", "in": "query",
        "schema": { "description": "每页数量。", "type": "integer", "format": "int32", "maximum": "100", "minimum": "1", "default": "10", "example": "10" } },
      { "name": "state", "in": "query",
        "schema": { "description": " 状态。 ", "type": "string", "enum": ["running", "failed"], "default": "running" } },
      { "name": "tags", "in": "query", "style": "json",
        "schema": { "description": "标签。", "type": "array", "maxItems": 20, "items": { "$ref": "#/components/schemas/tag" } } }
    ],
    "responses": {
      "200": { "schema": { "type": "object", "properties": {
        "RequestId": { "description": "请求ID。", "type": "string" },
        "things": { "description": "东西。", "type": "array", "items": { "type": "object", "description": "一个东西。", "properties": {
          "size": { "type": "integer", "format": "int64", "description": "大小。", "example": "5" } } } }
      } } },
      "5XX": {}
    }
  } }
}"##;

const GET_OPERATION_EXPECTED: &str = r#"{
  "$schema": "../../schema/operation.schema.json",
  "format_version": 1,
  "name": "DescribeThings",
  "group": "clusters",
  "documentation": "查询东西。",
  "source": "Alibaba's CS 2015-12-15 API metadata, DescribeThings (GET /clusters/{ClusterId}/things)",
  "http": {
    "method": "GET",
    "path": "/clusters/{ClusterId}/things"
  },
  "idempotent": true,
  "input": {
    "members": {
      "cluster_id": {
        "type": "string",
        "wire_name": "ClusterId",
        "binding": "path",
        "required": true,
        "documentation": "集群ID。",
        "example": "c1****"
      },
      "page_size": {
        "type": "integer",
        "wire_name": "pageSize",
        "binding": "query",
        "default": 10,
        "documentation": "每页数量。",
        "example": "10",
        "constraints": {
          "range": {
            "min": 1,
            "max": 100,
            "source": "API metadata"
          }
        }
      },
      "state": {
        "type": "string",
        "binding": "query",
        "default": "running",
        "documentation": "状态。",
        "constraints": {
          "allowed_values": {
            "values": [
              "running",
              "failed"
            ],
            "source": "API metadata"
          }
        }
      },
      "tags": {
        "type": "list",
        "items": {
          "type": "Tag"
        },
        "binding": "query",
        "documentation": "标签。",
        "constraints": {
          "items": {
            "max": 20,
            "source": "API metadata"
          }
        }
      }
    }
  },
  "output": {
    "members": {
      "request_id": {
        "type": "string",
        "wire_name": "RequestId",
        "documentation": "请求ID。"
      },
      "things": {
        "type": "list",
        "items": {
          "type": "DescribeThingsResponseThings"
        },
        "documentation": "东西。"
      }
    }
  },
  "shapes": {
    "DescribeThingsResponseThings": {
      "type": "structure",
      "documentation": "一个东西。",
      "members": {
        "size": {
          "type": "long",
          "documentation": "大小。",
          "example": "5"
        }
      }
    }
  }
}
"#;

#[test]
fn get_operation_with_path_query_and_nested_response() {
    let c = converted(GET_OPERATION);
    assert_eq!(c.files["DescribeThings.json"], GET_OPERATION_EXPECTED);
    assert_eq!(
        file(&c, SHAPES_FILE),
        json!({
            "$schema": "../../schema/shapes.schema.json",
            "format_version": 1,
            "shapes": { "Tag": { "type": "structure", "documentation": "标签。", "members": {
                "key": { "type": "string", "documentation": "标签键。" },
                "value": { "type": "string", "documentation": "标签值。" } } } }
        })
    );
    assert_eq!(c.report.operations, 1);
    assert_eq!(c.report.component_shapes, 1);
    assert_eq!(c.report.inline_shapes, 1);
    // 4 request, 2 response, 1 in the inline shape, 2 in Tag.
    assert_eq!(c.report.members, 9);
    assert_eq!(c.report.unmapped(), 0);
    assert!(c.report.findings.is_empty(), "{:?}", c.report.findings);
    assert_eq!(c.report.ignored["docRequired"].0, 1);
    assert_eq!(c.report.ignored["systemTags"].0, 1);
    assert_eq!(c.report.ignored["responses.5XX"].0, 1);
    assert_loadable(&c);
}

#[test]
fn output_is_deterministic_and_key_order_follows_the_metadata() {
    let a = converted(GET_OPERATION);
    let b = converted(GET_OPERATION);
    assert_eq!(a.files, b.files);
    let text = &a.files["DescribeThings.json"];
    let order: Vec<usize> = ["\"cluster_id\"", "\"page_size\"", "\"state\"", "\"tags\""]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    assert!(a.files[REPORT_FILE].starts_with("# Import report: CS 2015-12-15"));
}

#[test]
fn array_bodies_become_payload_members() {
    let apis = json!({
        "InstallThings": {
            "summary": "安装。",
            "path": "/clusters/{ClusterId}/install",
            "methods": ["post"],
            "parameters": [
                { "name": "ClusterId", "in": "path", "schema": { "type": "string", "required": true } },
                { "name": "body", "in": "body", "style": "json", "schema": {
                    "description": "请求体。", "type": "array", "required": false,
                    "items": { "type": "object", "properties": { "name": { "type": "string", "required": true, "description": "名称。" } } } } }
            ],
            "responses": { "200": { "schema": { "type": "array", "items": { "type": "string" } } } }
        },
        "ListThings": {
            "summary": "列出。",
            "path": "/things",
            "methods": ["get"],
            "parameters": [],
            "responses": { "200": { "schema": { "type": "object", "additionalProperties": {
                "type": "object", "properties": { "v": { "type": "boolean", "description": "版本。" } } } } } }
        },
        "Script": {
            "summary": "脚本。",
            "path": "/script",
            "methods": ["post"],
            "parameters": [],
            "responses": { "200": { "schema": { "type": "string", "description": "脚本。" } } }
        }
    });
    let c = converted(&doc(
        apis,
        json!({}),
        json!(["InstallThings", "ListThings", "Script"]),
    ));
    let install = file(&c, "InstallThings.json");
    assert_eq!(
        install["http"],
        json!({ "method": "POST", "path": "/clusters/{ClusterId}/install" })
    );
    assert_eq!(install["idempotent"], json!(false));
    assert!(
        install["outcome_check"]
            .as_str()
            .unwrap()
            .contains("Before sending it again")
    );
    assert_eq!(
        install["input"]["members"]["body"],
        json!({ "type": "list", "items": { "type": "InstallThingsRequestBody" }, "binding": "payload", "documentation": "请求体。" })
    );
    assert_eq!(
        install["shapes"]["InstallThingsRequestBody"]["members"]["name"],
        json!({ "type": "string", "required": true, "documentation": "名称。" })
    );
    assert_eq!(
        install["output"]["members"]["body"],
        json!({ "type": "list", "items": { "type": "string" }, "binding": "payload", "documentation": "(no description in the metadata)" })
    );
    let list = file(&c, "ListThings.json");
    assert_eq!(list["output"]["members"]["body"]["type"], "map");
    assert_eq!(
        list["output"]["members"]["body"]["values"]["type"],
        "ListThingsResponseBody"
    );
    assert_eq!(list["group"], "others");
    // A POST without a body parameter sends none; a string root is a json payload.
    let script = file(&c, "Script.json");
    assert_eq!(script["http"]["body"], "none");
    assert_eq!(script["output"]["members"]["body"]["type"], "json");
    assert_eq!(script["output"]["members"]["body"]["binding"], "payload");
    assert_eq!(c.report.findings[&Finding::StringPayload].len(), 1);
    assert_eq!(c.report.payloads.len(), 4);
    assert_loadable(&c);
}

#[test]
fn shapes_refs_maps_and_free_form_objects() {
    let schemas = json!({
        "data_disk": { "type": "object", "description": "数据盘。", "properties": {
            "size": { "type": "integer", "format": "int64", "description": "大小。" },
            "snapshot": { "type": "object", "properties": { "id": { "type": "string", "description": "ID。" } } },
            "labels": { "type": "object", "additionalProperties": { "type": "string" }, "description": "标签。" },
            "extra": { "type": "object", "description": "其他。" },
            "anything": { "type": "any", "description": "任意。" },
            "ratio": { "type": "number", "format": "float", "description": "比例。" }
        } }
    });
    let apis = json!({ "CreateThing": {
        "summary": "创建。",
        "path": "/things",
        "methods": ["post"],
        "parameters": [{ "name": "body", "in": "body", "schema": { "type": "object", "properties": {
            "disks": { "type": "array", "items": { "$ref": "#/components/schemas/data_disk" } },
            "disk": { "$ref": "#/components/schemas/data_disk", "required": true },
            "worker_data_disks": { "type": "array", "items": { "type": "object", "properties": {
                "category": { "type": "string", "description": "类型。" } } } }
        } } }],
        "responses": { "200": {} }
    } });
    let c = converted(&doc(
        apis,
        schemas,
        json!([{ "title": "节点池", "children": ["CreateThing"] }]),
    ));
    let shapes = file(&c, SHAPES_FILE)["shapes"].clone();
    assert_eq!(
        shapes["DataDisk"]["members"],
        json!({
            "size": { "type": "long", "documentation": "大小。" },
            "snapshot": { "type": "DataDiskSnapshot", "documentation": "(no description in the metadata)" },
            "labels": { "type": "map", "values": { "type": "string" }, "documentation": "标签。" },
            "extra": { "type": "json", "documentation": "其他。" },
            "anything": { "type": "json", "documentation": "任意。" },
            "ratio": { "type": "double", "documentation": "比例。" }
        })
    );
    assert!(shapes.get("DataDiskSnapshot").is_some());
    let op = file(&c, "CreateThing.json");
    assert_eq!(op["group"], "node_pools");
    assert!(op["http"].get("body").is_none());
    let members = &op["input"]["members"];
    assert_eq!(members["disks"]["items"]["type"], "DataDisk");
    // A `$ref` member without a description documents itself with the shape's.
    assert_eq!(
        members["disk"],
        json!({ "type": "DataDisk", "required": true, "documentation": "数据盘。" })
    );
    assert_eq!(
        members["worker_data_disks"]["items"]["type"],
        "CreateThingRequestWorkerDataDisks"
    );
    assert!(
        op["shapes"]
            .get("CreateThingRequestWorkerDataDisks")
            .is_some()
    );
    assert_eq!(op["output"], json!({ "members": {} }));
    assert_loadable(&c);
}

#[test]
fn keys_constraints_defaults_and_documentation() {
    let apis = json!({ "DoThing": {
        "summary": "做。",
        "description": "细节：\n```\n{\"a\": 1}\n```",
        "path": "/things/{cluster_id}",
        "methods": ["put", "post"],
        "deprecated": true,
        "parameters": [
            { "name": "body", "in": "body", "style": "flat", "schema": { "type": "object", "properties": {
                "cluster_id": { "type": "string", "description": "体内的集群ID。" },
                "self": { "type": "string", "description": "自身。" },
                "1st": { "type": "boolean", "default": "maybe", "description": "第一。" },
                "RequestId": { "type": "string" },
                "request_id": { "type": "string", "deprecated": true },
                "code": { "type": "string", "pattern": "^[a-z]+$", "maxLength": 8, "minLength": "2" },
                "bad": { "type": "string", "pattern": "(?<=a)b" },
                "level": { "type": "string", "enumValueTitles": { "low": "低", "high": "high" }, "enum": [] },
                "count": { "type": "integer", "format": "int32", "default": "5", "enum": ["1", "2"], "maxLength": 3 },
                "login_password": { "type": "string", "description": "密码。" }
            } } },
            { "name": "cluster_id", "in": "path", "schema": { "type": "string" } }
        ],
        "responses": { "202": { "schema": { "type": "object", "properties": { "ok": { "type": "boolean" } } } } }
    } });
    let c = converted(&doc(
        apis,
        json!({}),
        json!([{ "title": "废弃", "children": ["DoThing"] }]),
    ));
    let op = file(&c, "DoThing.json");
    assert_eq!(
        op["http"],
        json!({ "method": "PUT", "path": "/things/{cluster_id}" })
    );
    assert_eq!(op["group"], "deprecated");
    assert_eq!(
        op["deprecated"],
        json!({ "message": "Deprecated in the API metadata." })
    );
    assert_eq!(
        op["documentation"],
        "做。\n\n细节：\n```text\n{\"a\": 1}\n```"
    );
    let m = &op["input"]["members"];
    let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = vec![
        "body_cluster_id",
        "self_field",
        "n1st",
        "request_id",
        "request_id_2",
        "code",
        "bad",
        "level",
        "count",
        "login_password",
        "cluster_id",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(m["body_cluster_id"]["wire_name"], "cluster_id");
    assert_eq!(m["cluster_id"]["binding"], "path");
    assert_eq!(m["cluster_id"]["required"], true);
    assert_eq!(m["self_field"]["wire_name"], "self");
    assert_eq!(m["n1st"]["wire_name"], "1st");
    assert!(m["n1st"].get("default").is_none());
    assert_eq!(m["request_id_2"]["wire_name"], "request_id");
    assert_eq!(
        m["request_id_2"]["deprecated"],
        json!({ "message": "Deprecated in the API metadata." })
    );
    assert_eq!(
        m["code"]["constraints"],
        json!({
            "length": { "min": 2, "max": 8, "source": "API metadata" },
            "pattern": { "regex": "^[a-z]+$", "description": "a match of the pattern `^[a-z]+$`", "source": "API metadata" }
        })
    );
    assert!(m["bad"].get("constraints").is_none());
    assert_eq!(
        m["level"]["documentation"],
        "(no description in the metadata)\n\nValues listed by the API metadata:\n\n- `high`\n- `low`: 低"
    );
    assert_eq!(
        m["count"]["constraints"],
        json!({ "allowed_values": { "values": [1, 2], "source": "API metadata" } })
    );
    assert!(
        m["count"].get("default").is_none(),
        "5 is not an allowed value"
    );
    assert_eq!(m["login_password"]["sensitive"], true);
    assert_eq!(op["output"]["members"]["ok"]["type"], "boolean");

    let f = &c.report.findings;
    assert_eq!(f[&Finding::FlatBody].len(), 1);
    assert_eq!(f[&Finding::SeveralMethods].len(), 1);
    assert_eq!(f[&Finding::SanitizedKey].len(), 2);
    assert_eq!(f[&Finding::RenamedKey].len(), 2);
    assert_eq!(f[&Finding::DroppedPattern].len(), 1);
    assert_eq!(f[&Finding::DroppedDefault].len(), 2);
    assert_eq!(
        f[&Finding::DroppedConstraint].len(),
        1,
        "maxLength on an integer"
    );
    assert_eq!(f[&Finding::EmptyEnum].len(), 1);
    assert_eq!(f[&Finding::EnumTitlesAsDocs].len(), 1);
    assert_eq!(f[&Finding::CodeFence].len(), 1);
    assert_eq!(f[&Finding::Sensitive].len(), 1);
    assert!(
        !f.contains_key(&Finding::RetiredDirectory),
        "deprecated by itself"
    );
    assert_eq!(c.report.unmapped(), 0);
    let report = &c.files[REPORT_FILE];
    assert!(report.contains("`DoThing` request `self`: `self` → `self_field`"));
    assert_loadable(&c);
}

#[test]
fn retired_directory_and_unlisted_operations() {
    let api = json!({ "summary": "旧。", "path": "/old", "methods": ["get"], "parameters": [], "responses": {} });
    let apis = json!({ "Old": api, "Lost": api });
    let c = converted(&doc(
        apis,
        json!({}),
        json!([{ "title": "废弃", "children": ["Old"] }]),
    ));
    let old = file(&c, "Old.json");
    assert_eq!(
        old["deprecated"]["message"],
        "Listed as deprecated (废弃) in the API metadata."
    );
    let lost = file(&c, "Lost.json");
    assert!(lost.get("group").is_none());
    assert_eq!(c.report.findings[&Finding::NoGroup].len(), 1);
    assert_eq!(c.report.findings[&Finding::RetiredDirectory].len(), 1);
}

#[test]
fn an_unknown_directory_stops_the_import() {
    let apis = json!({ "X": { "path": "/x", "methods": ["get"] } });
    let text = doc(
        apis,
        json!({}),
        json!([{ "title": "新目录", "children": ["X"] }]),
    );
    let err = convert(&meta(&text), &Overlay::default(), "t").unwrap_err();
    assert!(
        matches!(err, ImportError::Metadata(ref m) if m.contains("新目录")),
        "{err}"
    );
}

#[test]
fn inline_names_avoid_hand_written_and_generated_names() {
    let apis = json!({
        "Get": { "summary": "取。", "path": "/x", "methods": ["get"], "responses": { "200": { "schema": {
            "type": "object", "properties": {
                "item": { "type": "object", "properties": { "a": { "type": "string" } } },
                "Item": { "type": "object", "properties": { "b": { "type": "string" } } }
            } } } } },
        "GetResponseItemX": { "path": "/y", "methods": ["get"] }
    });
    let overlay = Overlay {
        operations: ["Get".to_owned()].into(),
        shapes: ["GetResponseItem".to_owned()].into(),
    };
    let c = convert(
        &meta(&doc(apis, json!({}), json!(["Get", "GetResponseItemX"]))),
        &overlay,
        "t",
    )
    .unwrap();
    let op = file(&c, "Get.json");
    assert_eq!(op["output"]["members"]["item"]["type"], "GetResponseItem2");
    assert_eq!(
        op["output"]["members"]["item_2"]["type"],
        "GetResponseItem3"
    );
    assert_eq!(c.report.overlay_operations, vec!["Get".to_owned()]);
    assert_eq!(c.report.findings[&Finding::RenamedShape].len(), 2);
}

#[test]
fn alike_inline_structures_of_several_operations_become_one_shared_shape() {
    // `config` (with its nested `policy`) is alike in all three, up to documentation and
    // examples; the list operation's `limits` has another constraint, so it stays inline.
    let config = |doc: &str, example: &str, max: u64| {
        json!({ "type": "object", "description": doc, "properties": {
            "enabled": { "type": "boolean", "description": doc, "example": example },
            "limits": { "type": "array", "maxItems": max, "items": { "type": "string" } },
            "policy": { "type": "object", "properties": { "mode": { "type": "string", "enum": ["a", "b"] } } }
        } })
    };
    let get = |config: Value| {
        json!({ "summary": "取。", "path": "/x", "methods": ["get"], "responses": { "200": { "schema": {
            "type": "object", "properties": { "config": config } } } } })
    };
    let apis = json!({
        "CreatePool": { "summary": "建。", "path": "/p", "methods": ["post"], "parameters": [
            { "name": "body", "in": "body", "schema": { "type": "object", "properties": {
                "config": config("配置。", "true", 5) } } } ] },
        "DescribePool": get(config("配置，", "false", 5)),
        "ListPools": get(config("配置。", "true", 9)),
    });
    let c = converted(&doc(
        apis,
        json!({}),
        json!(["CreatePool", "DescribePool", "ListPools"]),
    ));
    assert_loadable(&c);
    let shapes = file(&c, SHAPES_FILE);
    let shared = &shapes["shapes"]["Config"];
    assert_eq!(
        shared["documentation"], "配置。",
        "the first declaration's text"
    );
    assert_eq!(shared["members"]["policy"]["type"], "ConfigPolicy");
    assert_eq!(
        shapes["shapes"]["ConfigPolicy"]["members"]["mode"]["type"],
        "string"
    );

    let create = file(&c, "CreatePool.json");
    assert_eq!(create["input"]["members"]["config"]["type"], "Config");
    assert!(create.get("shapes").is_none(), "{create}");
    let describe = file(&c, "DescribePool.json");
    assert_eq!(describe["output"]["members"]["config"]["type"], "Config");
    let list = file(&c, "ListPools.json");
    assert_eq!(
        list["output"]["members"]["config"]["type"],
        "ListPoolsResponseConfig"
    );
    // Its nested `policy` is alike, so the list operation uses the shared one.
    assert_eq!(
        list["shapes"]["ListPoolsResponseConfig"]["members"]["policy"]["type"],
        "ConfigPolicy"
    );
    assert!(
        list["shapes"]
            .get("ListPoolsResponseConfigPolicy")
            .is_none()
    );

    let merges = &c.report.findings[&Finding::MergedShapes];
    assert_eq!(merges.len(), 2, "{merges:?}");
    assert!(merges.contains("`Config` ← `CreatePoolRequestConfig`, `DescribePoolResponseConfig`"));
    assert_eq!(c.report.merged_shapes, 2);
    assert_eq!(c.report.inline_shapes, 1);
}

/// A scratch folder under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("acs-import-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn run_writes_the_folder_copies_the_metadata_and_is_idempotent() {
    let scratch = Scratch::new("run");
    let spec = scratch.0.join("api-spec");
    let service = spec.join("cs-2015-12-15");
    fs::create_dir_all(service.join("imported")).unwrap();
    fs::write(service.join("service.json"), r#"{"shapes": {"Tag": {}}}"#).unwrap();
    fs::write(
        service.join("DescribeThings.json"),
        r#"{"name": "DescribeThings"}"#,
    )
    .unwrap();
    fs::write(service.join("imported/Stale.json"), "{}").unwrap();
    let source = scratch.0.join("api-docs.json");
    fs::write(&source, GET_OPERATION).unwrap();

    let first = run(&source, &spec).unwrap();
    assert!(first.metadata_copied);
    assert_eq!(
        fs::read(service.join("metadata/cs-2015-12-15-api-docs.json")).unwrap(),
        GET_OPERATION.as_bytes()
    );
    assert_eq!(first.written.len(), 3);
    assert_eq!(first.removed, vec![service.join("imported/Stale.json")]);
    assert_eq!(
        fs::read_to_string(service.join("imported/DescribeThings.json")).unwrap(),
        GET_OPERATION_EXPECTED
    );
    assert!(first.report.contains("- operations: DescribeThings"));
    assert!(first.report.contains("- shapes of `shapes.json`: Tag"));

    // Again, from the copy: nothing changes.
    let copy = service.join("metadata/cs-2015-12-15-api-docs.json");
    let second = run(&copy, &spec).unwrap();
    assert!(!second.metadata_copied);
    assert!(second.written.is_empty());
    assert!(second.removed.is_empty());
    assert_eq!(second.unchanged, 3);
    assert_eq!(second.report, first.report);
}

#[test]
fn run_needs_the_service_folder() {
    let scratch = Scratch::new("noservice");
    let source = scratch.0.join("api-docs.json");
    fs::write(&source, GET_OPERATION).unwrap();
    let err = run(&source, &scratch.0).unwrap_err();
    assert!(err.to_string().contains("no service folder"), "{err}");
}

/// The real metadata in the repository converts with nothing unmapped, and the result
/// (with `service.json`) passes the generator's checks.
#[test]
fn the_cs_metadata_imports_and_loads() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let service = repo.join("api-spec/cs-2015-12-15");
    let path = service.join("metadata/cs-2015-12-15-api-docs.json");
    let bytes = fs::read(&path).unwrap();
    let meta = parse(&path, &bytes).unwrap();
    let c = convert(&meta, &Overlay::default(), "t").unwrap();
    assert_eq!(c.report.operations, 117);
    assert_eq!(c.report.unmapped(), 0, "{}", c.files[REPORT_FILE]);
    assert_eq!(c.report.groups.values().map(Vec::len).sum::<usize>(), 117);
    assert_eq!(
        c.files,
        convert(&meta, &Overlay::default(), "t").unwrap().files
    );
    assert_loadable(&c);

    // Only the imported operations and shapes, next to the service file.
    let scratch = Scratch::new("cs");
    let dir = scratch.0.join("cs-2015-12-15");
    fs::create_dir_all(dir.join("imported")).unwrap();
    fs::copy(service.join("service.json"), dir.join("service.json")).unwrap();
    for (name, text) in &c.files {
        fs::write(dir.join("imported").join(name), text).unwrap();
    }
    if let Err(errors) = crate::load_model(&scratch.0, &scratch.0) {
        panic!("{errors}");
    }
}

#[test]
fn documentation_is_escaped_for_rustdoc_without_changing_the_text() {
    let md = |t: &str| super::convert::rustdoc_markdown(t);
    assert_eq!(
        md(" 取值范围：[1,10]。 "),
        ("取值范围：\\[1,10\\]。".to_owned(), false, true)
    );
    // Links, images, inline code, escaped brackets and reference definitions stay.
    for kept in [
        "见[文档](~~86491~~)。",
        "![图](a.png)",
        "`[1,10]`",
        "范围：\\[40,32768\\]",
        "[ref]: https://example.com",
        "[a][b]",
    ] {
        assert_eq!(md(kept), (kept.to_owned(), false, false), "{kept}");
    }
    assert_eq!(
        md("<props=\"china\">元</props><props=\"intl\">美元</props>"),
        (
            "\\<props=\"china\">元\\</props>\\<props=\"intl\">美元\\</props>".to_owned(),
            false,
            true
        )
    );
    // Fences: untagged ones get `text`; nothing inside a block is escaped.
    assert_eq!(
        md("例：\n```\n[1, 2]\n```\n```json\n{}\n```"),
        (
            "例：\n```text\n[1, 2]\n```\n```json\n{}\n```".to_owned(),
            true,
            false
        )
    );
}
