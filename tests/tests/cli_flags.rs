//! Command-line flag names: kebab-case of the wire name, collisions with global flags and
//! between members settled deterministically by the generator.

use std::path::Path;

fn spec_with(operation: &str) -> tempdir::Dir {
    let dir = tempdir::Dir::new("cli-flags");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let service =
        std::fs::read_to_string(root.join("api-spec/cs-2015-12-15/service.json")).unwrap();
    std::fs::create_dir_all(dir.path().join("svc")).unwrap();
    std::fs::write(dir.path().join("svc/service.json"), service).unwrap();
    std::fs::write(dir.path().join("svc/Collide.json"), operation).unwrap();
    dir
}

mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(name: &str) -> Self {
            let path = std::env::temp_dir().join(format!("acs-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn collisions_are_settled_by_binding_prefixes() {
    let operation = r#"{
      "format_version": 1, "name": "Collide", "documentation": "d.",
      "http": {"method": "POST", "path": "/c/{ClusterId}"}, "idempotent": false,
      "input": {"members": {
        "cluster_id": {"type": "string", "wire_name": "ClusterId", "binding": "path", "required": true, "documentation": "d."},
        "region": {"type": "string", "binding": "query", "documentation": "d."},
        "page_size": {"type": "integer", "wire_name": "pageSize", "binding": "query", "documentation": "d."},
        "page_size_2": {"type": "integer", "wire_name": "page_size", "binding": "query", "documentation": "d."},
        "body_cluster_id": {"type": "string", "wire_name": "cluster_id", "documentation": "d."},
        "timeout": {"type": "integer", "documentation": "d."},
        "tags": {"type": "list", "items": {"type": "string"}, "documentation": "d."}
      }},
      "output": {"members": {}}
    }"#;
    let dir = spec_with(operation);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = acs_codegen::load_model(dir.path(), root).unwrap_or_else(|e| panic!("{e}"));
    let op = services[0]
        .operations
        .iter()
        .find(|o| o.name == "Collide")
        .expect("operation");
    let flags = acs_codegen::emit::cli_flags(op);
    assert_eq!(
        flags,
        [
            ("cluster_id".to_owned(), "cluster-id".to_owned()),
            ("region".to_owned(), "query-region".to_owned()),
            ("page_size".to_owned(), "page-size".to_owned()),
            ("page_size_2".to_owned(), "query-page-size".to_owned()),
            ("body_cluster_id".to_owned(), "body-cluster-id".to_owned()),
            ("timeout".to_owned(), "body-timeout".to_owned()),
        ]
    );
    // Lists, structures and maps come from the body only.
    assert!(!flags.iter().any(|(member, _)| member == "tags"));
}

#[test]
fn the_generator_and_the_runtime_agree_on_global_flags() {
    assert_eq!(
        acs_codegen::emit::CLI_GLOBAL_FLAGS,
        acs_runtime::cli::GLOBAL_FLAGS
    );
}

#[test]
fn the_real_spec_has_the_documented_flag_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = acs_codegen::load_model(&root.join("api-spec"), root).unwrap();
    let find = |name: &str| {
        services[0]
            .operations
            .iter()
            .find(|o| o.name == name)
            .expect(name)
    };
    let nodes = acs_codegen::emit::cli_flags(find("DescribeClusterNodes"));
    let names: Vec<&str> = nodes.iter().map(|(_, flag)| flag.as_str()).collect();
    assert_eq!(
        names,
        [
            "cluster-id",
            "nodepool-id",
            "state",
            "instance-ids",
            "page-size",
            "page-number"
        ]
    );
    let task = acs_codegen::emit::cli_flags(find("DescribeTaskInfo"));
    assert_eq!(task, [("task_id".to_owned(), "task-id".to_owned())]);
}
