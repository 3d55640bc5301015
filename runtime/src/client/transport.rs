//! One HTTP exchange over reqwest (rustls with the ring provider), classified by what the
//! service may have seen.

use std::time::Duration;

use crate::signing::HttpRequest;

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

pub(super) async fn exchange(http: &reqwest::Client, request: HttpRequest) -> Exchange {
    let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
        Ok(method) => method,
        Err(e) => return Exchange::NotSent(format!("invalid method: {e}")),
    };
    let mut builder = http.request(method, request.url());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if !request.body.is_empty() || request.header("content-type").is_some() {
        builder = builder.body(request.body);
    }
    let response = match builder.send().await {
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
            body: body.to_vec(),
        },
        // The status line arrived, so the service has seen the request.
        Err(e) => Exchange::InFlight(format!(
            "the answer (HTTP {status}) broke off: {}",
            describe(&e)
        )),
    }
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
