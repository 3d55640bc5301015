//! End-to-end tests of the test server with a hand-written HTTP/1.1 client over a raw
//! `TcpStream` (independent of the crate's HTTP client).

use std::future::Future;
use std::io;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;
use crate::credentials::Credentials;
use crate::signing::{self, HttpRequest, SignatureScheme, SigningParams};

const ID: &str = "LTAI-test-id";
const SECRET: &str = "test-secret";

/// Fails a test that hangs instead of hanging the test run.
async fn timed<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the test timed out")
}

async fn server() -> TestServer {
    TestServer::start([(ID, SECRET)]).await.unwrap()
}

fn credentials() -> Credentials {
    Credentials::new(ID, SECRET)
}

/// A request signed like the client signs it.
#[allow(clippy::too_many_arguments)]
fn signed(
    server: &TestServer,
    method: &'static str,
    path: &str,
    query: &[(&str, &str)],
    body: &[u8],
    action: &'static str,
    scheme: SignatureScheme,
    credentials: &Credentials,
) -> HttpRequest {
    let mut request = HttpRequest::new(method, "http", server.addr().to_string(), path);
    request.query = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    request.body = body.to_vec();
    let nonce = signing::new_nonce();
    signing::sign(
        &mut request,
        &SigningParams {
            action,
            version: "2015-12-15",
            credentials,
            scheme,
            time: SystemTime::now(),
            nonce: &nonce,
            retry: None,
        },
    );
    request
}

fn simple(server: &TestServer, action: &'static str) -> HttpRequest {
    signed(
        server,
        "GET",
        "/clusters",
        &[],
        b"",
        action,
        SignatureScheme::Acs3HmacSha256,
        &credentials(),
    )
}

