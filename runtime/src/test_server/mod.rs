//! A loopback HTTP/1.1 server for testing code that calls ACK's ROA APIs: it verifies request
//! signatures, records every request, and answers with scripted replies and faults.
//!
//! Enable the `test-server` feature (usually in `[dev-dependencies]`) and run the server on
//! a Tokio runtime:
//!
//! ```toml
//! [dev-dependencies]
//! acs-runtime = { version = "…", features = ["test-server"] }
//! ```
//!
//! # What it does
//!
//! * [`TestServer::start`] binds `127.0.0.1` on a free port and serves on the current Tokio
//!   runtime until the [`TestServer`] is dropped. Point the client at
//!   [`TestServer::endpoint`] (`http://127.0.0.1:<port>`) with one of the access keys given
//!   to `start`.
//! * Every request is checked with [`signing::verify`](crate::signing::verify) against those
//!   keys (both ROA v1 and ACS3-HMAC-SHA256). A request whose signature does not verify is
//!   answered with ACK's 400 `SignatureDoesNotMatch` error document (the message says why),
//!   without consuming a scripted reply; [`TestServer::set_require_signatures`] turns that
//!   off.
//! * Every request read completely is recorded as a [`RecordedRequest`] *before* it is
//!   answered, so a test can count attempts even when the answer is a fault: see
//!   [`TestServer::requests`], [`TestServer::request_count`],
//!   [`TestServer::count_for_action`] and [`TestServer::connections`].
//! * Answers come from a FIFO queue of [`Reply`]s ([`TestServer::push`]), one per request;
//!   when the queue is empty the default reply answers ([`TestServer::set_default`]; at first
//!   [`Reply::TaskAccepted`], a 200 `{"cluster_id":…,"request_id":…,"task_id":"T-<n>"}`).
//!   Besides JSON, raw and error replies there are faults: throttling, 500s, connection
//!   resets before and after the request was read, a clean close without an answer, slow
//!   answers and truncated bodies.
//!
//! The server speaks HTTP/1.1 with keep-alive (several requests per connection, pipelining
//! included) and bodies framed by `content-length`. It answers input it does not accept
//! (malformed request lines or headers, chunked bodies, heads over 64 KiB, bodies over
//! 8 MiB) with a 400 and closes the connection; it never panics on any input. It never logs,
//! and `Debug` of a [`RecordedRequest`] hides security tokens and bodies.
//!
//! Concurrent requests consume scripted replies in the order the server finishes reading
//! them. The server runs on the runtime that called `start`: on `#[tokio::test]`'s default
//! single-threaded runtime it makes progress whenever the test awaits, which suits async
//! clients; a blocking client needs its own thread (`spawn_blocking`) or a multi-threaded
//! runtime.
//!
//! # Example
//!
//! Any HTTP/1.1 client works; this one signs a request with
//! [`signing::sign`](crate::signing::sign) and writes it by hand, where a real test would use
//! the API client.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//!
//! use acs_runtime::credentials::Credentials;
//! use acs_runtime::signing::{self, HttpRequest, SignatureScheme, SigningParams};
//! use acs_runtime::test_server::{Reply, TestServer};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = TestServer::start([("LTAI-test", "test-secret")]).await?;
//! // The first attempt is throttled, the second one succeeds.
//! server.push(Reply::throttle(100));
//! server.push(Reply::ok(serde_json::json!({ "cluster_id": "c-1", "state": "running" })));
//!
//! let credentials = Credentials::new("LTAI-test", "test-secret");
//! let mut answers = Vec::new();
//! for _ in 0..2 {
//!     let mut request =
//!         HttpRequest::new("GET", "http", server.addr().to_string(), "/clusters/c-1");
//!     let nonce = signing::new_nonce();
//!     signing::sign(
//!         &mut request,
//!         &SigningParams {
//!             action: "DescribeClusterDetail",
//!             version: "2015-12-15",
//!             credentials: &credentials,
//!             scheme: SignatureScheme::Acs3HmacSha256,
//!             time: SystemTime::now(),
//!             nonce: &nonce,
//!             retry: None,
//!         },
//!     );
//!     let mut wire = format!("GET {} HTTP/1.1\r\n", request.path);
//!     for (name, value) in &request.headers {
//!         wire.push_str(&format!("{name}: {value}\r\n"));
//!     }
//!     wire.push_str("connection: close\r\n\r\n");
//!
//!     let mut stream = tokio::net::TcpStream::connect(server.addr()).await?;
//!     stream.write_all(wire.as_bytes()).await?;
//!     let mut answer = String::new();
//!     stream.read_to_string(&mut answer).await?;
//!     answers.push(answer);
//! }
//! assert!(answers[0].starts_with("HTTP/1.1 400 "));
//! assert!(answers[0].contains("x-acs-retry-after: 100"));
//! assert!(answers[0].contains("Throttling.User"));
//! assert!(answers[1].starts_with("HTTP/1.1 200 "));
//! assert!(answers[1].ends_with(r#"{"cluster_id":"c-1","state":"running"}"#));
//!
//! // Both attempts reached the server, and both were signed correctly.
//! assert_eq!(server.count_for_action("DescribeClusterDetail"), 2);
//! let requests = server.requests();
//! assert!(requests.iter().all(|r| r.is_verified()));
//! assert_eq!(requests[0].signature.as_ref().unwrap().access_key_id, "LTAI-test");
//!
//! // Faults: reset the next connection before reading it, then answer slowly.
//! server.push(Reply::ResetBeforeRead);
//! server.push(Reply::delay(Duration::from_millis(50), Reply::empty(202)));
//! # Ok(())
//! # }
//! ```

