//! The JSON Schema of the spec format (`api-spec/schema/`) against the spec itself.
//!
//! Every JSON file under `api-spec/` (the schema folder aside) must validate: `service.json`
//! against `service.schema.json`, every other file against `operation.schema.json`. The
//! validation is done by `tests/conformance/check_schema.py` (draft 2020-12, offline), run with
//! `$ACS_PYTHON` or else `<repo>/.venv/bin/python`, which `scripts/setup-python.sh` creates.
//! Without an interpreter the tests fail; they never pass without checking anything.
//!
//! Negative cases prove that the check can fail: copies of ScaleOutCluster.json with an
//! unknown key or an unknown member type must be rejected at the right JSON pointer.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repository")
        .to_owned()
}

fn spec_root() -> PathBuf {
    repo().join("api-spec")
}

fn schema_dir() -> PathBuf {
    spec_root().join("schema")
}

/// The interpreter of the conformance harness; fails the test when there is none.
fn python() -> PathBuf {
    let (python, origin) = match std::env::var_os("ACS_PYTHON").filter(|v| !v.is_empty()) {
        Some(python) => (PathBuf::from(python), "$ACS_PYTHON"),
        None => (
            repo().join(".venv/bin/python"),
            "the repository's virtual environment",
        ),
    };
    assert!(
        python.is_file(),
        "no Python interpreter for the JSON Schema check: {} ({origin}) does not exist; \
         run scripts/setup-python.sh to create .venv (scripts/test.sh does), or set ACS_PYTHON \
         to an interpreter that has the packages of tests/conformance/requirements.txt",
        python.display()
    );
    python
}

/// One problem reported by check_schema.py.
#[derive(Debug)]
struct SchemaError {
    file: String,
    pointer: String,
    message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let root = format!("{}/", repo().display());
        let file = self.file.strip_prefix(&root).unwrap_or(&self.file);
        let pointer = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(f, "{file}: at {pointer}: {}", self.message)
    }
}

/// Validates `files` against `schema` with check_schema.py; returns every problem found
/// (an empty list when all files are valid).
fn check(schema: &Path, files: &[PathBuf]) -> Vec<SchemaError> {
    assert!(
        !files.is_empty(),
        "nothing to check against {}",
        schema.display()
    );
    assert!(schema.is_file(), "missing schema {}", schema.display());
    let script = repo().join("tests/conformance/check_schema.py");
    let input = json!({
        "schema_path": schema.to_str().expect("UTF-8 path"),
        "files": files.iter().map(|f| f.to_str().expect("UTF-8 path")).collect::<Vec<_>>(),
        "check_formats": false,
    });
    let python = python();
    let mut child = Command::new(&python)
        .arg(&script)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e}; run scripts/setup-python.sh",
                python.display()
            )
        });
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.to_string().as_bytes())
        .expect("write the input of check_schema.py");
    let out = child.wait_with_output().expect("check_schema.py runs");
    assert!(
        out.status.success(),
        "check_schema.py failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check_schema.py printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let ok = answer["ok"].as_bool().expect("`ok` is a boolean");
    let errors: Vec<SchemaError> = answer["errors"]
        .as_array()
        .expect("`errors` is an array")
        .iter()
        .map(|e| SchemaError {
            file: e["file"].as_str().expect("error file").to_owned(),
            pointer: e["pointer"].as_str().expect("error pointer").to_owned(),
            message: e["message"].as_str().expect("error message").to_owned(),
        })
        .collect();
    assert_eq!(
        ok,
        errors.is_empty(),
        "`ok` disagrees with `errors`: {answer}"
    );
    errors
}

/// Every `*.json` file under `dir`, recursively, skipping the schema folder; sorted.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            // The metadata folder holds the importer's input, not spec files.
            if path != schema_dir() && path.file_name().is_none_or(|n| n != "metadata") {
                json_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
}

fn is_service_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "service.json")
}

fn render(errors: &[SchemaError]) -> String {
    errors.iter().map(|e| format!("  - {e}\n")).collect()
}

#[test]
fn every_spec_file_matches_its_schema() {
    let mut files = Vec::new();
    json_files(&spec_root(), &mut files);
    let (shapes, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.file_name().is_some_and(|n| n == "shapes.json"));
    let (services, operations): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|f| is_service_file(f));
    assert!(
        !services.is_empty(),
        "no service.json under {}",
        spec_root().display()
    );
    assert!(
        !operations.is_empty(),
        "no operation file under {}",
        spec_root().display()
    );

    let mut errors = check(&schema_dir().join("service.schema.json"), &services);
    errors.extend(check(
        &schema_dir().join("operation.schema.json"),
        &operations,
    ));
    if !shapes.is_empty() {
        errors.extend(check(&schema_dir().join("shapes.schema.json"), &shapes));
    }
    assert!(
        errors.is_empty(),
        "{} spec file(s) do not match the JSON Schema of the format:\n{}",
        services.len() + operations.len(),
        render(&errors)
    );
}

