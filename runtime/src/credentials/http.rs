//! HTTP plumbing shared by the network providers (STS, the ECS metadata service, a
//! credentials URI): a lazily built client with short timeouts, bounded response bodies,
//! transport errors described without URLs, and the parsing of the temporary-credentials
//! JSON the three services answer with.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Map, Value};

use super::Credentials;

/// The largest response body read from a credentials endpoint.
const MAX_BODY: usize = 1024 * 1024;

/// The `user-agent` the providers send.
pub(crate) const USER_AGENT: &str =
    concat!("acs-runtime/", env!("CARGO_PKG_VERSION"), " credentials");

/// Endpoint, timeout and proxy settings that the chain passes down to the network providers
/// it builds (including those the profile providers build for `OIDC` and `EcsRamRole`
/// profiles). `None` keeps a provider's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NetworkSettings {
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) metadata_endpoint: Option<String>,
    pub(crate) sts_timeouts: Option<(Duration, Duration)>,
    pub(crate) metadata_timeouts: Option<(Duration, Duration)>,
    pub(crate) uri_timeouts: Option<(Duration, Duration)>,
    pub(crate) refresh_ahead: Duration,
    pub(crate) proxy_from_env: bool,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self {
            sts_endpoint: None,
            metadata_endpoint: None,
            sts_timeouts: None,
            metadata_timeouts: None,
            uri_timeouts: None,
            refresh_ahead: super::cache::DEFAULT_REFRESH_AHEAD,
            proxy_from_env: true,
        }
    }
}

/// A connect and a read timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
}

/// A `reqwest::Client` built on first use (building one loads TLS roots: not worth doing for a
/// provider that is never asked), with the provider's timeouts and proxy choice.
///
/// Every request is bounded by the connect timeout, the read timeout for each read, and
/// `connect + read` in total.
#[derive(Clone)]
pub(crate) struct HttpClient {
    timeouts: Timeouts,
    proxy_from_env: bool,
    client: OnceLock<reqwest::Client>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.timeouts.connect)
            .field("read_timeout", &self.timeouts.read)
            .field("proxy_from_env", &self.proxy_from_env)
            .finish()
    }
}

/// How a request failed before an answer arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// No connection could be established (refused, unreachable, connect timeout).
    Connect,
    /// Connected, but no complete answer within the read timeout.
    Timeout,
    /// Anything else (TLS, protocol, an oversized body).
    Other,
}

/// A request that got no (complete) answer. The message never contains the URL.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) kind: FailureKind,
    pub(crate) message: String,
}

/// An answer: status and (bounded) body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// One request to send.
pub(crate) struct Request<'a> {
    pub(crate) method: reqwest::Method,
    pub(crate) url: &'a str,
    pub(crate) headers: Vec<(&'static str, &'a str)>,
    /// Content type and body.
    pub(crate) body: Option<(&'static str, String)>,
}

impl HttpClient {
    pub(crate) fn new(connect: Duration, read: Duration, proxy_from_env: bool) -> Self {
        Self {
            timeouts: Timeouts { connect, read },
            proxy_from_env,
            client: OnceLock::new(),
        }
    }

    /// The same settings with other timeouts (the client is rebuilt on first use).
    #[must_use]
    pub(crate) fn with_timeouts(&self, connect: Duration, read: Duration) -> Self {
        Self::new(connect, read, self.proxy_from_env)
    }

    /// The same settings without proxies from the environment.
    #[must_use]
    pub(crate) fn with_proxy_from_env(&self, proxy_from_env: bool) -> Self {
        Self::new(self.timeouts.connect, self.timeouts.read, proxy_from_env)
    }

    fn client(&self) -> Result<&reqwest::Client, Failure> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // reqwest is built without a default crypto provider; install ring unless the
        // application installed one already (as the API client's transport does).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.timeouts.connect)
            .read_timeout(self.timeouts.read)
            .timeout(self.timeouts.connect.saturating_add(self.timeouts.read))
            .redirect(reqwest::redirect::Policy::none());
        if !self.proxy_from_env {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| Failure {
            kind: FailureKind::Other,
            message: format!("cannot build the HTTP client: {}", chain(&e.without_url())),
        })?;
        let _ = self.client.set(client);
        self.client.get().ok_or_else(|| Failure {
            kind: FailureKind::Other,
            message: "cannot build the HTTP client".to_owned(),
        })
    }

    /// Sends a request and reads the answer (at most 1 MiB of body).
    pub(crate) async fn send(&self, request: Request<'_>) -> Result<Answer, Failure> {
        // Unit tests talk to loopback fakes only: never to the real metadata service or STS.
        #[cfg(test)]
        assert!(
            request.url.starts_with("http://127.0.0.1:"),
            "a test tried to contact {}",
            request.url
        );
        let client = self.client()?;
        let mut builder = client
            .request(request.method, request.url)
            .header("user-agent", USER_AGENT);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if let Some((content_type, body)) = request.body {
            builder = builder.header("content-type", content_type).body(body);
        }
        let mut response = builder.send().await.map_err(|e| self.describe(e))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.describe(e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Failure {
                    kind: FailureKind::Other,
                    message: format!("the answer's body is larger than {MAX_BODY} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }

    fn describe(&self, err: reqwest::Error) -> Failure {
        let err = err.without_url();
        if err.is_timeout() {
            Failure {
                kind: if err.is_connect() {
                    FailureKind::Connect
                } else {
                    FailureKind::Timeout
                },
                message: format!(
                    "timed out (connect timeout {}, read timeout {})",
                    format_duration(self.timeouts.connect),
                    format_duration(self.timeouts.read)
                ),
            }
        } else if err.is_connect() {
            Failure {
                kind: FailureKind::Connect,
                message: format!("cannot connect: {}", cause(&err)),
            }
        } else {
            Failure {
                kind: FailureKind::Other,
                message: chain(&err),
            }
        }
    }
}

/// The sources of an error (skipping reqwest's generic "error sending request"), or the
/// error itself when it has none.
fn cause(err: &reqwest::Error) -> String {
    match std::error::Error::source(err) {
        Some(source) => chain(source),
        None => chain(err),
    }
}

/// An error and its sources, joined with `: ` (adjacent duplicates dropped).
fn chain(err: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(next) = source {
        let text = next.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = next.source();
    }
    parts.join(": ")
}

/// `1s`, `1.5s`, `200ms`.
pub(crate) fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() > 0 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A URL for messages: scheme, host, port and path only. User information, the query and the
/// fragment may hold secrets and are replaced by a marker.
pub(crate) fn display_url(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    let had_query = shown.query().is_some();
    let had_userinfo = !shown.username().is_empty() || shown.password().is_some();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    let mut text = shown.to_string();
    if had_query {
        text.push_str("?<query hidden>");
    }
    if had_userinfo {
        text.push_str(" (user information hidden)");
    }
    text
}

/// Parses a JSON object; the error names line and column only (never content).
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the answer is JSON but not an object".to_owned()),
        Err(err) if err.is_syntax() || err.is_eof() => Err(format!(
            "the answer is not valid JSON (line {}, column {})",
            err.line(),
            err.column()
        )),
        Err(_) => Err("the answer is not valid JSON".to_owned()),
    }
}

/// A non-empty string field, or a message naming the field.
pub(crate) fn string_field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("`{key}` is missing, empty or not a string"))
}

