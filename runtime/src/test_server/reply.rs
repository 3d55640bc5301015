//! Scripted replies and how each one is carried out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::http::Response;

/// The `content-type` of the JSON replies the server builds, as ACK sends it.
pub(super) const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// What the server does with one request. Push replies with
/// [`TestServer::push`](super::TestServer::push); each request consumes the oldest one, and
/// the default reply ([`TestServer::set_default`](super::TestServer::set_default)) answers when
/// none is left.
///
/// Replies that build an ACK JSON document (`TaskAccepted`, `Error`, `Throttle`,
/// `ServerError`, the 400 `SignatureDoesNotMatch`) generate a fresh request id and send it
/// both as `requestId` / `request_id` in the body and as the `x-acs-request-id` header.
/// `Json` replies get the header too (unless they set it themselves); `Raw` replies get only
/// what they specify, like a proxy's error page would.
///
/// The server always writes `content-length` itself (a `content-length` or
/// `transfer-encoding` among the headers is ignored) and closes the connection after a reply
/// whose headers contain `connection: close`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// 200 with the JSON of an accepted asynchronous ACK operation:
    /// `{"cluster_id":"<id>","request_id":"<generated>","task_id":"T-<n>"}`, where
    /// `cluster_id` is the decoded `{ClusterId}` when the path is `/api/v2/clusters/{ClusterId}`
    /// (and absent otherwise) and `n` counts these replies from 1. The initial default reply.
    #[default]
    TaskAccepted,
    /// A JSON body with `content-type: application/json;charset=utf-8`.
    Json {
        /// The HTTP status.
        status: u16,
        /// The body, serialized compactly.
        body: Value,
        /// Extra response headers, in order.
        headers: Vec<(String, String)>,
    },
    /// Any bytes: an HTML error page, truncated or invalid JSON, plain text, an empty body.
    Raw {
        /// The HTTP status.
        status: u16,
        /// The `content-type`; `None` sends none.
        content_type: Option<String>,
        /// The body bytes, sent as they are.
        body: Vec<u8>,
        /// Extra response headers, in order.
        headers: Vec<(String, String)>,
    },
    /// An ACK error document:
    /// `{"code":<code>,"message":<message>,"requestId":"<generated>","status":<status>}`.
    Error {
        /// The HTTP status, repeated as `status` in the body.
        status: u16,
        /// The error code, e.g. `ErrorClusterNotFound`.
        code: String,
        /// The error message.
        message: String,
        /// Extra response headers, in order.
        headers: Vec<(String, String)>,
    },
    /// Flow control: HTTP 400 with code `Throttling.User` and the header
    /// `x-acs-retry-after: <retry_after_ms>`.
    Throttle {
        /// The value of `x-acs-retry-after`, in milliseconds.
        retry_after_ms: u64,
    },
    /// HTTP 500 with code `InternalError`.
    ServerError,
    /// Reset the connection (RST) when the request starts to arrive, without reading or
    /// recording it.
    ///
    /// The server checks for this reply when the first byte of a request arrives (on a new or a
    /// kept-alive connection); when it is at the front of the queue then (or the queue is empty
    /// and it is the default), it is consumed and the connection reset. Inside
    /// [`Reply::Delay`] it is carried out after the request was read and recorded, like
    /// [`Reply::ResetAfterRead`].
    ResetBeforeRead,
    /// Read and record the whole request, then reset the connection (RST) without answering.
    ResetAfterRead,
    /// Read and record the whole request, then close the connection cleanly (FIN) without
    /// answering.
    CloseAfterRead,
    /// Record the request, wait `by`, then carry out `then`.
    Delay {
        /// How long to wait before answering.
        by: Duration,
        /// The reply after the wait.
        then: Box<Reply>,
    },
    /// A [`Reply::TaskAccepted`] response whose headers announce the whole body but of which
    /// only the first half is sent before the connection is closed.
    TruncatedBody,
}