mod http;
mod recorded;
mod reply;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};

use crate::Sensitive;

pub use recorded::{RecordedRequest, http_request, parse_query};
pub use reply::Reply;

use http::{Conn, ReadError, Response, Version};

/// A running loopback server; it stops, closing every connection, when dropped.
///
/// All methods take `&self`, so a test can keep scripting and inspecting the server while a
/// client uses it (share it with an [`Arc`] across tasks if needed). See the
/// [module documentation](self).
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept_task: AbortHandle,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .field("requests", &self.request_count())
            .field("pending_replies", &self.pending_replies())
            .finish_non_exhaustive()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping the accept task drops its listener and its set of connection tasks, which
        // aborts them.
        self.accept_task.abort();
    }
}

impl TestServer {
    /// Starts a server on `127.0.0.1` with a free port, accepting requests signed with any of
    /// the given `(access key id, access key secret)` pairs.
    ///
    /// The server runs on the current Tokio runtime (it needs the `net`, `io-util`, `time`
    /// and `rt` features, which `test-server` enables) until the returned value is dropped.
    /// With no access keys, no signature verifies (see
    /// [`TestServer::set_require_signatures`]); name the item type then, e.g.
    /// `TestServer::start(Vec::<(String, String)>::new())`.
    ///
    /// # Errors
    ///
    /// When called outside a Tokio runtime, or when binding the socket fails.
    pub async fn start<I, K, V>(credentials: I) -> io::Result<TestServer>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let secrets = credentials
            .into_iter()
            .map(|(id, secret)| (id.into(), Sensitive::new(secret.into())))
            .collect();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(secrets));
        let accept_task = runtime
            .spawn(accept_loop(listener, Arc::clone(&state)))
            .abort_handle();
        Ok(TestServer {
            addr,
            state,
            accept_task,
        })
    }

    /// The base URL to point a client at: `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends a reply to the queue; each request consumes the oldest one.
    pub fn push(&self, reply: Reply) {
        self.state.lock().queue.push_back(reply);
    }

    /// Appends several replies to the queue, in order.
    pub fn push_all(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.lock().queue.extend(replies);
    }

    /// Sets the reply used when the queue is empty (at first [`Reply::TaskAccepted`]).
    pub fn set_default(&self, reply: Reply) {
        self.state.lock().default = reply;
    }

    /// How many pushed replies have not been used yet.
    pub fn pending_replies(&self) -> usize {
        self.state.lock().queue.len()
    }

    /// Whether a request whose signature does not verify is answered with 400
    /// `SignatureDoesNotMatch` (the default) instead of a scripted reply. Either way the
    /// verification outcome is recorded in [`RecordedRequest::signature`].
    pub fn set_require_signatures(&self, require: bool) {
        self.state
            .require_signatures
            .store(require, Ordering::Relaxed);
    }

    /// Every request recorded so far (since the last [`TestServer::clear`]), in the order
    /// the server finished reading them.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().requests.clone()
    }

    /// The most recent recorded request.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state.lock().requests.last().cloned()
    }

    /// How many requests were recorded (since the last [`TestServer::clear`]).
    pub fn request_count(&self) -> usize {
        self.state.lock().requests.len()
    }

    /// How many recorded requests carry `x-acs-action: <action>`.
    pub fn count_for_action(&self, action: &str) -> usize {
        self.state
            .lock()
            .requests
            .iter()
            .filter(|request| request.action() == Some(action))
            .count()
    }

    /// How many connections were accepted (since the last [`TestServer::clear`]), including
    /// those reset by [`Reply::ResetBeforeRead`].
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::Relaxed)
    }

    /// Forgets the recorded requests and sets the connection count to 0. The reply queue,
    /// the default reply and the numbering of connections and tasks are kept.
    pub fn clear(&self) {
        let mut inner = self.state.lock();
        inner.requests.clear();
        self.state.connections.store(0, Ordering::Relaxed);
    }
}

