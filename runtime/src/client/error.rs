//! The one error type of a call, and the service's error answers.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::operation::RequestError;
use crate::validate::ValidationErrors;

/// Everything that can go wrong with a call. Match on it to decide what to do; `Display`
/// says what happened in one line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks documented rules; nothing was sent. Every violation is listed.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The request cannot be expressed as HTTP (an empty path label, an unserializable body);
    /// nothing was sent.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// No usable credentials; nothing was sent.
    #[error("no credentials: {0}")]
    Credentials(#[from] CredentialsError),
    /// The endpoint could not be determined; nothing was sent.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The request did not reach the service, or (for idempotent operations only) failed in
    /// transit on every attempt.
    #[error("{action}: transport error after {attempts} attempt(s): {message}")]
    Transport {
        /// The operation.
        action: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// What the transport reported (never contains a secret).
        message: String,
    },
    /// The call ran out of time before anything that could have taken effect was sent, or
    /// (for idempotent operations) on every attempt.
    #[error("{action}: timed out after {elapsed:?} and {attempts} attempt(s)")]
    Timeout {
        /// The operation.
        action: &'static str,
        /// Time spent on the call.
        elapsed: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The request was sent and may have been applied, but no answer arrived (a timeout or a
    /// reset after sending). It was not resent, because the operation is not idempotent.
    #[error(
        "{action} may have been applied: {cause} after the request was sent (attempt {attempt}); it was not resent because {action} is not idempotent. {how_to_check}"
    )]
    OutcomeUnknown {
        /// The operation.
        action: &'static str,
        /// The attempt whose outcome is unknown.
        attempt: u32,
        /// What happened, such as "the connection was reset".
        cause: String,
        /// How to find out whether it took effect.
        how_to_check: &'static str,
    },
    /// The service answered with an error.
    #[error(transparent)]
    Service(#[from] Box<ServiceError>),
    /// The service accepted the request (a 2xx status) but its answer could not be read.
    #[error("{action}: the service accepted the request (HTTP {status}{}) but its answer could not be read: {reason}", request_id_suffix(.request_id.as_deref()))]
    InvalidResponse {
        /// The operation.
        action: &'static str,
        /// The HTTP status.
        status: u16,
        /// The request id from the `x-acs-request-id` header, if any.
        request_id: Option<String>,
        /// Why the body could not be parsed.
        reason: String,
        /// The body as received.
        body: String,
    },
}

fn request_id_suffix(id: Option<&str>) -> String {
    id.map(|id| format!(", request id {id}"))
        .unwrap_or_default()
}

impl Error {
    /// The service error, if this is one.
    pub fn as_service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the request may have taken effect even though the call failed.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::OutcomeUnknown { .. } | Self::InvalidResponse { .. }
        )
    }
}

/// An error answer of the service: HTTP status, code, message, request id, and the raw body.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// The error code (`Code` or `code`), such as `ErrorClusterNotFound`.
    pub code: Option<String>,
    /// The message (`Message` or `message`).
    pub message: Option<String>,
    /// The request id (body `RequestId`/`requestId`, else the `x-acs-request-id` header).
    pub request_id: Option<String>,
    /// The service's recommendation (`Recommend`), often a diagnosis link.
    pub recommend: Option<String>,
    /// Why access was denied (`AccessDeniedDetail`), for RAM permission errors.
    pub access_denied_detail: Option<String>,
    /// The `x-acs-retry-after` header, in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// The body as received (JSON, HTML, plain text or empty).
    pub body: String,
}

impl ServiceError {
    /// Reads an error answer; any body is accepted (JSON, HTML, plain text, empty).
    pub fn parse(
        status: u16,
        header_request_id: Option<&str>,
        retry_after_ms: Option<u64>,
        body: &[u8],
    ) -> Self {
        let text = String::from_utf8_lossy(body).into_owned();
        let json: Option<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_slice(body).ok();
        let field = |names: &[&str]| -> Option<String> {
            let map = json.as_ref()?;
            names.iter().find_map(|name| match map.get(*name) {
                Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(serde_json::Value::String(_)) => None,
                Some(other) => Some(other.to_string()),
            })
        };
        let message = field(&["Message", "message"]).or_else(|| {
            (json.is_none() && !text.trim().is_empty()).then(|| describe_non_json(&text))
        });
        Self {
            status,
            code: field(&["Code", "code"]),
            message,
            request_id: field(&["RequestId", "requestId", "requestid"])
                .or_else(|| header_request_id.map(str::to_owned)),
            recommend: field(&["Recommend", "recommend"]),
            access_denied_detail: field(&["AccessDeniedDetail", "accessDeniedDetail"]),
            retry_after_ms,
            body: text,
        }
    }