impl Reply {
    /// [`Reply::Json`] with the given status and body and no extra headers.
    pub fn json(status: u16, body: Value) -> Self {
        Self::Json {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// [`Reply::Json`] with status 200.
    pub fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// [`Reply::Raw`] with the given status, content type and body.
    pub fn raw(status: u16, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Self {
        Self::Raw {
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// [`Reply::Raw`] with no body and no content type, e.g. `Reply::empty(202)`.
    pub fn empty(status: u16) -> Self {
        Self::raw(status, None, Vec::new())
    }

    /// [`Reply::Raw`] with `content-type: text/html; charset=utf-8`, as a gateway's error page.
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Self::raw(status, Some("text/html; charset=utf-8"), body.into())
    }

    /// [`Reply::Raw`] with `content-type: text/plain; charset=utf-8`.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::raw(status, Some("text/plain; charset=utf-8"), body.into())
    }

    /// [`Reply::Error`]: an ACK error document with this status, code and message.
    pub fn error(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Error {
            status,
            code: code.into(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// [`Reply::Throttle`].
    pub fn throttle(retry_after_ms: u64) -> Self {
        Self::Throttle { retry_after_ms }
    }

    /// [`Reply::Delay`]: `then`, after `by`.
    pub fn delay(by: Duration, then: Reply) -> Self {
        Self::Delay {
            by,
            then: Box::new(then),
        }
    }

    /// Adds a response header to a `Json`, `Raw` or `Error` reply (or to the reply a `Delay`
    /// ends with); other replies are returned unchanged.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        match &mut self {
            Self::Json { headers, .. }
            | Self::Raw { headers, .. }
            | Self::Error { headers, .. } => {
                headers.push((name.into(), value.into()));
            }
            Self::Delay { then, .. } => {
                let inner = std::mem::take(then.as_mut());
                **then = inner.with_header(name, value);
            }
            _ => {}
        }
        self
    }
}

/// What answering a request takes, one step at a time.
#[derive(Debug)]
pub(super) enum Step {
    /// Send this response.
    Respond(Response),
    /// Send this response's head and the first half of its body, then close.
    Truncate(Response),
    /// Reset the connection.
    Reset,
    /// Close the connection cleanly.
    Close,
    /// Wait, then carry out the reply.
    Wait(Duration, Reply),
}

/// A fresh request id shaped like ACK's: an upper-case UUID (`8-4-4-4-12` hex digits).
pub(super) fn new_request_id() -> String {
    let hex = crate::signing::new_nonce().to_ascii_uppercase();
    let mut out = String::with_capacity(36);
    for (index, digit) in hex.chars().enumerate() {
        if matches!(index, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(digit);
    }
    out
}

/// The decoded `{ClusterId}` of a path `/api/v2/clusters/{ClusterId}` (query excluded).
fn cluster_id(path: &str) -> Option<String> {
    let id = path.strip_prefix("/api/v2/clusters/")?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(id)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn json_response(
    status: u16,
    body: &Value,
    request_id: Option<&str>,
    extra: Vec<(String, String)>,
) -> Response {
    let mut headers = vec![("content-type".to_owned(), JSON_CONTENT_TYPE.to_owned())];
    let has_request_id = extra
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("x-acs-request-id"));
    if let Some(id) = request_id
        && !has_request_id
    {
        headers.push(("x-acs-request-id".to_owned(), id.to_owned()));
    }
    headers.extend(extra);
    Response {
        status,
        headers,
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

/// The ACK error document.
pub(super) fn error_response(
    status: u16,
    code: &str,
    message: &str,
    extra: Vec<(String, String)>,
) -> Response {
    let request_id = new_request_id();
    let body = json!({
        "code": code,
        "message": message,
        "requestId": request_id,
        "status": status,
    });
    json_response(status, &body, Some(&request_id), extra)
}

fn task_accepted(path: &str, task_counter: &AtomicU64) -> Response {
    let request_id = new_request_id();
    let task = task_counter.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
    let mut body = Map::new();
    if let Some(id) = cluster_id(path) {
        body.insert("cluster_id".to_owned(), Value::String(id));
    }
    body.insert("request_id".to_owned(), Value::String(request_id.clone()));
    body.insert("task_id".to_owned(), Value::String(format!("T-{task}")));
    json_response(200, &Value::Object(body), Some(&request_id), Vec::new())
}

impl Reply {
    /// The next step for a request to `path` (without query).
    pub(super) fn step(self, path: &str, task_counter: &AtomicU64) -> Step {
        match self {
            Self::TaskAccepted => Step::Respond(task_accepted(path, task_counter)),
            Self::Json {
                status,
                body,
                headers,
            } => Step::Respond(json_response(
                status,
                &body,
                Some(&new_request_id()),
                headers,
            )),
            Self::Raw {
                status,
                content_type,
                body,
                headers: extra,
            } => {
                let mut headers = Vec::with_capacity(extra.len() + 1);
                if let Some(content_type) = content_type {
                    headers.push(("content-type".to_owned(), content_type));
                }
                headers.extend(extra);
                Step::Respond(Response {
                    status,
                    headers,
                    body,
                })
            }
            Self::Error {
                status,
                code,
                message,
                headers,
            } => Step::Respond(error_response(status, &code, &message, headers)),
            Self::Throttle { retry_after_ms } => Step::Respond(error_response(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
                vec![("x-acs-retry-after".to_owned(), retry_after_ms.to_string())],
            )),
            Self::ServerError => Step::Respond(error_response(
                500,
                "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.",
                Vec::new(),
            )),
            Self::ResetBeforeRead | Self::ResetAfterRead => Step::Reset,
            Self::CloseAfterRead => Step::Close,
            Self::Delay { by, then } => Step::Wait(by, *then),
            Self::TruncatedBody => Step::Truncate(task_accepted(path, task_counter)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_ack_ones() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(
            id.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_ne!(id, new_request_id());
    }

    #[test]
    fn cluster_ids_come_from_the_cluster_path_only() {
        assert_eq!(cluster_id("/api/v2/clusters/c-1"), Some("c-1".to_owned()));
        assert_eq!(cluster_id("/api/v2/clusters/c%201"), Some("c 1".to_owned()));
        assert_eq!(cluster_id("/api/v2/clusters/"), None);
        assert_eq!(cluster_id("/api/v2/clusters/c-1/nodepools"), None);
        assert_eq!(cluster_id("/clusters/c-1"), None);
    }

    #[test]
    fn with_header_reaches_the_delayed_reply() {
        let reply = Reply::delay(Duration::from_millis(1), Reply::empty(202)).with_header("a", "b");
        let Reply::Delay { then, .. } = reply else {
            panic!("not a delay")
        };
        assert_eq!(
            *then,
            Reply::Raw {
                status: 202,
                content_type: None,
                body: Vec::new(),
                headers: vec![("a".to_owned(), "b".to_owned())],
            }
        );
    }
}
