//! The scale-out workflow against the loopback server: scale a node pool, wait for its task
//! (success, failure, timeout), and list the nodes across pages.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use acs_cs20151215::{Client, Credentials, Error, WaitError, WaitOptions};
use acs_runtime::paginate::{StreamExt as _, TryStreamExt as _};
use acs_runtime::test_server::{Reply, TestServer};
use serde_json::json;

async fn setup() -> (TestServer, Client) {
    let server = TestServer::start([("LTAI-test", "secret")])
        .await
        .expect("server");
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new("LTAI-test", "secret"))
        .no_proxy()
        .build()
        .expect("client");
    (server, client)
}

fn fast() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(5),
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    }
}

fn task(state: &str, stage: &str) -> Reply {
    Reply::ok(
        json!({"task_id": "T-1", "state": state, "current_stage": stage, "task_type": "nodepool_scaleout"}),
    )
}

#[tokio::test]
async fn scale_a_node_pool_then_wait_for_its_task() {
    let (server, client) = setup().await;
    server.push(Reply::ok(json!({"task_id": "T-1", "request_id": "R-1"})));
    let scaled = client
        .scale_cluster_node_pool()
        .cluster_id("c-1")
        .nodepool_id("np-1")
        .count(2)
        .send()
        .await
        .expect("scaled");
    let request = server.last_request().expect("recorded");
    assert_eq!(request.path, "/clusters/c-1/nodepools/np-1");
    assert_eq!(request.body_json(), Some(json!({"count": 2})));
    assert!(request.is_verified());

    server.push_all([
        task("running", "Prepare"),
        task("running", "AddNodes"),
        task("success", "Done"),
    ]);
    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let done = client
        .wait_until_task_done(scaled.task_id.clone().expect("task id"))
        .options(fast())
        .on_progress(move |answer, _elapsed| {
            seen.lock()
                .unwrap()
                .push(answer.current_stage.clone().unwrap_or_default())
        })
        .await
        .expect("task succeeds");
    assert_eq!(done.state.as_deref(), Some("success"));
    assert_eq!(*stages.lock().unwrap(), ["Prepare", "AddNodes", "Done"]);
    let polls: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.action() == Some("DescribeTaskInfo"))
        .collect();
    assert_eq!(polls.len(), 3);
    assert!(
        polls
            .iter()
            .all(|r| r.method == "GET" && r.path == "/tasks/T-1" && r.is_verified())
    );
}

