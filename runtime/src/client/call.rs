//! One call: validate, sign, send, classify, retry when that is safe, parse.

use std::ops::Deref;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::Client;
use super::error::{Error, ServiceError};
use super::transport::{Exchange, exchange};
use crate::operation::Operation;
use crate::prepare::{bind, signing_params};
use crate::signing::{HttpRequest, new_nonce, sign};
use crate::validate::ValidationMode;

/// A typed answer and what the transport knows about it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The parsed body (fields the service left out are `None`).
    pub data: T,
    /// The request id, from `x-acs-request-id` or the body.
    pub request_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// How many attempts the call took.
    pub attempts: u32,
}

impl<T> Response<T> {
    /// The parsed body.
    pub fn into_inner(self) -> T {
        self.data
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

/// The handle a request builder carries on its way to the service: which client, and
/// whether to validate.
#[derive(Clone, Debug)]
pub struct Call {
    client: Client,
    validation: ValidationMode,
}

impl Call {
    /// A call through `client`, validating requests before they leave.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            validation: ValidationMode::Enforce,
        }
    }

    /// Sends without checking the documented rules, for when the service has relaxed a rule
    /// that the spec still records.
    #[must_use]
    pub fn skip_validation(mut self) -> Self {
        self.validation = ValidationMode::Skip;
        self
    }

    /// The validation mode.
    pub fn validation(&self) -> ValidationMode {
        self.validation
    }

    /// The signed request, exactly as the first attempt would send it, without sending it.
    pub async fn prepare<O: Operation>(&self, request: &O) -> Result<HttpRequest, Error> {
        if self.validation == ValidationMode::Enforce {
            request.validate()?;
        }
        self.client.signed(request, None).await
    }

    /// Sends `request` and parses the answer.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<Response<O::Output>, Error> {
        if self.validation == ValidationMode::Enforce {
            request.validate()?;
        }
        let span = tracing::info_span!(
            "acs.call",
            action = O::ACTION,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty
        );
        self.client
            .run(request, &span)
            .instrument(span.clone())
            .await
    }
}

impl Client {
    /// Binds and signs `request` for one attempt, with a fresh nonce and date. Validation,
    /// when enabled, already ran once for the whole call; a request that cannot become HTTP
    /// fails before credentials are looked up.
    async fn signed<O: Operation>(
        &self,
        request: &O,
        retry: Option<(u32, u64)>,
    ) -> Result<HttpRequest, Error> {
        let mut http = bind(request, &self.inner.endpoint)?;
        let credentials = self.inner.credentials.provide_credentials().await?;
        let nonce = new_nonce();
        sign(
            &mut http,
            &signing_params::<O>(
                &credentials,
                self.inner.scheme,
                SystemTime::now(),
                &nonce,
                retry,
            ),
        );
        Ok(http)
    }

