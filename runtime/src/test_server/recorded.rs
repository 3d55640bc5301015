//! What the server remembers about each request.

use std::fmt;

use crate::REDACTED;
use crate::signing::{self, HttpRequest, SECRET_HEADERS, VerifiedRequest};

/// A request the server read completely, as it arrived.
///
/// `Debug` shows the body's length only and redacts the values of
/// [`signing::SECRET_HEADERS`] (`x-acs-security-token`, `x-acs-bearer-token`).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, as sent (`GET`, `POST`, …).
    pub method: String,
    /// The raw request target: the percent-encoded path with the query, e.g.
    /// `/api/v2/clusters/c-1?name=a%20b`.
    pub path: String,
    /// The headers in arrival order, names in their original case.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty without a body).
    pub body: Vec<u8>,
    /// The outcome of [`signing::verify`] with the server's access keys: what it learned from
    /// a valid signature, or the text of the [`signing::VerifyError`].
    pub signature: Result<VerifiedRequest, String>,
    /// Which connection the request came over: connections are numbered from 1 in accept
    /// order, so two requests with the same number shared a (kept-alive) connection.
    pub connection: usize,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let secret = SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name));
                (
                    name.as_str(),
                    if secret { REDACTED } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("signature", &self.signature)
            .field("connection", &self.connection)
            .finish()
    }
}

impl RecordedRequest {
    /// The value of the first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The API name the client sent in `x-acs-action`.
    pub fn action(&self) -> Option<&str> {
        self.header("x-acs-action")
    }

    /// The path without the query, still percent-encoded.
    pub fn path_only(&self) -> &str {
        split_target(&self.path).0
    }

    /// The query parameters, percent-decoded, in order (see [`parse_query`]).
    pub fn query(&self) -> Vec<(String, String)> {
        parse_query(split_target(&self.path).1)
    }

    /// The body parsed as JSON, or `None` when it is not JSON (or empty).
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Whether the signature verified.
    pub fn is_verified(&self) -> bool {
        self.signature.is_ok()
    }

    /// The request in the shape [`signing::verify`] checks: scheme `http`, host from the
    /// `host` header, path and decoded query split from the target.
    pub fn to_http_request(&self) -> HttpRequest {
        http_request(
            self.method.clone(),
            &self.path,
            self.headers.clone(),
            self.body.clone(),
        )
    }
}

/// Splits a request target into path and query (without the `?`).
fn split_target(target: &str) -> (&str, &str) {
    target.split_once('?').unwrap_or((target, ""))
}

/// Parses a query string into pairs, in order: `&`-separated, empty items skipped, each split
/// at its first `=` (a key without `=` has an empty value), keys and values percent-decoded
/// (`%XX`, with invalid UTF-8 replaced by U+FFFD). `+` stays a plus sign: the SDKs encode
/// spaces as `%20`.
///
/// This is how the query arrives in [`HttpRequest::query`] for [`signing::verify`], which
/// expects decoded values.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (key, value) = item.split_once('=').unwrap_or((item, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// The [`HttpRequest`] the server verifies for a request it read (method, request target,
/// headers as received, body): path and query split at the first `?`, the query decoded by
/// [`parse_query`], the host taken from the `host` header. Fuzz targets use it to check that
/// what the client signs verifies after the trip.
pub fn http_request(
    method: String,
    target: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> HttpRequest {
    let (path, query) = split_target(target);
    let host = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    HttpRequest {
        method: method.into(),
        scheme: "http".into(),
        host,
        path: path.to_owned(),
        query: parse_query(query),
        headers: headers
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect(),
        body,
    }
}

/// Verifies `request` with the given secrets and turns it into a record.
pub(super) fn record(
    request: HttpRequest,
    target: String,
    connection: usize,
    lookup_secret: impl Fn(&str) -> Option<String>,
) -> RecordedRequest {
    let signature = signing::verify(&request, lookup_secret).map_err(|error| error.to_string());
    RecordedRequest {
        method: request.method.into_owned(),
        path: target,
        headers: request
            .headers
            .into_iter()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect(),
        body: request.body,
        signature,
        connection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_split_and_decoded() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(parse_query(""), pairs(&[]));
        assert_eq!(
            parse_query("b=x%20y%2F%C3%A4&a=&flag&&c=1=2&p=a+b&bad=%zz%ff"),
            pairs(&[
                ("b", "x y/ä"),
                ("a", ""),
                ("flag", ""),
                ("c", "1=2"),
                ("p", "a+b"),
                ("bad", "%zz\u{fffd}"),
            ])
        );
    }

    #[test]
    fn debug_hides_tokens_and_bodies() {
        let request = RecordedRequest {
            method: "POST".to_owned(),
            path: "/x?a=1".to_owned(),
            headers: vec![
                ("X-Acs-Security-Token".to_owned(), "tok-secret".to_owned()),
                ("x-acs-action".to_owned(), "Run".to_owned()),
            ],
            body: br#"{"password":"Hello@1234"}"#.to_vec(),
            signature: Err("unknown".to_owned()),
            connection: 1,
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains("tok-secret"), "{debug}");
        assert!(!debug.contains("Hello@1234"), "{debug}");
        assert!(debug.contains("<25 bytes>"), "{debug}");
        assert!(debug.contains("Run"), "{debug}");
        assert_eq!(request.action(), Some("Run"));
        assert_eq!(request.path_only(), "/x");
        assert_eq!(request.query(), [("a".to_owned(), "1".to_owned())]);
    }
}