#[tokio::test]
async fn a_failed_task_is_an_error_carrying_the_task_error() {
    let (server, client) = setup().await;
    server.push_all([
        task("running", "AddNodes"),
        Reply::ok(json!({"task_id": "T-1", "state": "fail", "error": {"code": "400", "message": "quota exceeded"}})),
    ]);
    let error = client
        .wait_until_task_done("T-1")
        .options(fast())
        .await
        .unwrap_err();
    let WaitError::Failed { reason, last, .. } = &error else {
        panic!("expected failure, got {error}")
    };
    assert_eq!(reason, r#"{"code":"400","message":"quota exceeded"}"#);
    assert_eq!(
        last.error.as_ref().and_then(|e| e.message.as_deref()),
        Some("quota exceeded")
    );
    assert!(error.to_string().contains("quota exceeded"), "{error}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_task_that_never_finishes_times_out() {
    let (server, client) = setup().await;
    server.set_default(task("running", "AddNodes"));
    let started = std::time::Instant::now();
    let error = client
        .wait_until_task_done("T-1")
        .options(WaitOptions {
            timeout: Duration::from_millis(200),
            ..fast()
        })
        .await
        .unwrap_err();
    assert!(matches!(error, WaitError::TimedOut { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        server.request_count() >= 2,
        "polled only {} times",
        server.request_count()
    );
}

#[tokio::test]
async fn a_poll_that_fails_ends_the_wait_with_its_error() {
    let (server, client) = setup().await;
    server.push(Reply::error(404, "ErrorTaskNotFound", "task not found"));
    let error = client
        .wait_until_task_done("T-404")
        .options(fast())
        .await
        .unwrap_err();
    let WaitError::Call(Error::Service(service)) = &error else {
        panic!("expected a service error, got {error}")
    };
    assert_eq!(service.code.as_deref(), Some("ErrorTaskNotFound"));
}

fn nodes_page(first: usize, count: usize, total: usize, size: usize, page: usize) -> Reply {
    let nodes: Vec<_> = (first..first + count)
        .map(|i| json!({"instance_id": format!("i-{i}"), "state": "running"}))
        .collect();
    Reply::ok(
        json!({"nodes": nodes, "page": {"page_number": page, "page_size": size, "total_count": total}}),
    )
}

#[tokio::test]
async fn nodes_are_listed_across_pages() {
    let (server, client) = setup().await;
    server.push_all([
        nodes_page(0, 2, 5, 2, 1),
        nodes_page(2, 2, 5, 2, 2),
        nodes_page(4, 1, 5, 2, 3),
    ]);
    let ids: Vec<String> = client
        .describe_cluster_nodes()
        .cluster_id("c-1")
        .nodepool_id("np 1/ä")
        .page_size(2)
        .paginate()
        .map(|node| node.expect("page").instance_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(ids, ["i-0", "i-1", "i-2", "i-3", "i-4"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "a short last page ends the walk");
    for (i, request) in requests.iter().enumerate() {
        assert!(request.is_verified(), "{:?}", request.signature);
        assert_eq!(request.path_only(), "/clusters/c-1/nodes");
        let query = request.query();
        assert!(
            query.contains(&("pageNumber".to_owned(), (i + 1).to_string())),
            "{query:?}"
        );
        assert!(
            query.contains(&("pageSize".to_owned(), "2".to_owned())),
            "{query:?}"
        );
        assert!(
            query.contains(&("nodepool_id".to_owned(), "np 1/ä".to_owned())),
            "{query:?}"
        );
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn the_total_count_ends_the_walk_and_an_empty_list_yields_nothing() {
    let (server, client) = setup().await;
    // Full pages and a reported total: no extra request after the last item.
    server.push_all([nodes_page(0, 2, 4, 2, 1), nodes_page(2, 2, 4, 2, 2)]);
    let all = client
        .describe_cluster_nodes()
        .cluster_id("c-1")
        .paginate_all()
        .await
        .expect("pages");
    assert_eq!(all.len(), 4);
    assert_eq!(server.request_count(), 2);
    server.clear();
    server.push(Reply::ok(
        json!({"nodes": [], "page": {"page_number": 1, "page_size": 10, "total_count": 0}}),
    ));
    let none = client
        .describe_cluster_nodes()
        .cluster_id("c-1")
        .paginate_all()
        .await
        .expect("empty");
    assert!(none.is_empty());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn an_error_on_a_later_page_is_yielded_and_ends_the_stream() {
    let (server, client) = setup().await;
    server.push_all([
        nodes_page(0, 2, 6, 2, 1),
        Reply::error(400, "InvalidParameter", "bad page"),
    ]);
    let results: Vec<_> = client
        .describe_cluster_nodes()
        .cluster_id("c-1")
        .page_size(2)
        .paginate()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert!(results[2].is_err());
    let error = client
        .describe_cluster_nodes()
        .cluster_id("c-1")
        .page_size(0)
        .paginate()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error}");
}

#[tokio::test]
async fn describe_cluster_detail_added_by_the_walk_through() {
    let (server, client) = setup().await;
    server.push(Reply::ok(json!({"cluster_id": "c-1", "name": "demo", "state": "running", "size": 5, "tags": [{"key": "tier", "value": "web"}], "new_field": 1})));
    let cluster = client
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect("described");
    assert_eq!(
        (cluster.name.as_deref(), cluster.size),
        (Some("demo"), Some(5))
    );
    assert_eq!(cluster.tags.as_ref().map(Vec::len), Some(1));
    let request = server.last_request().expect("recorded");
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/clusters/c-1")
    );
}
