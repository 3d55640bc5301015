//! One HTTP exchange over reqwest (rustls with the ring provider), classified by what the
//! service may have seen.

use std::borrow::Cow;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::signing::{HttpRequest, Text};

use super::error::Error;
use super::policy::Timeouts;

/// What one attempt came to.
pub(super) enum Exchange {
    /// The service answered (any status).
    Answered {
        status: u16,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// Nothing was sent: the connection could not be established.
    NotSent(String),
    /// The request was (or may have been) sent, then the exchange failed.
    InFlight(String),
}

pub(super) fn http_client(
    timeouts: &Timeouts,
    proxy_from_env: bool,
) -> Result<reqwest::Client, Error> {
    // reqwest is built without a default crypto provider so that aws-lc is not compiled;
    // ring is installed unless the application installed one already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .timeout(timeouts.attempt)
        .pool_idle_timeout(Duration::from_secs(50))
        .redirect(reqwest::redirect::Policy::none());
    if !proxy_from_env {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| Error::Transport {
        action: "building the HTTP client",
        attempts: 0,
        message: e.to_string(),
    })
}

/// The endpoint's URL, parsed once: requests to it only set their path and query on a copy
/// instead of parsing the whole URL again.
#[derive(Debug, Clone)]
pub(super) struct BaseUrl {
    scheme: String,
    host: String,
    url: Option<reqwest::Url>,
}

impl BaseUrl {
    pub(super) fn new(scheme: &str, host: &str) -> Self {
        Self {
            scheme: scheme.to_owned(),
            host: host.to_owned(),
            url: reqwest::Url::parse(&format!("{scheme}://{host}/")).ok(),
        }
    }

    /// The URL `request` goes to: [`HttpRequest::url`], parsed.
    fn url_for(&self, request: &HttpRequest) -> Result<reqwest::Url, String> {
        match &self.url {
            Some(base) if request.scheme == self.scheme && request.host == self.host => {
                let mut url = base.clone();
                url.set_path(if request.path.is_empty() {
                    "/"
                } else {
                    &request.path
                });
                if !request.query.is_empty() {
                    url.set_query(Some(&crate::signing::url_query(&request.query)));
                }
                Ok(url)
            }
            _ => reqwest::Url::parse(&request.url()).map_err(|e| format!("invalid URL: {e}")),
        }
    }
}

pub(super) async fn exchange(
    http: &reqwest::Client,
    base: &BaseUrl,
    request: HttpRequest,
) -> Exchange {
    let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
        Ok(method) => method,
        Err(e) => return Exchange::NotSent(format!("invalid method: {e}")),
    };
    let url = match base.url_for(&request) {
        Ok(url) => url,
        Err(message) => return Exchange::NotSent(message),
    };
    let has_content_type = request.header("content-type").is_some();
    let headers = match header_map(request.headers) {
        Ok(headers) => headers,
        Err(message) => return Exchange::NotSent(message),
    };
    // The request is assembled directly: the builder's `headers` would insert every header a
    // second time into a map of its own.
    let mut outgoing = reqwest::Request::new(method, url);
    *outgoing.headers_mut() = headers;
    if !request.body.is_empty() || has_content_type {
        *outgoing.body_mut() = Some(request.body.into());
    }
    let response = match http.execute(outgoing).await {
        Ok(response) => response,
        Err(e) if e.is_connect() || e.is_builder() => return Exchange::NotSent(describe(&e)),
        Err(e) => return Exchange::InFlight(describe(&e)),
    };
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = header("x-acs-request-id");
    let retry_after = header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis);
    match response.bytes().await {
        Ok(body) => Exchange::Answered {
            status,
            request_id,
            retry_after,
            // Without a copy when reqwest's buffer is the body's sole owner.
            body: Vec::from(body),
        },
        // The status line arrived, so the service has seen the request.
        Err(e) => Exchange::InFlight(format!(
            "the answer (HTTP {status}) broke off: {}",
            describe(&e)
        )),
    }
}