    /// Whether the service asks to slow down: HTTP 429, a `Throttling*` code, or a
    /// retry-after header.
    pub fn is_throttling(&self) -> bool {
        self.status == 429
            || self.retry_after_ms.is_some()
            || self
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with("Throttling"))
    }
}

/// A one-line summary of a body that is not JSON (an HTML error page, plain text).
fn describe_non_json(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype") {
        let title = lower.find("<title>").and_then(|start| {
            let rest = &text[start + 7..];
            rest.find('<').map(|end| one_line(&rest[..end]))
        });
        return match title {
            Some(title) if !title.is_empty() => format!("HTML error page: {title}"),
            _ => format!("HTML error page ({} bytes)", text.len()),
        };
    }
    let line: String = text
        .trim()
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    line
}

/// `text` as one line of at most 200 characters: every run of whitespace and control
/// characters (line breaks included) becomes one space, and the ends are trimmed.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(200)
        .collect()
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error: HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        match &self.request_id {
            Some(id) => write!(f, " (request id {id})")?,
            None => write!(f, " (no request id)")?,
        }
        if let Some(detail) = &self.access_denied_detail {
            write!(f, "; access denied detail: {detail}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("recommend", &self.recommend)
            .field("access_denied_detail", &self.access_denied_detail)
            .field("retry_after_ms", &self.retry_after_ms)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_casings_and_non_json_bodies() {
        let ack = ServiceError::parse(404, Some("H"), None, br#"{"code":"ErrorClusterNotFound","message":"cluster not found","requestId":"R1","status":404}"#);
        assert_eq!(
            (
                ack.code.as_deref(),
                ack.message.as_deref(),
                ack.request_id.as_deref()
            ),
            (
                Some("ErrorClusterNotFound"),
                Some("cluster not found"),
                Some("R1")
            )
        );
        assert_eq!(
            ack.to_string(),
            "service error: HTTP 404 ErrorClusterNotFound: cluster not found (request id R1)"
        );
        let pop = ServiceError::parse(403, None, None, br#"{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R2","Recommend":"https://x","AccessDeniedDetail":"{\"AuthAction\":\"cs:ScaleOutCluster\"}"}"#);
        assert_eq!(pop.code.as_deref(), Some("Forbidden.RAM"));
        assert!(
            pop.access_denied_detail
                .as_deref()
                .is_some_and(|d| d.contains("AuthAction"))
        );
        let html = ServiceError::parse(
            502,
            Some("H3"),
            None,
            b"<html><head><title>502 Bad Gateway</title></head></html>",
        );
        assert_eq!(
            html.message.as_deref(),
            Some("HTML error page: 502 Bad Gateway")
        );
        assert_eq!(html.request_id.as_deref(), Some("H3"));
        let empty = ServiceError::parse(503, None, None, b"");
        assert_eq!(empty.to_string(), "service error: HTTP 503 (no request id)");
        let text = ServiceError::parse(500, None, None, b"upstream failed\nmore");
        assert_eq!(text.message.as_deref(), Some("upstream failed"));
    }

    #[test]
    fn throttling_is_recognised_three_ways() {
        assert!(ServiceError::parse(429, None, None, b"").is_throttling());
        assert!(
            ServiceError::parse(400, None, None, br#"{"code":"Throttling.User"}"#).is_throttling()
        );
        assert!(ServiceError::parse(503, None, Some(100), b"").is_throttling());
        assert!(
            !ServiceError::parse(500, None, None, br#"{"code":"InternalError"}"#).is_throttling()
        );
    }
}
