//! `ackctl` as a user runs it: the built binary against the loopback test server, with a
//! clean environment (no real credentials, no metadata service, an empty HOME).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use acs_runtime::test_server::{Reply, TestServer};
use serde_json::{Value, json};

const ID: &str = "LTAI-cli-test";
const SECRET: &str = "cli-test-secret";
const TOKEN: &str = "CAIS-cli-test-token";

fn home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ackctl-test-home-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Runs `ackctl` with `args`, credentials in the environment (unless `credentials` is false)
/// and `stdin` on standard input.
fn ackctl_with(args: &[&str], stdin: Option<&str>, credentials: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ackctl"));
    command
        .args(args)
        .env_clear()
        .env("HOME", home())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    if credentials {
        command
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
            .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    }
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("ackctl runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("ackctl finishes")
}

fn ackctl(args: &[&str]) -> Output {
    ackctl_with(args, None, true)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn server() -> TestServer {
    TestServer::start([(ID, SECRET)]).await.expect("server")
}

/// Runs the binary on a blocking thread so the in-process server keeps serving.
async fn run(args: Vec<String>, stdin: Option<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ackctl_with(&args, stdin.as_deref(), true)
    })
    .await
    .expect("join")
}

fn args(server: &TestServer, rest: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = rest.iter().map(|s| (*s).to_owned()).collect();
    out.push("--endpoint".to_owned());
    out.push(server.endpoint());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_out_succeeds_and_prints_the_answer() {
    let server = server().await;
    let output = run(
        args(
            &server,
            &[
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--count",
                "2",
                "--key-pair",
                "k",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["task_id"], "T-1");
    let request = server.last_request().expect("sent");
    assert!(request.is_verified(), "{:?}", request.signature);
    assert_eq!(request.path, "/api/v2/clusters/c-1");
    assert_eq!(
        request.body_json(),
        Some(json!({"count": 2, "key_pair": "k"}))
    );
    assert_eq!(request.header("x-acs-security-token"), Some(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_from_stdin_with_both_forms_of_string_encoded_members_and_flag_overrides() {
    let server = server().await;
    let body = r#"{"count": 9, "key_pair": "k", "worker_data_disks": [{"size": "120", "encrypted": "true"}, {"size": 200, "encrypted": false}]}"#;
    let output = run(
        args(
            &server,
            &[
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--body-file",
                "-",
                "--count",
                "3",
            ],
        ),
        Some(body.to_owned()),
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        server.last_request().and_then(|r| r.body_json()),
        Some(
            json!({"count": 3, "key_pair": "k", "worker_data_disks": [{"encrypted": "true", "size": "120"}, {"encrypted": "false", "size": "200"}]})
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_sends_nothing_and_exits_2() {
    let server = server().await;
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (
            vec![
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--body",
                r#"{"key_pair": "k", "coutn": 3}"#,
            ],
            None,
            "unknown key `coutn`",
        ),
        (
            vec![
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--body",
                r#"{"key_pair": "k", "tags": [{"key": "a", "colour": "b"}]}"#,
            ],
            None,
            "unknown key `tags[0].colour`",
        ),
        (
            vec![
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--key-pair",
                "k",
                "--count",
                "three",
            ],
            None,
            "--count: expected an integer",
        ),
        (
            vec![
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--body",
                r#"{"key_pair": "k", "count": "3"}"#,
            ],
            None,
            "at `count`",
        ),
        (
            vec!["scale-out-cluster", "--cluster-id", "c-1", "--body", "[1]"],
            None,
            "expected a JSON object",
        ),
        (
            vec!["scale-out-cluster", "--cluster-id", "c-1", "--body", "{"],
            None,
            "invalid JSON",
        ),
        (
            vec!["scale-out-cluster", "--cluster-id", "c-1", "--count", "0"],
            None,
            "count: must be 1 to 500 (got 0) [range]",
        ),
        (
            vec![
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--key-pair",
                "k",
                "--worker-auto-renew",
                "yes",
            ],
            None,
            "invalid value 'yes'",
        ),
        (
            vec!["scale-out-cluster", "--count", "1"],
            None,
            "--cluster-id",
        ),
        (
            vec![
                "describe-cluster-nodes",
                "--cluster-id",
                "c-1",
                "--page-size",
                "many",
            ],
            None,
            "--page-size",
        ),
    ];
    for (arguments, stdin, expected) in cases {
        let output = run(args(&server, &arguments), stdin.map(str::to_owned)).await;
        assert_eq!(code(&output), 2, "{arguments:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(expected),
            "{arguments:?}: expected {expected:?} in:\n{}",
            stderr(&output)
        );
    }
    // Every violation is reported, one line each.
    let output = run(
        args(
            &server,
            &[
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--count",
                "0",
                "--worker-instance-charge-type",
                "PrePaid",
            ],
        ),
        None,
    )
    .await;
    let text = stderr(&output);
    for line in [
        "count: must be 1 to 500",
        "worker_period: is required when",
        "worker_period_unit: is required when",
        "exactly one of key_pair, login_password",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert_eq!(
        server.request_count(),
        0,
        "invalid input reached the server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_validate_sends_unknown_keys_unchanged_and_says_so() {
    let server = server().await;
    let output = run(
        args(
            &server,
            &[
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--no-validate",
                "--count",
                "0",
                "--body",
                r#"{"coutn": 3, "tags": [{"key": "a", "colour": "b"}]}"#,
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("sending unknown body keys unchanged: coutn, tags[0].colour"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        server.last_request().and_then(|r| r.body_json()),
        Some(json!({"count": 0, "coutn": 3, "tags": [{"colour": "b", "key": "a"}]}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_failure_has_its_exit_code() {
    let server = server().await;
    let scale = [
        "scale-out-cluster",
        "--cluster-id",
        "c-1",
        "--key-pair",
        "k",
    ];
    server.push(Reply::error(
        404,
        "ErrorClusterNotFound",
        "cluster c-1 not found",
    ));
    let output = run(args(&server, &scale), None).await;
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ErrorClusterNotFound: cluster c-1 not found (request id "),
        "{}",
        stderr(&output)
    );
    server.push(Reply::ResetAfterRead);
    let output = run(args(&server, &scale), None).await;
    assert_eq!(code(&output), 5, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("DescribeTaskInfo"),
        "{}",
        stderr(&output)
    );
    let before = server.request_count();
    // Nothing listens there: the request certainly did not take effect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut refused: Vec<String> = scale.iter().map(|s| (*s).to_owned()).collect();
    refused.extend(["--endpoint".to_owned(), endpoint]);
    let output = run(refused, None).await;
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert_eq!(server.request_count(), before);
    // Missing credentials: exit 2, naming what was looked at; nothing sent.
    let endpoint = server.endpoint();
    let output = tokio::task::spawn_blocking(move || {
        ackctl_with(
            &[
                "scale-out-cluster",
                "--cluster-id",
                "c-1",
                "--key-pair",
                "k",
                "--endpoint",
                &endpoint,
            ],
            None,
            false,
        )
    })
    .await
    .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.request_count(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_follows_the_task() {
    let server = server().await;
    let task = |state: &str, stage: &str| {
        Reply::ok(json!({"task_id": "T-1", "state": state, "current_stage": stage}))
    };
    server.push_all([
        Reply::ok(json!({"task_id": "T-1"})),
        task("running", "AddNodes"),
        task("success", "Done"),
    ]);
    let output = run(
        args(
            &server,
            &[
                "scale-cluster-node-pool",
                "--cluster-id",
                "c-1",
                "--nodepool-id",
                "np-1",
                "--count",
                "1",
                "--wait",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["state"], "success");
    assert!(stderr(&output).contains("AddNodes"), "{}", stderr(&output));
    // A failed task: exit 3, with the task's error.
    server.push_all([
        Reply::ok(json!({"task_id": "T-2"})),
        Reply::ok(
            json!({"task_id": "T-2", "state": "fail", "error": {"message": "quota exceeded"}}),
        ),
    ]);
    let output = run(
        args(
            &server,
            &[
                "scale-cluster-node-pool",
                "--cluster-id",
                "c-1",
                "--nodepool-id",
                "np-1",
                "--wait",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("quota exceeded") && stderr(&output).contains("T-2"),
        "{}",
        stderr(&output)
    );
    // A task that does not finish in time: exit 6, with the task id.
    server.push(Reply::ok(json!({"task_id": "T-3"})));
    server.set_default(task("running", "AddNodes"));
    let output = run(
        args(
            &server,
            &[
                "scale-cluster-node-pool",
                "--cluster-id",
                "c-1",
                "--nodepool-id",
                "np-1",
                "--wait",
                "--wait-timeout",
                "1",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 6, "{}", stderr(&output));
    assert!(stderr(&output).contains("T-3"), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_prints_every_item() {
    let server = server().await;
    let page = |ids: &[&str], total: usize| {
        Reply::ok(
            json!({"nodes": ids.iter().map(|i| json!({"instance_id": i})).collect::<Vec<_>>(), "page": {"total_count": total}}),
        )
    };
    server.push_all([page(&["i-1", "i-2"], 3), page(&["i-3"], 3)]);
    let output = run(
        args(
            &server,
            &[
                "describe-cluster-nodes",
                "--cluster-id",
                "c-1",
                "--page-size",
                "2",
                "--state",
                "running",
                "--all-pages",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout_json(&output),
        json!({"nodes": [{"instance_id": "i-1"}, {"instance_id": "i-2"}, {"instance_id": "i-3"}]})
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[1]
            .query()
            .contains(&("pageNumber".to_owned(), "2".to_owned()))
    );
    assert!(
        requests[1]
            .query()
            .contains(&("state".to_owned(), "running".to_owned()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_signed_request_and_sends_nothing() {
    let server = server().await;
    let base = [
        "scale-out-cluster",
        "--cluster-id",
        "c-1",
        "--login-password",
        "Hello@1234",
        "--body",
        r#"{"user_data": "IyEvYmluL3NoCg=="}"#,
        "--dry-run",
    ];
    let output = run(args(&server, &base), None).await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed = stdout_json(&output);
    let text = printed.to_string();
    assert!(
        !text.contains("Hello@1234") && !text.contains("IyEvYmluL3NoCg==") && !text.contains(TOKEN),
        "{text}"
    );
    assert_eq!(printed["method"], "POST");
    assert_eq!(
        printed["url"],
        format!("{}/api/v2/clusters/c-1", server.endpoint())
    );
    assert_eq!(
        printed["body"],
        r#"{"login_password":"******","user_data":"******"}"#
    );
    let mut shown = args(&server, &base);
    shown.push("--show-secrets".to_owned());
    let output = run(shown, None).await;
    let printed = stdout_json(&output);
    assert_eq!(
        printed["body"],
        r#"{"login_password":"Hello@1234","user_data":"IyEvYmluL3NoCg=="}"#
    );
    assert!(
        printed["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "x-acs-security-token" && h[1] == TOKEN)
    );
    assert_eq!(server.request_count(), 0, "a dry run reached the server");
    // With --show-secrets the output is exactly what would be sent: the official SDK's own
    // signing code accepts it.
    let url = printed["url"].as_str().unwrap();
    let path = &url[url.find("/api/").unwrap()..];
    let verdict = official_sdk_verify(&json!({
        "request": {"method": printed["method"], "path": path, "headers": printed["headers"], "body": printed["body"]},
        "access_key_secret": SECRET,
    }));
    assert_eq!(verdict["ok"], true, "{verdict}");
}

/// `tests/conformance/sdk_verify.py` with the pinned official SDK (set up by
/// `scripts/setup-python.sh`, which `scripts/test.sh` runs).
fn official_sdk_verify(input: &Value) -> Value {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let python =
        std::env::var_os("ACS_PYTHON").map_or_else(|| repo.join(".venv/bin/python"), PathBuf::from);
    assert!(
        python.exists(),
        "the official SDK's Python environment is missing ({}): run scripts/setup-python.sh",
        python.display()
    );
    let mut child = Command::new(python)
        .arg(repo.join("tests/conformance/sdk_verify.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn completions_version_and_help() {
    let output = ackctl(&["completions", "bash"]);
    assert_eq!(code(&output), 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("scale-out-cluster"));
    let output = ackctl(&["--version"]);
    assert_eq!(code(&output), 0);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ackctl "));
    let output = ackctl(&["no-such-operation"]);
    assert_eq!(code(&output), 2);
    let _ = Duration::ZERO;
}