/// What the server shares between its tasks and the [`TestServer`].
struct State {
    secrets: HashMap<String, Sensitive<String>>,
    require_signatures: AtomicBool,
    /// Accepted connections since the last clear.
    connections: AtomicUsize,
    /// Accepted connections ever; numbers connections.
    connection_ids: AtomicUsize,
    /// `T-<n>` task ids of [`Reply::TaskAccepted`].
    tasks: AtomicU64,
    /// Connection tasks that panicked (a bug; the tests check it stays 0).
    panics: AtomicUsize,
    inner: Mutex<Inner>,
}

struct Inner {
    queue: VecDeque<Reply>,
    default: Reply,
    requests: Vec<RecordedRequest>,
}

/// What to do with a request that was read completely.
enum Decision {
    /// Answer with this reply (the request is recorded).
    Answer(Reply),
    /// Reset the connection without recording the request.
    ResetUnrecorded,
}

impl State {
    fn new(secrets: HashMap<String, Sensitive<String>>) -> Self {
        Self {
            secrets,
            require_signatures: AtomicBool::new(true),
            connections: AtomicUsize::new(0),
            connection_ids: AtomicUsize::new(0),
            tasks: AtomicU64::new(0),
            panics: AtomicUsize::new(0),
            inner: Mutex::new(Inner {
                queue: VecDeque::new(),
                default: Reply::TaskAccepted,
                requests: Vec::new(),
            }),
        }
    }

    /// Locks the shared state; a poisoned lock is used anyway (nothing holding it can leave
    /// it inconsistent).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn secret(&self, access_key_id: &str) -> Option<String> {
        self.secrets
            .get(access_key_id)
            .map(|secret| secret.expose().clone())
    }

    /// Counts an accepted connection and returns its number (from 1).
    fn connection_accepted(&self) -> usize {
        self.connections.fetch_add(1, Ordering::Relaxed);
        self.connection_ids
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1)
    }

    /// Called when a request starts to arrive: consumes a [`Reply::ResetBeforeRead`] at the
    /// front of the queue (or uses it as the default when the queue is empty).
    fn take_reset_before_read(&self) -> bool {
        let mut inner = self.lock();
        match inner.queue.front() {
            Some(Reply::ResetBeforeRead) => {
                inner.queue.pop_front();
                true
            }
            Some(_) => false,
            None => inner.default == Reply::ResetBeforeRead,
        }
    }

    /// Records a request and picks its reply, atomically so that concurrent requests consume
    /// replies in the order they are recorded.
    fn decide(&self, request: RecordedRequest) -> Decision {
        let mut inner = self.lock();
        if let Err(message) = &request.signature
            && self.require_signatures.load(Ordering::Relaxed)
        {
            let reply = Reply::error(400, "SignatureDoesNotMatch", message.clone());
            inner.requests.push(request);
            return Decision::Answer(reply);
        }
        let reply = match inner.queue.pop_front() {
            Some(reply) => reply,
            None => inner.default.clone(),
        };
        if reply == Reply::ResetBeforeRead {
            // Another connection's request got in first when this one was checked; behave as
            // if this reply had been found when the request started.
            return Decision::ResetUnrecorded;
        }
        inner.requests.push(request);
        Decision::Answer(reply)
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let id = state.connection_accepted();
                    connections.spawn(serve_connection(Arc::clone(&state), stream, id));
                }
                // E.g. too many open files: wait instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(joined) = connections.join_next() => {
                if joined.is_err_and(|error| error.is_panic()) {
                    state.panics.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}