/// Writes `value` as `<name>.json` in a fresh scratch folder and checks it against the
/// operation schema.
fn check_operation_copy(name: &str, value: &Value) -> Vec<SchemaError> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spec_schema")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create the scratch folder");
    let file = dir.join("ScaleOutCluster.json");
    let text = serde_json::to_string_pretty(value).expect("serialize the copy");
    fs::write(&file, text).expect("write the copy");
    let errors = check(
        &schema_dir().join("operation.schema.json"),
        std::slice::from_ref(&file),
    );
    let _ = fs::remove_dir_all(&dir);
    errors
}

fn scale_out_cluster() -> Value {
    let path = spec_root().join("cs-2015-12-15/ScaleOutCluster.json");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("ScaleOutCluster.json is JSON")
}

fn member<'a>(op: &'a mut Value, name: &str) -> &'a mut serde_json::Map<String, Value> {
    op["input"]["members"][name]
        .as_object_mut()
        .unwrap_or_else(|| panic!("ScaleOutCluster.json has no input member `{name}`"))
}

/// Asserts that the schema rejects the copy, with a problem at `pointer`.
fn assert_rejected(case: &str, value: &Value, pointer: &str, mentions: &str) {
    let errors = check_operation_copy(case, value);
    assert!(
        !errors.is_empty(),
        "{case}: the schema accepted the broken copy"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.pointer == pointer && e.message.contains(mentions)),
        "{case}: expected a problem at {pointer} mentioning {mentions:?}, got:\n{}",
        render(&errors)
    );
}

#[test]
fn an_unmodified_copy_is_accepted() {
    // The control for the negative cases: the scratch location itself is not a problem.
    let errors = check_operation_copy("unmodified", &scale_out_cluster());
    assert!(
        errors.is_empty(),
        "the copy of ScaleOutCluster.json was rejected:\n{}",
        render(&errors)
    );
}

#[test]
fn an_unknown_top_level_key_is_rejected() {
    let mut op = scale_out_cluster();
    op.as_object_mut()
        .expect("an object")
        .insert("retries".to_owned(), json!(3));
    assert_rejected("unknown-top-level-key", &op, "", "retries");
}

#[test]
fn an_unknown_member_key_is_rejected() {
    let mut op = scale_out_cluster();
    member(&mut op, "count").insert("maximum".to_owned(), json!(500));
    assert_rejected("unknown-member-key", &op, "/input/members/count", "maximum");
}

#[test]
fn a_bad_member_type_is_rejected() {
    let mut op = scale_out_cluster();
    member(&mut op, "image_id").insert("type".to_owned(), json!("str"));
    assert_rejected(
        "bad-member-type",
        &op,
        "/input/members/image_id/type",
        "str",
    );
}

#[test]
fn a_copy_with_both_defects_reports_both() {
    let mut op = scale_out_cluster();
    op.as_object_mut()
        .expect("an object")
        .insert("retries".to_owned(), json!(3));
    member(&mut op, "image_id").insert("type".to_owned(), json!("str"));
    let errors = check_operation_copy("both-defects", &op);
    for pointer in ["", "/input/members/image_id/type"] {
        assert!(
            errors.iter().any(|e| e.pointer == pointer),
            "expected a problem at {pointer:?}, got:\n{}",
            render(&errors)
        );
    }
}

/// Editors show `description`s: every property a schema declares has one, and so does every
/// shared definition.
#[test]
fn every_declared_property_has_a_description() {
    fn walk(node: &Value, at: &str, missing: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                let declares = map.get("additionalProperties") == Some(&Value::Bool(false));
                if let (true, Some(Value::Object(props))) = (declares, map.get("properties")) {
                    for (name, prop) in props {
                        if prop
                            .get("description")
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            missing.push(format!("{at}/properties/{name}"));
                        }
                    }
                }
                if let Some(Value::Object(defs)) = map.get("$defs") {
                    for (name, def) in defs {
                        if def
                            .get("description")
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            missing.push(format!("{at}/$defs/{name}"));
                        }
                    }
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), missing);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for name in [
        "service.schema.json",
        "operation.schema.json",
        "shapes.schema.json",
        "common.schema.json",
    ] {
        let path = schema_dir().join(name);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let schema: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        assert!(
            schema.get("$id").and_then(Value::as_str).is_some(),
            "{name} has no `$id`"
        );
        assert!(
            schema.get("description").and_then(Value::as_str).is_some(),
            "{name} has no top-level description"
        );
        walk(&schema, name, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "properties without a description:\n  {}",
        missing.join("\n  ")
    );
}
