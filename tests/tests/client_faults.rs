//! The client against the loopback test server: success for both signature schemes, every
//! injected fault yielding its documented error (never a panic), and proof from the server's
//! request count that ScaleOutCluster never went out twice when its outcome was unknown.

// ScaleOutCluster is deprecated by ACK; it is still the operation under test.
#![allow(deprecated)]

use std::time::Duration;

use acs_cs20151215::{Client, Credentials, Error, RetryPolicy, SignatureScheme, Timeouts};
use acs_macros::{Builder, Operation, Validate};
use acs_runtime::test_server::{Reply, TestServer};
use serde::{Deserialize, Serialize};
use serde_json::json;

const ID: &str = "LTAI-test";
const SECRET: &str = "test-secret-value";
const TOKEN: &str = "CAIS-test-security-token";
const PASSWORD: &str = "Sup3r$ecretPw";

async fn server() -> TestServer {
    TestServer::start([(ID, SECRET)])
        .await
        .expect("loopback server starts")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
    }
}

fn client(server: &TestServer, scheme: SignatureScheme) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(ID, SECRET).with_security_token(TOKEN))
        .signature(scheme)
        .retry(fast_retries())
        .timeouts(Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_secs(2),
            attempt: Duration::from_millis(500),
            total: Duration::from_secs(5),
        })
        .no_proxy()
        .build()
        .expect("client builds")
}

async fn scale_out(
    client: &Client,
) -> Result<acs_cs20151215::Response<acs_cs20151215::ScaleOutClusterResponse>, Error> {
    client
        .scale_out_cluster()
        .cluster_id("c-1")
        .count(2)
        .login_password(PASSWORD)
        .send()
        .await
}

/// Everything a user could see of an error: Display and Debug.
fn shown(error: &Error) -> String {
    format!("{error} {error:?}")
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, TOKEN, PASSWORD] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in: {text}"
        );
    }
}

#[tokio::test]
async fn success_with_both_signature_schemes() {
    for scheme in [SignatureScheme::Acs3HmacSha256, SignatureScheme::RoaV1] {
        let server = server().await;
        let client = client(&server, scheme);
        let response = scale_out(&client).await.expect("scale out succeeds");
        assert_eq!(response.task_id.as_deref(), Some("T-1"));
        assert!(response.request_id.is_some());
        assert_eq!(response.attempts, 1);
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert!(request.is_verified(), "{:?}", request.signature);
        assert_eq!(request.path, "/api/v2/clusters/c-1");
        assert_eq!(request.action(), Some("ScaleOutCluster"));
        assert_eq!(request.header("x-acs-security-token"), Some(TOKEN));
        assert_eq!(
            request.body_json(),
            Some(json!({"count": 2, "login_password": PASSWORD}))
        );
        assert_no_secret(&format!("{client:?} {response:?} {request:?}"));
    }
}

#[tokio::test]
async fn invalid_requests_never_leave_and_skipping_validation_sends_them() {
    let server = server().await;
    let client = client(&server, SignatureScheme::default());
    let error = client
        .scale_out_cluster()
        .cluster_id("c-1")
        .count(0)
        .send()
        .await
        .unwrap_err();
    let Error::Validation(violations) = &error else {
        panic!("expected validation, got {error}")
    };
    assert_eq!(violations.violations().len(), 2, "{violations}");
    assert_eq!(server.request_count(), 0);
    // Prepared without sending: signed, nothing sent.
    let prepared = client
        .scale_out_cluster()
        .cluster_id("c-1")
        .count(1)
        .key_pair("k")
        .prepare()
        .await
        .unwrap();
    assert!(prepared.header("authorization").is_some());
    assert_eq!(server.request_count(), 0);
    // The service relaxed the rule: skip validation explicitly.
    client
        .scale_out_cluster()
        .cluster_id("c-1")
        .count(0)
        .skip_validation()
        .send()
        .await
        .expect("sent unvalidated");
    assert_eq!(
        server.last_request().and_then(|r| r.body_json()),
        Some(json!({"count": 0}))
    );
    // An empty path label is refused even then.
    let error = client
        .scale_out_cluster()
        .key_pair("k")
        .skip_validation()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error}");
    assert_eq!(server.request_count(), 1);
}

/// A provider that is never asked: it counts the calls and fails each.
#[derive(Debug, Default)]
struct CountingProvider(std::sync::atomic::AtomicUsize);