/// Temporary credentials from `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`,
/// where `Expiration` is `YYYY-MM-DDTHH:MM:SSZ` (UTC). Messages name fields, never values.
pub(crate) fn temporary_credentials(
    map: &Map<String, Value>,
    provider_name: &'static str,
) -> Result<Credentials, String> {
    let id = string_field(map, "AccessKeyId")?;
    let secret = string_field(map, "AccessKeySecret")?;
    let token = string_field(map, "SecurityToken")?;
    let expiration = string_field(map, "Expiration")?;
    let expiration = crate::signing::parse_acs_date(expiration)
        .ok_or_else(|| "`Expiration` is not of the form YYYY-MM-DDTHH:MM:SSZ".to_owned())?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_provider_name(provider_name)
        .with_expiration(expiration))
}

/// Shortens a service message for an error and removes every occurrence of `secret` from it.
pub(crate) fn scrub(message: &str, secrets: &[&str]) -> String {
    let mut text = message.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, crate::REDACTED);
    }
    const LIMIT: usize = 300;
    if text.chars().count() > LIMIT {
        text = text.chars().take(LIMIT).collect::<String>() + "…";
    }
    text
}

/// The `Code`, `Message` and `RequestId` of an Alibaba Cloud error answer, for an error
/// message (the message scrubbed of `secrets`); a note on the body otherwise.
pub(crate) fn error_details(body: &[u8], secrets: &[&str]) -> String {
    let Ok(map) = json_object(body) else {
        return if body.is_empty() {
            "empty body".to_owned()
        } else {
            format!("{} bytes of body, not a JSON error (not shown)", body.len())
        };
    };
    let mut parts = Vec::new();
    for key in ["Code", "Message", "RequestId"] {
        if let Some(value) = map.get(key).and_then(Value::as_str) {
            parts.push(format!("{key} {}", scrub(value, secrets)));
        }
    }
    if parts.is_empty() {
        "a JSON body without Code or Message".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_secrets() {
        let url =
            reqwest::Url::parse("http://user:pw@127.0.0.1:8080/creds?token=abc#frag").unwrap();
        let shown = display_url(&url);
        assert_eq!(
            shown,
            "http://127.0.0.1:8080/creds?<query hidden> (user information hidden)"
        );
        let url = reqwest::Url::parse("https://example.com/a").unwrap();
        assert_eq!(display_url(&url), "https://example.com/a");
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(Duration::from_secs(1)), "1s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(200)), "200ms");
    }

    #[test]
    fn json_errors_never_quote_content() {
        let err = json_object(br#"{"AccessKeySecret": "s3cr3t-value" oops}"#).unwrap_err();
        assert!(!err.contains("s3cr3t"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        let map = json_object(br#"{"AccessKeyId": 5, "AccessKeySecret": "s3cr3t-value"}"#).unwrap();
        let err = temporary_credentials(&map, "x").unwrap_err();
        assert!(
            err.contains("AccessKeyId") && !err.contains("s3cr3t"),
            "{err}"
        );
    }

    #[test]
    fn error_details_scrub_and_shorten() {
        let body = br#"{"Code": "InvalidParameter.OIDCToken", "Message": "bad token eyJhbGciOi.payload", "RequestId": "R1"}"#;
        let details = error_details(body, &["eyJhbGciOi.payload"]);
        assert_eq!(
            details,
            "Code InvalidParameter.OIDCToken, Message bad token ******, RequestId R1"
        );
        assert_eq!(error_details(b"", &[]), "empty body");
        assert!(error_details(b"<html>secret</html>", &[]).contains("not shown"));
        let long = format!(r#"{{"Message": "{}"}}"#, "x".repeat(1000));
        assert!(error_details(long.as_bytes(), &[]).len() < 400);
    }
}
