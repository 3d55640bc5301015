//! The importer: the checked-in `imported/` folder is exactly what `cargo xtask import`
//! writes from the checked-in metadata, and re-running it changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_owned()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_import_is_reproducible_and_idempotent() {
    let service = repo().join("api-spec/cs-2015-12-15");
    let scratch = std::env::temp_dir().join(format!("acs-import-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let copy = scratch.join("cs-2015-12-15");
    fs::create_dir_all(copy.join("metadata")).unwrap();
    // The hand-written files decide the overlay; copy them, not the imported folder.
    for (name, bytes) in files(&service) {
        fs::write(copy.join(name), bytes).unwrap();
    }
    let metadata = copy.join("metadata/cs-2015-12-15-api-docs.json");
    fs::copy(
        service.join("metadata/cs-2015-12-15-api-docs.json"),
        &metadata,
    )
    .unwrap();

    let first = acs_codegen::import::run(&metadata, &scratch).expect("import runs");
    assert!(!first.written.is_empty());
    let imported = files(&copy.join("imported"));
    let checked_in = files(&service.join("imported"));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&imported), names(&checked_in));
    for ((name, ours), (_, theirs)) in imported.iter().zip(&checked_in) {
        assert!(
            ours == theirs,
            "imported/{name} differs from what the importer writes: run `cargo xtask import`"
        );
    }
    // 117 operations, the shapes file and the report.
    assert_eq!(imported.len(), 119);

    let second = acs_codegen::import::run(&metadata, &scratch).expect("import runs again");
    assert!(
        second.written.is_empty() && second.removed.is_empty(),
        "a second import changed {:?}",
        second.written
    );
    let _ = fs::remove_dir_all(&scratch);
}

#[test]
fn the_whole_api_loads_and_every_operation_is_generated() {
    let root = repo();
    let services =
        acs_codegen::load_model(&root.join("api-spec"), &root).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = services[0]
        .operations
        .iter()
        .map(|op| op.name.as_str())
        .collect();
    // The metadata's 117 operations plus ScaleOutCluster, which it no longer lists.
    assert_eq!(names.len(), 118);
    assert!(names.contains(&"ScaleOutCluster") && names.contains(&"CreateClusterNodePool"));
    // Hand-written files replace imported ones.
    let nodes = services[0]
        .operations
        .iter()
        .find(|op| op.name == "DescribeClusterNodes")
        .unwrap();
    assert!(
        nodes
            .source_file
            .starts_with("api-spec/cs-2015-12-15/DescribeClusterNodes.json"),
        "{:?}",
        nodes.source_file
    );
    assert!(nodes.pagination.is_some());
}

/// Structures that several operations declare alike are one type, so what a describe
/// operation answers goes back into a request as it is.
#[test]
fn a_described_node_pool_config_is_sent_back_in_a_create_request() {
    use acs_cs20151215::operations::create_cluster_node_pool::CreateClusterNodePoolRequest;
    use acs_cs20151215::operations::describe_cluster_node_pool_detail::DescribeClusterNodePoolDetailResponse;
    use acs_cs20151215::types::{KubernetesConfig, TeeConfig};
    use acs_runtime::Validate as _;
    use acs_runtime::operation::Operation as _;

    let config = serde_json::json!({
        "runtime": "containerd",
        "runtime_version": "1.6.20",
        "cpu_policy": "none",
        "labels": [{ "key": "team", "value": "a" }],
        "unschedulable": false
    });
    let answer: DescribeClusterNodePoolDetailResponse = serde_json::from_value(
        serde_json::json!({ "kubernetes_config": config, "tee_config": { "tee_enable": true } }),
    )
    .expect("the answer parses");
    let kubernetes: KubernetesConfig = answer.kubernetes_config.clone().expect("present");
    let tee: TeeConfig = answer.tee_config.clone().expect("present");

    let request = CreateClusterNodePoolRequest::builder()
        .cluster_id("c1")
        .kubernetes_config(kubernetes)
        .tee_config(tee)
        .build()
        .expect("a valid request");
    request.validate().expect("valid");
    let body: serde_json::Value =
        serde_json::from_slice(&request.body().unwrap().expect("a JSON body")).unwrap();
    assert_eq!(body["kubernetes_config"], config);
    assert_eq!(
        body["tee_config"],
        serde_json::json!({ "tee_enable": true })
    );
}