/// How a connection goes on after a reply.
enum Flow {
    KeepAlive,
    Close,
    Reset,
    /// The peer is gone or the socket failed.
    Drop,
}

async fn serve_connection(state: Arc<State>, stream: TcpStream, connection: usize) {
    let _ = stream.set_nodelay(true);
    let mut conn = Conn::new(stream);
    loop {
        if !conn.wait_for_request().await {
            return;
        }
        if state.take_reset_before_read() {
            conn.reset();
            return;
        }
        let request = match conn.read_request().await {
            Ok(request) => request,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(message)) => {
                let response = reply::error_response(400, "BadRequest", &message, Vec::new());
                let head = response.encode_head(response.body.len(), true, false);
                if conn
                    .write_all(&[head, response.body].concat())
                    .await
                    .is_ok()
                {
                    conn.close_after_error().await;
                }
                return;
            }
        };
        let keep_alive = request.keep_alive();
        let keep_alive_10 = keep_alive && request.version == Version::Http10;
        let head_only = request.method.eq_ignore_ascii_case("HEAD");
        let path = request
            .target
            .split_once('?')
            .map_or(request.target.as_str(), |(path, _)| path)
            .to_owned();
        let http_request = recorded::http_request(
            request.method,
            &request.target,
            request.headers,
            request.body,
        );
        let recorded = recorded::record(http_request, request.target, connection, |id| {
            state.secret(id)
        });
        let reply = match state.decide(recorded) {
            Decision::Answer(reply) => reply,
            Decision::ResetUnrecorded => {
                conn.reset();
                return;
            }
        };
        let options = AnswerOptions {
            path: &path,
            keep_alive,
            keep_alive_10,
            head_only,
        };
        match answer(&mut conn, &state, reply, &options).await {
            Flow::KeepAlive => {}
            Flow::Close => {
                conn.close().await;
                return;
            }
            Flow::Reset => {
                conn.reset();
                return;
            }
            Flow::Drop => return,
        }
    }
}

struct AnswerOptions<'a> {
    /// The request path without query.
    path: &'a str,
    keep_alive: bool,
    keep_alive_10: bool,
    /// A `HEAD` request: send no body.
    head_only: bool,
}

async fn answer(
    conn: &mut Conn,
    state: &State,
    mut reply: Reply,
    options: &AnswerOptions<'_>,
) -> Flow {
    loop {
        match reply.step(options.path, &state.tasks) {
            reply::Step::Wait(by, then) => {
                tokio::time::sleep(by).await;
                reply = then;
            }
            reply::Step::Respond(response) => {
                let close = !options.keep_alive || response.closes();
                let bytes = encode(&response, response.body.len(), close, options);
                return match conn.write_all(&bytes).await {
                    Ok(()) if close => Flow::Close,
                    Ok(()) => Flow::KeepAlive,
                    Err(_) => Flow::Drop,
                };
            }
            reply::Step::Truncate(response) => {
                let sent = response.body.len() / 2;
                let mut bytes = response.encode_head(response.body.len(), true, false);
                bytes.extend_from_slice(response.body.get(..sent).unwrap_or_default());
                return match conn.write_all(&bytes).await {
                    Ok(()) => Flow::Close,
                    Err(_) => Flow::Drop,
                };
            }
            reply::Step::Reset => return Flow::Reset,
            reply::Step::Close => return Flow::Close,
        }
    }
}

/// The bytes of a complete response.
fn encode(response: &Response, length: usize, close: bool, options: &AnswerOptions<'_>) -> Vec<u8> {
    let mut bytes = response.encode_head(length, close, options.keep_alive_10);
    if !options.head_only {
        bytes.extend_from_slice(&response.body);
    }
    bytes
}