impl acs_runtime::credentials::ProvideCredentials for CountingProvider {
    fn provide_credentials(&self) -> acs_runtime::credentials::ProvideFuture<'_> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(std::future::ready(Err(
            acs_runtime::credentials::CredentialsError::NotConfigured {
                provider: "counting".into(),
                looked_at: Vec::new(),
            },
        )))
    }
}

#[tokio::test]
async fn a_request_that_cannot_become_http_fails_before_credentials_are_looked_up() {
    let server = server().await;
    let provider = std::sync::Arc::new(CountingProvider::default());
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(std::sync::Arc::clone(&provider))
        .no_proxy()
        .build()
        .expect("client");
    let error = client
        .scale_out_cluster()
        .key_pair("k")
        .skip_validation()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error}");
    assert_eq!(provider.0.load(std::sync::atomic::Ordering::SeqCst), 0);
    // With the path label set, the provider is asked (and its failure reported).
    let error = client
        .scale_out_cluster()
        .cluster_id("c-1")
        .key_pair("k")
        .skip_validation()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Credentials(_)), "{error}");
    assert_eq!(provider.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn server_errors_are_not_retried_for_scale_out() {
    let server = server().await;
    server.push(Reply::ServerError);
    let error = scale_out(&client(&server, SignatureScheme::default()))
        .await
        .unwrap_err();
    let service = error.as_service().expect("service error");
    assert_eq!(service.status, 500);
    assert_eq!(service.code.as_deref(), Some("InternalError"));
    assert!(service.request_id.is_some());
    assert_eq!(server.count_for_action("ScaleOutCluster"), 1);
    assert_no_secret(&shown(&error));
}

#[tokio::test]
async fn throttling_is_retried_with_retry_after_and_fresh_signatures() {
    let server = server().await;
    server.push(Reply::throttle(30));
    let started = std::time::Instant::now();
    let response = scale_out(&client(&server, SignatureScheme::default()))
        .await
        .expect("second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_millis(30),
        "retry-after not honoured"
    );
    assert_eq!(response.attempts, 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.is_verified()));
    assert_eq!(requests[1].header("x-acs-retry-attempts"), Some("1"));
    let nonces: Vec<_> = requests
        .iter()
        .map(|r| {
            r.header("x-acs-signature-nonce")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_ne!(nonces[0], nonces[1], "each attempt needs a fresh nonce");
}

#[tokio::test]
async fn persistent_throttling_gives_up_after_the_policy_attempts() {
    let server = server().await;
    server.set_default(Reply::throttle(1));
    let error = scale_out(&client(&server, SignatureScheme::default()))
        .await
        .unwrap_err();
    assert!(
        error
            .as_service()
            .is_some_and(acs_cs20151215::ServiceError::is_throttling),
        "{error}"
    );
    assert_eq!(server.request_count(), 3);
    // Retries off: one attempt.
    let server = server_with(Reply::throttle(1)).await;
    let no_retry = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(ID, SECRET))
        .retry(RetryPolicy::disabled())
        .no_proxy()
        .build()
        .unwrap();
    assert!(scale_out(&no_retry).await.is_err());
    assert_eq!(server.request_count(), 1);
}

async fn server_with(default: Reply) -> TestServer {
    let server = server().await;
    server.set_default(default);
    server
}

/// Faults after which the request may have been applied: never resent, reported as unknown.
#[tokio::test]
async fn unknown_outcomes_are_never_resent() {
    let cases = [
        ("reset after the request was read", Reply::ResetAfterRead, 1),
        (
            "closed after the request was read",
            Reply::CloseAfterRead,
            1,
        ),
        (
            "answer slower than the attempt timeout",
            Reply::delay(Duration::from_secs(2), Reply::TaskAccepted),
            1,
        ),
        ("body cut short", Reply::TruncatedBody, 1),
        (
            "reset before the request was read",
            Reply::ResetBeforeRead,
            0,
        ),
    ];
    for (name, reply, reached) in cases {
        let server = server_with(reply).await;
        let error = scale_out(&client(&server, SignatureScheme::default()))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::OutcomeUnknown { attempt: 1, .. }),
            "{name}: {error}"
        );
        assert!(error.outcome_unknown());
        let text = error.to_string();
        assert!(
            text.contains("DescribeTaskInfo") && text.contains("DescribeClusterNodes"),
            "{name}: {text}"
        );
        assert_eq!(
            server.count_for_action("ScaleOutCluster"),
            reached,
            "{name}: requests that reached the server"
        );
        assert_no_secret(&shown(&error));
    }
}

