//! Logs: every span and event the client emits carries the operation, the attempt and the
//! request id, and never a secret. A binary of its own, because the log capture is a
//! thread-local subscriber that other tests running at the same time would race with.

#![allow(deprecated)]

use std::time::Duration;

use acs_cs20151215::{Client, Credentials, Error, RetryPolicy, SignatureScheme, Timeouts};
use acs_runtime::test_server::{Reply, TestServer};

const ID: &str = "LTAI-test";
const SECRET: &str = "test-secret-value";
const TOKEN: &str = "CAIS-test-security-token";
const PASSWORD: &str = "Sup3r$ecretPw";

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

fn client(server: &TestServer, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .credentials(credentials)
        .signature(SignatureScheme::RoaV1)
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .timeouts(Timeouts::default())
        .no_proxy()
        .build()
        .expect("client builds")
}

/// Collects every span and event field the client emits, as text.
mod log_capture {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub text: Arc<Mutex<String>>,
        next_id: Arc<AtomicU64>,
    }

    struct Writer<'a>(&'a mut String);

    impl Visit for Writer<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
    }

    impl Capture {
        fn write(&self, name: &str, visit: impl FnOnce(&mut Writer<'_>)) {
            if let Ok(mut text) = self.text.lock() {
                text.push_str(name);
                visit(&mut Writer(&mut text));
                text.push('\n');
            }
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            self.write(span.metadata().name(), |w| span.record(w));
            Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            self.write("record", |w| values.record(w));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            self.write(event.metadata().name(), |w| event.record(w));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[test]
fn logs_carry_operation_attempt_and_request_id_but_never_a_secret() {
    let capture = log_capture::Capture::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(capture.clone(), || {
        runtime.block_on(async {
            let server = TestServer::start([(ID, SECRET)])
                .await
                .expect("server starts");
            server.push_all([
                Reply::throttle(1),
                Reply::TaskAccepted,
                Reply::ResetAfterRead,
                Reply::error(400, "InvalidParameter", "bad"),
            ]);
            let good = client(
                &server,
                Credentials::new(ID, SECRET).with_security_token(TOKEN),
            );
            for _ in 0..3 {
                let _ = scale_out(&good).await;
            }
            let wrong = client(
                &server,
                Credentials::new(ID, "other-secret").with_security_token(TOKEN),
            );
            let _ = scale_out(&wrong).await;
        });
    });
    let text = capture.text.lock().unwrap().clone();
    assert!(text.contains("action=\"ScaleOutCluster\""), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("request_id="), "{text}");
    for secret in [SECRET, TOKEN, PASSWORD, "other-secret"] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in the logs:\n{text}"
        );
    }
}