    async fn run<O: Operation>(
        &self,
        request: &O,
        span: &tracing::Span,
    ) -> Result<Response<O::Output>, Error> {
        let policy = &self.inner.retry;
        let timeouts = &self.inner.timeouts;
        let started = Instant::now();
        let deadline = started + timeouts.total;
        let max_attempts = policy.max_attempts.max(1);
        let mut retry_headers = None;
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let http = self.signed(request, retry_headers).await?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let exchange = exchange(&self.inner.http, &self.inner.base_url, http);
            // The transport's own attempt timeout fires first unless the call's deadline is
            // nearer; only then does the attempt need a timer of its own.
            let outcome = if remaining < timeouts.attempt {
                match tokio::time::timeout(remaining, exchange).await {
                    Ok(outcome) => outcome,
                    Err(_) => Exchange::InFlight("the call's total timeout expired".to_owned()),
                }
            } else {
                exchange.await
            };
            // What to do: finish, or wait this long and try again.
            let (error, retry_after) = match outcome {
                Exchange::Answered {
                    status,
                    request_id,
                    body,
                    ..
                } if (200..300).contains(&status) => {
                    if let Some(id) = &request_id {
                        span.record("request_id", id.as_str());
                    }
                    tracing::debug!(status, "answered");
                    return parse_success::<O::Output>(
                        O::ACTION,
                        status,
                        request_id,
                        &body,
                        attempt,
                    );
                }
                Exchange::Answered {
                    status,
                    request_id,
                    retry_after,
                    body,
                } => {
                    let error = ServiceError::parse(
                        status,
                        request_id.as_deref(),
                        retry_after.map(duration_ms),
                        &body,
                    );
                    if let Some(id) = &error.request_id {
                        span.record("request_id", id.as_str());
                    }
                    tracing::debug!(
                        status,
                        code = error.code.as_deref().unwrap_or(""),
                        "service error"
                    );
                    let retryable = error.is_throttling() || (O::IDEMPOTENT && status >= 500);
                    let error = Error::Service(Box::new(error));
                    if !retryable {
                        return Err(error);
                    }
                    (error, retry_after)
                }
                Exchange::NotSent(message) => {
                    tracing::debug!(%message, "not sent");
                    (
                        Error::Transport {
                            action: O::ACTION,
                            attempts: attempt,
                            message,
                        },
                        None,
                    )
                }
                Exchange::InFlight(cause) => {
                    tracing::debug!(%cause, "failed in flight");
                    if !O::IDEMPOTENT {
                        return Err(Error::OutcomeUnknown {
                            action: O::ACTION,
                            attempt,
                            cause,
                            how_to_check: O::OUTCOME_CHECK,
                        });
                    }
                    let error = if cause.contains("timed out") || cause.contains("timeout") {
                        Error::Timeout {
                            action: O::ACTION,
                            elapsed: started.elapsed(),
                            attempts: attempt,
                        }
                    } else {
                        Error::Transport {
                            action: O::ACTION,
                            attempts: attempt,
                            message: cause,
                        }
                    };
                    (error, None)
                }
            };
            if attempt >= max_attempts {
                return Err(error);
            }
            attempt += 1;
            let wait = policy.backoff(attempt, retry_after);
            if Instant::now() + wait >= deadline {
                return Err(error);
            }
            tracing::debug!(wait_ms = duration_ms(wait), "retrying");
            tokio::time::sleep(wait).await;
            retry_headers = Some((attempt - 1, duration_ms(wait)));
        }
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The request id a JSON body may carry, under any of the names the service uses.
#[derive(serde::Deserialize)]
struct BodyRequestId {
    request_id: Option<serde_json::Value>,
    #[serde(rename = "RequestId")]
    pascal: Option<serde_json::Value>,
    #[serde(rename = "requestId")]
    camel: Option<serde_json::Value>,
}

impl BodyRequestId {
    fn into_id(self) -> Option<String> {
        [self.request_id, self.pascal, self.camel]
            .into_iter()
            .flatten()
            .find_map(|value| match value {
                serde_json::Value::String(id) => Some(id),
                _ => None,
            })
    }
}

/// A 2xx answer: an empty body is a success whose fields are absent.
fn parse_success<T: DeserializeOwned + Default>(
    action: &'static str,
    status: u16,
    header_request_id: Option<String>,
    body: &[u8],
    attempts: u32,
) -> Result<Response<T>, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Response {
            data: T::default(),
            request_id: header_request_id,
            status,
            attempts,
        });
    }
    let invalid = |reason: String| Error::InvalidResponse {
        action,
        status,
        request_id: header_request_id.clone(),
        reason,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    let data = serde_json::from_slice(body).map_err(|e| {
        invalid(match e.classify() {
            serde_json::error::Category::Data => format!("unexpected shape: {e}"),
            _ => format!("not JSON: {e}"),
        })
    })?;
    // The header names the request almost always; the body is read again only without it.
    let body_request_id = match &header_request_id {
        Some(_) => None,
        None => serde_json::from_slice::<BodyRequestId>(body)
            .ok()
            .and_then(BodyRequestId::into_id),
    };
    Ok(Response {
        data,
        request_id: header_request_id.or(body_request_id),
        status,
        attempts,
    })
}