#[tokio::test]
async fn connection_refused_is_retried_because_nothing_was_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(ID, SECRET))
        .retry(fast_retries())
        .no_proxy()
        .build()
        .unwrap();
    let error = scale_out(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 3, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn broken_answers_give_clear_errors() {
    let server = server().await;
    let client = client(&server, SignatureScheme::default());
    server.push(Reply::raw(
        200,
        Some("application/json"),
        r#"{"task_id": "T-1", "#,
    ));
    let error = scale_out(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidResponse { status: 200, .. }),
        "{error}"
    );
    assert!(
        error.outcome_unknown() && error.to_string().contains("accepted the request"),
        "{error}"
    );
    server.push(Reply::raw(
        200,
        Some("application/json"),
        r#"{"task_id": 42}"#,
    ));
    assert!(matches!(
        scale_out(&client).await.unwrap_err(),
        Error::InvalidResponse { .. }
    ));
    server.push(Reply::html(
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    ));
    let error = scale_out(&client).await.unwrap_err();
    assert_eq!(
        error.as_service().and_then(|s| s.message.as_deref()),
        Some("HTML error page: 502 Bad Gateway")
    );
    server.push(Reply::text(503, "upstream unavailable"));
    let error = scale_out(&client).await.unwrap_err();
    assert_eq!(error.as_service().map(|s| s.status), Some(503));
    server.push(Reply::error(
        404,
        "ErrorClusterNotFound",
        "cluster c-1 not found",
    ));
    let error = scale_out(&client).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("HTTP 404 ErrorClusterNotFound: cluster c-1 not found (request id "),
        "{text}"
    );
    // An empty 202 is a success whose fields are absent.
    server.push(Reply::empty(202));
    let response = scale_out(&client).await.expect("empty 202 is a success");
    assert_eq!((response.status, response.task_id.as_deref()), (202, None));
    // Each non-idempotent failure above reached the server exactly once.
    assert_eq!(server.count_for_action("ScaleOutCluster"), 6);
}

#[tokio::test]
async fn total_timeout_bounds_the_call() {
    let server = server_with(Reply::delay(Duration::from_secs(3), Reply::TaskAccepted)).await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(ID, SECRET))
        .timeouts(Timeouts {
            total: Duration::from_millis(300),
            ..Timeouts::default()
        })
        .no_proxy()
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = scale_out(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(error, Error::OutcomeUnknown { .. }), "{error}");
}

#[tokio::test]
async fn wrong_credentials_are_rejected_by_the_verifier() {
    let server = server().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(ID, "wrong-secret"))
        .no_proxy()
        .build()
        .unwrap();
    let error = scale_out(&client).await.unwrap_err();
    assert_eq!(
        error.as_service().and_then(|s| s.code.as_deref()),
        Some("SignatureDoesNotMatch")
    );
    assert_no_secret(&shown(&error));
}

/// An idempotent operation, declared like generated code, to prove the other half of the
/// retry policy: 5xx and failures in transit are retried when repeating is harmless.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct DescribeTaskInfoResponse {
    state: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Validate, Builder, Operation)]
#[operation(action = "DescribeTaskInfo", version = "2015-12-15", method = "GET", path = "/tasks/{task_id}", idempotent = true, body = "none", output = DescribeTaskInfoResponse)]
struct DescribeTaskInfoRequest {
    #[serde(skip)]
    #[operation(path = "task_id")]
    #[validate(required)]
    task_id: String,
}

#[tokio::test]
async fn idempotent_operations_retry_server_errors_and_failures_in_transit() {
    let server = server().await;
    server.push_all([
        Reply::ServerError,
        Reply::ResetAfterRead,
        Reply::ok(json!({"state": "success"})),
    ]);
    let client = client(&server, SignatureScheme::default());
    let request = DescribeTaskInfoRequest::builder()
        .task_id("T-1")
        .build()
        .unwrap();
    let response = client
        .runtime()
        .call()
        .send(&request)
        .await
        .expect("third attempt succeeds");
    assert_eq!(response.state.as_deref(), Some("success"));
    assert_eq!(response.attempts, 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.method == "GET"
        && r.path == "/tasks/T-1"
        && r.body.is_empty()
        && r.is_verified()));
}

#[tokio::test]
async fn connections_are_reused() {
    let server = server().await;
    let client = client(&server, SignatureScheme::default());
    for _ in 0..3 {
        scale_out(&client).await.expect("succeeds");
    }
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.connections(), 1, "each call opened a new connection");
}