/// The signed headers as reqwest's map, in order. Constant names and values (most of them) are
/// taken as they are, without copying.
fn header_map(headers: Vec<(Text, Text)>) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let name = match name {
            Cow::Borrowed(name) if is_lower_case_token(name) => HeaderName::from_static(name),
            name => HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| format!("invalid header name {name:?}: {e}"))?,
        };
        let value = match value {
            Cow::Borrowed(value) if is_visible_text(value) => Ok(HeaderValue::from_static(value)),
            Cow::Borrowed(value) => HeaderValue::from_str(value),
            Cow::Owned(value) => HeaderValue::try_from(value),
        }
        // The value is left out of the message: it may be a secret.
        .map_err(|e| format!("invalid value of header {name}: {e}"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// What [`HeaderName::from_static`] accepts without panicking.
fn is_lower_case_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// What [`HeaderValue::from_static`] accepts without panicking.
fn is_visible_text(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// The error and its causes in one line (reqwest's Display alone hides the cause).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn request(path: &str, query: Vec<(String, String)>) -> HttpRequest {
        let mut request = HttpRequest::new("GET", "https", "cs.example.com:8443", path);
        request.query = query;
        request
    }

    #[test]
    fn a_request_to_another_host_or_scheme_is_parsed_whole() {
        let base = BaseUrl::new("https", "cs.example.com:8443");
        let mut other = request("/a", Vec::new());
        other.host = "other.example.com".to_owned();
        assert_eq!(
            base.url_for(&other).unwrap().as_str(),
            "https://other.example.com/a"
        );
        other.scheme = "http".into();
        assert_eq!(
            base.url_for(&other).unwrap().as_str(),
            "http://other.example.com/a"
        );
        other.host = "bad host".to_owned();
        assert!(base.url_for(&other).unwrap_err().starts_with("invalid URL"));
    }

    #[test]
    fn header_text_that_http_rejects_is_an_error_not_a_panic() {
        // Constant names and values go through `from_static`, which panics on what it
        // rejects: these must be caught before.
        for (name, value) in [
            ("Bad Name", "v"),
            ("", "v"),
            ("x-ok", "line\nbreak"),
            ("x-ok", "nul\0"),
        ] {
            let error = header_map(vec![(name.into(), value.into())]).unwrap_err();
            assert!(error.starts_with("invalid"), "{error}");
            assert!(
                !error.contains("break") && !error.contains("nul"),
                "{error}"
            );
        }
        // Bytes above 0x7f are `obs-text`, which HTTP allows in values: sent as they are.
        let map = header_map(vec![("x-ok".into(), "caf\u{e9}".into())]).unwrap();
        assert_eq!(map["x-ok"].as_bytes(), "caf\u{e9}".as_bytes());
        let map = header_map(vec![
            ("x-acs-action".into(), "ScaleOutCluster".into()),
            ("X-Mixed".into(), String::from("owned").into()),
            ("x-acs-action".into(), "again".into()),
        ])
        .unwrap();
        assert_eq!(map.get_all("x-acs-action").iter().count(), 2);
        assert_eq!(map["x-mixed"], "owned");
    }

    proptest! {
        /// Setting the path and query on the parsed endpoint gives the URL that parsing the
        /// whole request URL gives.
        #[test]
        fn the_base_url_gives_the_parsed_url(
            segments in proptest::collection::vec("[a-zA-Z0-9%._~!$&'()*+,;=:@ /?#\\[\\]\u{e9}-]{0,8}", 0..4),
            query in proptest::collection::vec(("[a-z &=?/%\u{4e2d}]{0,5}", "[a-z &=?/%+\u{e9}]{0,5}"), 0..3),
        ) {
            let encoded: Vec<String> = segments
                .iter()
                .map(|s| crate::signing::percent_encode_path_segment(s))
                .collect();
            let path = if encoded.is_empty() { String::new() } else { format!("/{}", encoded.join("/")) };
            let request = request(&path, query);
            let base = BaseUrl::new("https", "cs.example.com:8443");
            let expected = reqwest::Url::parse(&request.url()).unwrap();
            prop_assert_eq!(base.url_for(&request).unwrap(), expected);
        }
    }
}