/// The request as HTTP/1.1 bytes, with `content-length` when there is a body.
fn wire(request: &HttpRequest, extra_headers: &[(&str, &str)]) -> Vec<u8> {
    let url = request.url();
    let target = url
        .strip_prefix(&format!("{}://{}", request.scheme, request.host))
        .unwrap();
    let mut out = format!("{} {target} HTTP/1.1\r\n", request.method);
    for (name, value) in &request.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    for (name, value) in extra_headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !request.body.is_empty() {
        out.push_str(&format!("content-length: {}\r\n", request.body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request.body);
    bytes
}

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A minimal HTTP/1.1 client connection.
struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    async fn connect(server: &TestServer) -> Self {
        Self {
            stream: TcpStream::connect(server.addr()).await.unwrap(),
            buf: Vec::new(),
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
    }

    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(4096);
        self.stream.read_buf(&mut self.buf).await
    }

    /// Reads one response; `Err` when the connection ends (cleanly: `UnexpectedEof`) or
    /// fails before a whole response arrived.
    async fn answer(&mut self) -> io::Result<Answer> {
        let head_end = loop {
            if let Some(at) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        };
        let head = String::from_utf8(self.buf.drain(..head_end).collect()).unwrap();
        let mut lines = head.trim_end().split("\r\n");
        let status_line = lines.next().unwrap();
        assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
        let status = status_line[9..12].parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap();
                (name.to_owned(), value.to_owned())
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        while self.buf.len() < length {
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        let body = self.buf.drain(..length).collect();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// Everything until the server closes the connection.
    async fn rest(&mut self) -> io::Result<Vec<u8>> {
        while self.fill().await? > 0 {}
        Ok(std::mem::take(&mut self.buf))
    }
}

/// Sends one request on a new connection and reads the answer.
async fn roundtrip(server: &TestServer, bytes: &[u8]) -> io::Result<Answer> {
    let mut client = Client::connect(server).await;
    client.send(bytes).await;
    client.answer().await
}

fn assert_no_panics(server: &TestServer) {
    assert_eq!(server.state.panics.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn signed_requests_verify_and_get_the_default_reply() {
    timed(async {
        let server = server().await;
        let body = br#"{"count":2,"password":"Hello@1234"}"#;
        let query = [
            ("name", "a b/ä+&=~*"),
            ("flag", ""),
            ("zone", "cn-hangzhou-a"),
        ];
        for scheme in [SignatureScheme::Acs3HmacSha256, SignatureScheme::RoaV1] {
            let request = signed(
                &server,
                "POST",
                "/api/v2/clusters/c-abc123",
                &query,
                body,
                "ScaleOutCluster",
                scheme,
                &credentials(),
            );
            let answer = roundtrip(&server, &wire(&request, &[])).await.unwrap();
            assert_eq!(answer.status, 200, "{scheme:?}: {answer:?}");
            assert_eq!(
                answer.header("content-type"),
                Some("application/json;charset=utf-8")
            );
            let json = answer.json();
            assert_eq!(json["cluster_id"], "c-abc123");
            assert_eq!(
                json["request_id"],
                answer.header("x-acs-request-id").unwrap()
            );
            assert!(json["task_id"].as_str().unwrap().starts_with("T-"));
        }
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        for (recorded, scheme) in requests
            .iter()
            .zip([SignatureScheme::Acs3HmacSha256, SignatureScheme::RoaV1])
        {
            let verified = recorded.signature.as_ref().unwrap();
            assert_eq!(verified.scheme, scheme);
            assert_eq!(verified.access_key_id, ID);
            assert_eq!(recorded.method, "POST");
            assert_eq!(recorded.path_only(), "/api/v2/clusters/c-abc123");
            assert!(
                recorded
                    .path
                    .starts_with("/api/v2/clusters/c-abc123?name=a%20b%2F")
            );
            assert_eq!(
                recorded.query()[0],
                ("name".to_owned(), "a b/ä+&=~*".to_owned())
            );
            assert_eq!(recorded.body, body);
            assert_eq!(recorded.body_json().unwrap()["count"], 2);
            assert_eq!(recorded.action(), Some("ScaleOutCluster"));
            // Original header case is kept (ACS3 sends `Authorization`).
            if scheme == SignatureScheme::Acs3HmacSha256 {
                assert!(recorded.headers.iter().any(|(n, _)| n == "Authorization"));
            }
        }
        assert_eq!(requests[0].connection, 1);
        assert_eq!(requests[1].connection, 2);
        assert_eq!(server.connections(), 2);
        assert_eq!(server.count_for_action("ScaleOutCluster"), 2);
        assert_eq!(server.count_for_action("Other"), 0);
        // Task ids count up; the cluster id is absent off the cluster path.
        let json = roundtrip(&server, &wire(&simple(&server, "DescribeClusters"), &[]))
            .await
            .unwrap()
            .json();
        assert_eq!(json["task_id"], "T-3");
        assert!(json.get("cluster_id").is_none(), "{json}");
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn sts_tokens_verify_and_are_hidden_from_debug() {
    timed(async {
        let server = server().await;
        let credentials = credentials().with_security_token("sts-token-secret");
        let request = signed(
            &server,
            "GET",
            "/clusters",
            &[],
            b"",
            "DescribeClusters",
            SignatureScheme::Acs3HmacSha256,
            &credentials,
        );
        let answer = roundtrip(&server, &wire(&request, &[])).await.unwrap();
        assert_eq!(answer.status, 200);
        let recorded = server.last_request().unwrap();
        let verified = recorded.signature.as_ref().unwrap();
        assert_eq!(
            verified.security_token.as_ref().unwrap().expose(),
            "sts-token-secret"
        );
        let debug = format!("{recorded:?} {server:?}");
        assert!(!debug.contains("sts-token-secret"), "{debug}");
        assert!(!debug.contains(SECRET), "{debug}");
    })
    .await;
}

#[tokio::test]
async fn bad_signatures_get_signature_does_not_match_and_are_recorded() {
    timed(async {
        let server = server().await;
        server.push(Reply::ok(json!({"scripted": true})));

        // The action header altered after signing.
        let mut altered = simple(&server, "DescribeClusters");
        altered.set_header("x-acs-action", "DeleteCluster");
        // The body altered after signing (ACS3 covers the body).
        let mut body = signed(
            &server,
            "POST",
            "/clusters",
            &[],
            b"{}",
            "CreateCluster",
            SignatureScheme::Acs3HmacSha256,
            &credentials(),
        );
        body.body = b"{\"x\":1}".to_vec();
        // Another secret, an unknown key, no signature at all.
        let wrong_secret = signed(
            &server,
            "GET",
            "/clusters",
            &[],
            b"",
            "DescribeClusters",
            SignatureScheme::RoaV1,
            &Credentials::new(ID, "not-the-secret"),
        );
        let unknown = signed(
            &server,
            "GET",
            "/clusters",
            &[],
            b"",
            "DescribeClusters",
            SignatureScheme::Acs3HmacSha256,
            &Credentials::new("LTAI-unknown", SECRET),
        );
        let unsigned = b"GET /clusters HTTP/1.1\r\nhost: x\r\n\r\n".to_vec();

        let cases = [
            (wire(&altered, &[]), "signature does not match"),
            (wire(&body, &[]), "x-acs-content-sha256"),
            (wire(&wrong_secret, &[]), "signature does not match"),
            (wire(&unknown, &[]), "unknown access key id `LTAI-unknown`"),
            (unsigned, "no authorization header"),
        ];
        for (bytes, expected) in &cases {
            let answer = roundtrip(&server, bytes).await.unwrap();
            assert_eq!(answer.status, 400);
            let json = answer.json();
            assert_eq!(json["code"], "SignatureDoesNotMatch");
            assert_eq!(json["status"], 400);
            assert_eq!(
                json["requestId"],
                answer.header("x-acs-request-id").unwrap()
            );
            assert!(
                json["message"].as_str().unwrap().contains(expected),
                "{json}"
            );
            assert!(!json.to_string().contains(SECRET));
        }
        // Recorded, but the scripted reply is still there.
        assert_eq!(server.request_count(), cases.len());
        assert!(server.requests().iter().all(|r| r.signature.is_err()));
        assert_eq!(server.count_for_action("DeleteCluster"), 1);
        assert_eq!(server.pending_replies(), 1);

        // Without requiring signatures the scripted reply answers anyway.
        server.set_require_signatures(false);
        let answer = roundtrip(&server, &cases[0].0).await.unwrap();
        assert_eq!(answer.json(), json!({"scripted": true}));
        assert!(server.last_request().unwrap().signature.is_err());
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn scripted_replies_come_in_order_then_the_default() {
    timed(async {
        let server = server().await;
        server.push_all([
            Reply::json(201, json!({"a": 1})).with_header("x-extra", "yes"),
            Reply::throttle(1500),
            Reply::ServerError,
            Reply::error(404, "ErrorClusterNotFound", "cluster c-1 not found"),
            Reply::html(502, "<html><body>Bad Gateway</body></html>"),
            Reply::raw(200, Some("application/json"), &b"{\"truncated\": "[..]),
            Reply::text(503, "unavailable"),
            Reply::empty(202),
        ]);
        server.set_default(Reply::ok(json!({"default": true})));
        let mut client = Client::connect(&server).await;
        let mut answers = Vec::new();
        for _ in 0..9 {
            client
                .send(&wire(&simple(&server, "DescribeClusters"), &[]))
                .await;
            answers.push(client.answer().await.unwrap());
        }
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [201, 400, 500, 404, 502, 200, 503, 202, 200]);

        assert_eq!(answers[0].json(), json!({"a": 1}));
        assert_eq!(answers[0].header("x-extra"), Some("yes"));
        assert!(answers[0].header("x-acs-request-id").is_some());

        let throttle = answers[1].json();
        assert_eq!(throttle["code"], "Throttling.User");
        assert_eq!(
            throttle["message"],
            "Request was denied due to user flow control."
        );
        assert!(throttle["requestId"].is_string());
        assert_eq!(answers[1].header("x-acs-retry-after"), Some("1500"));

        assert_eq!(answers[2].json()["code"], "InternalError");
        assert_eq!(answers[2].json()["status"], 500);
        assert_eq!(answers[3].json()["code"], "ErrorClusterNotFound");
        assert_eq!(answers[3].json()["message"], "cluster c-1 not found");

        assert_eq!(
            answers[4].header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(answers[4].header("x-acs-request-id").is_none());
        assert_eq!(answers[5].body, b"{\"truncated\": ");
        assert_eq!(answers[6].body, b"unavailable");
        assert!(answers[7].body.is_empty());
        assert!(answers[7].header("content-type").is_none());
        assert_eq!(answers[7].header("content-length"), Some("0"));
        assert_eq!(answers[8].json(), json!({"default": true}));

        assert_eq!(server.pending_replies(), 0);
        assert_eq!(server.request_count(), 9);
        assert_eq!(server.connections(), 1);
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn keep_alive_serves_several_requests_per_connection() {
    timed(async {
        let server = server().await;
        let mut client = Client::connect(&server).await;
        client
            .send(&wire(&simple(&server, "DescribeClusters"), &[]))
            .await;
        assert_eq!(client.answer().await.unwrap().status, 200);
        let post = signed(
            &server,
            "POST",
            "/api/v2/clusters/c-2",
            &[],
            b"{\"count\":1}",
            "ScaleOutCluster",
            SignatureScheme::RoaV1,
            &credentials(),
        );
        client.send(&wire(&post, &[])).await;
        assert_eq!(client.answer().await.unwrap().json()["cluster_id"], "c-2");

        // Pipelined: two requests in one write, answered in order.
        let mut both = wire(&simple(&server, "First"), &[]);
        both.extend(wire(&simple(&server, "Second"), &[("Connection", "close")]));
        server.push(Reply::ok(json!({"n": 1})));
        server.push(Reply::ok(json!({"n": 2})));
        client.send(&both).await;
        assert_eq!(client.answer().await.unwrap().json(), json!({"n": 1}));
        let last = client.answer().await.unwrap();
        assert_eq!(last.json(), json!({"n": 2}));
        assert_eq!(last.header("connection"), Some("close"));
        // `connection: close` ends the connection.
        assert!(client.rest().await.unwrap().is_empty());

        assert_eq!(server.connections(), 1);
        let requests = server.requests();
        assert_eq!(requests.len(), 4);
        assert!(
            requests
                .iter()
                .all(|r| r.connection == 1 && r.is_verified())
        );

        // HTTP/1.0 closes unless asked to keep the connection.
        let mut old = wire(&simple(&server, "Old"), &[]);
        let at = old.windows(8).position(|w| w == b"HTTP/1.1").unwrap();
        old[at..at + 8].copy_from_slice(b"HTTP/1.0");
        let mut client = Client::connect(&server).await;
        client.send(&old).await;
        let answer = client.answer().await.unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("connection"), Some("close"));
        assert!(client.rest().await.unwrap().is_empty());
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn reset_before_read_does_not_record() {
    timed(async {
        let server = server().await;
        server.push(Reply::ResetBeforeRead);
        let mut client = Client::connect(&server).await;
        client
            .send(&wire(&simple(&server, "DescribeClusters"), &[]))
            .await;
        let error = client.answer().await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        assert_eq!(server.request_count(), 0);
        assert_eq!(server.connections(), 1);
        assert_eq!(server.pending_replies(), 0);

        // On a kept-alive connection, it applies to the next request that starts.
        let mut client = Client::connect(&server).await;
        client.send(&wire(&simple(&server, "A"), &[])).await;
        assert_eq!(client.answer().await.unwrap().status, 200);
        server.push(Reply::ResetBeforeRead);
        client.send(&wire(&simple(&server, "B"), &[])).await;
        let error = client.answer().await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        assert_eq!(server.count_for_action("A"), 1);
        assert_eq!(server.count_for_action("B"), 0);

        // As the default it resets every connection.
        server.set_default(Reply::ResetBeforeRead);
        for _ in 0..2 {
            let error = roundtrip(&server, &wire(&simple(&server, "C"), &[]))
                .await
                .unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        }
        assert_eq!(server.request_count(), 1);
        assert_eq!(server.connections(), 4);
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn reset_and_close_after_read_record_the_request() {
    timed(async {
        let server = server().await;
        server.push(Reply::ResetAfterRead);
        server.push(Reply::CloseAfterRead);

        let error = roundtrip(&server, &wire(&simple(&server, "Reset"), &[]))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        assert_eq!(server.count_for_action("Reset"), 1);

        let mut client = Client::connect(&server).await;
        client.send(&wire(&simple(&server, "Close"), &[])).await;
        // A clean end of input without any response byte.
        assert_eq!(client.rest().await.unwrap(), b"");
        assert_eq!(server.count_for_action("Close"), 1);
        assert_eq!(server.request_count(), 2);
        assert!(server.requests().iter().all(RecordedRequest::is_verified));
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn delay_records_first_and_answers_late() {
    timed(async {
        let server = server().await;
        let by = Duration::from_millis(400);
        server.push(Reply::delay(by, Reply::ok(json!({"late": true}))));
        server.push(Reply::delay(by, Reply::ResetAfterRead));
        let mut client = Client::connect(&server).await;
        let started = Instant::now();
        client.send(&wire(&simple(&server, "Slow"), &[])).await;

        // The request is recorded before the answer comes.
        while server.request_count() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(started.elapsed() < by);
        let answer = client.answer().await.unwrap();
        assert!(started.elapsed() >= by);
        assert_eq!(answer.json(), json!({"late": true}));

        let started = Instant::now();
        client.send(&wire(&simple(&server, "Slow"), &[])).await;
        let error = client.answer().await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        assert!(started.elapsed() >= by);
        assert_eq!(server.count_for_action("Slow"), 2);
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn truncated_bodies_announce_more_than_they_send() {
    timed(async {
        let server = server().await;
        server.push(Reply::TruncatedBody);
        let mut client = Client::connect(&server).await;
        client
            .send(&wire(&simple(&server, "DescribeClusters"), &[]))
            .await;
        let bytes = client.rest().await.unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        let announced: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert!(!body.is_empty());
        assert!(body.len() < announced, "{body:?} vs {announced}");
        assert!(body.starts_with("{\"request_id\":"), "{body}");
        assert_eq!(server.request_count(), 1);
        assert_no_panics(&server);
    })
    .await;
}

/// Sends `bytes`, then expects a 400 `BadRequest` and the end of the connection.
async fn assert_rejected(server: &TestServer, bytes: &[u8], expected: &str) {
    let mut client = Client::connect(server).await;
    // The server may stop reading early and answer before all of it is sent.
    let _ = client.stream.write_all(bytes).await;
    let answer = client.answer().await.unwrap();
    assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(bytes));
    assert_eq!(answer.header("connection"), Some("close"));
    let json = answer.json();
    assert_eq!(json["code"], "BadRequest");
    assert!(
        json["message"].as_str().unwrap().contains(expected),
        "{json} does not mention {expected}"
    );
}

#[tokio::test]
async fn malformed_and_oversized_requests_get_400() {
    timed(async {
        let server = server().await;
        let cases: [(&[u8], &str); 12] = [
            (b"GARBAGE\r\n\r\n", "malformed request line"),
            (b"GET /\r\n\r\n", "malformed request line"),
            (b"GET / HTTP/1.1 extra\r\n\r\n", "malformed request line"),
            (b"GET / HTTP/2.0\r\n\r\n", "HTTP/1.1"),
            (b"GET http://x/ HTTP/1.1\r\n\r\n", "origin-form"),
            (b"GET /\xff\xfe HTTP/1.1\r\n\r\n", "visible ASCII"),
            (b"\x00\x01\x02\x03\r\n\r\n", "malformed request line"),
            (
                b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
                "malformed header",
            ),
            (
                b"GET / HTTP/1.1\r\nbad name: v\r\n\r\n",
                "malformed header name",
            ),
            (
                b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                "transfer-encoding",
            ),
            (
                b"POST / HTTP/1.1\r\ncontent-length: abc\r\n\r\n",
                "content-length",
            ),
            (
                b"POST / HTTP/1.1\r\ncontent-length: 9000000\r\n\r\n",
                "body exceeds 8388608 bytes",
            ),
        ];
        for (bytes, expected) in cases {
            assert_rejected(&server, bytes, expected).await;
        }

        // A head over 64 KiB, by one long header and by many headers.
        let mut big = b"GET / HTTP/1.1\r\nx-big: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 70 * 1024));
        big.extend(b"\r\n\r\n");
        assert_rejected(&server, &big, "exceeds 65536 bytes").await;
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..5000 {
            many.extend(format!("x-h-{i}: value\r\n").as_bytes());
        }
        many.extend(b"\r\n");
        assert_rejected(&server, &many, "exceeds 65536 bytes").await;
        // A head that never ends also stops at 64 KiB.
        let endless = vec![b'a'; 80 * 1024];
        assert_rejected(&server, &endless, "exceeds 65536 bytes").await;

        // Closing mid-request is answered too (the client only closed its sending side).
        let mut client = Client::connect(&server).await;
        client
            .send(b"POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\nabc")
            .await;
        client.stream.shutdown().await.unwrap();
        let answer = client.answer().await.unwrap();
        assert_eq!(answer.status, 400);
        assert!(
            answer.json()["message"]
                .as_str()
                .unwrap()
                .contains("3 of the 10")
        );

        // Nothing was recorded, and the server still works.
        assert_eq!(server.request_count(), 0);
        let answer = roundtrip(&server, &wire(&simple(&server, "Ok"), &[]))
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn large_bodies_and_expect_continue_work() {
    timed(async {
        let server = server().await;
        let body = vec![b'x'; 3 * 1024 * 1024];
        let request = signed(
            &server,
            "PUT",
            "/api/v2/clusters/c-big",
            &[],
            &body,
            "ModifyCluster",
            SignatureScheme::Acs3HmacSha256,
            &credentials(),
        );
        let bytes = wire(&request, &[]);
        let answer = roundtrip(&server, &bytes).await.unwrap();
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(server.last_request().unwrap().body.len(), body.len());

        // expect: 100-continue gets an interim response before the body is sent.
        let small = signed(
            &server,
            "POST",
            "/clusters",
            &[],
            b"{}",
            "CreateCluster",
            SignatureScheme::Acs3HmacSha256,
            &credentials(),
        );
        let bytes = wire(&small, &[("Expect", "100-continue")]);
        let split = bytes.len() - 2;
        let mut client = Client::connect(&server).await;
        client.send(&bytes[..split]).await;
        let interim = client.answer().await.unwrap();
        assert_eq!(interim.status, 100);
        client.send(&bytes[split..]).await;
        assert_eq!(client.answer().await.unwrap().status, 200);
        assert!(server.last_request().unwrap().is_verified());
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn random_input_never_panics_the_server() {
    timed(async {
        let server = server().await;
        // A fixed xorshift sequence: reproducible, no extra crates.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: &[u8] = b"GET POST / HTTP/1.1\r\n:content-length: 5 transfer-encoding chunked connection close ?=&%\x00\xff";
        for round in 0..200 {
            let len = (next() % 300) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if round % 2 == 0 {
                        alphabet[(r as usize) % alphabet.len()]
                    } else {
                        r as u8
                    }
                })
                .collect();
            let mut stream = TcpStream::connect(server.addr()).await.unwrap();
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer).await;
            assert!(
                answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
                "{:?}",
                String::from_utf8_lossy(&answer)
            );
        }
        // Let the connection tasks finish and be reaped.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let answer = roundtrip(&server, &wire(&simple(&server, "Ok"), &[]))
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        assert_no_panics(&server);
    })
    .await;
}

#[tokio::test]
async fn clear_and_drop() {
    timed(async {
        let server = server().await;
        let _ = roundtrip(&server, &wire(&simple(&server, "A"), &[])).await;
        assert_eq!(server.request_count(), 1);
        server.clear();
        assert_eq!(server.request_count(), 0);
        assert_eq!(server.connections(), 0);
        assert!(server.endpoint().starts_with("http://127.0.0.1:"));
        assert_eq!(server.endpoint(), format!("http://{}", server.addr()));

        // An open connection ends and new ones are refused once the server is dropped.
        let mut client = Client::connect(&server).await;
        let addr = server.addr();
        drop(server);
        assert!(client.rest().await.unwrap_or_default().is_empty());
        // The listener closes when the aborted accept task is dropped.
        let mut refused = false;
        for _ in 0..100 {
            if TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(refused);
    })
    .await;
}

#[test]
fn start_outside_a_runtime_is_an_error() {
    // Polling the future by hand outside Tokio must not panic.
    let future = TestServer::start([(ID, SECRET)]);
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::noop();
    let mut context = std::task::Context::from_waker(waker);
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(result) => assert!(result.is_err()),
        std::task::Poll::Pending => panic!("expected an immediate error"),
    }
}
