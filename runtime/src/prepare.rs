//! Turning a typed request into the exact signed HTTP request, without sending it.
//!
//! This is the whole client-side pipeline short of the network: validation (unless skipped),
//! path, query, headers and body from the [`Operation`] binding ([`bind`]), then signing.
//! Every attempt of a send binds and signs again, so each attempt gets a fresh nonce and date.

use std::time::SystemTime;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::operation::{Operation, RequestError};
use crate::signing::{self, HttpRequest, SignatureScheme, SigningParams};
use crate::validate::{ValidationErrors, ValidationMode};

/// Why a request could not be prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrepareError {
    /// The request breaks documented rules (all of them are listed).
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The request cannot be expressed as HTTP at all.
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// What signing needs besides the request: who signs, how, when, and with which nonce.
#[derive(Clone, Copy, Debug)]
pub struct PrepareParams<'a> {
    pub endpoint: &'a Endpoint,
    pub credentials: &'a Credentials,
    pub scheme: SignatureScheme,
    pub validation: ValidationMode,
    pub time: SystemTime,
    pub nonce: &'a str,
    /// `(attempt, delay_ms)` on a retry: sent and signed as `x-acs-retry-*`.
    pub retry: Option<(u32, u64)>,
}

/// Validates (unless skipped), binds and signs `request`.
pub fn prepare<O: Operation>(
    request: &O,
    params: &PrepareParams<'_>,
) -> Result<HttpRequest, PrepareError> {
    if params.validation == ValidationMode::Enforce {
        request.validate()?;
    }
    let mut http = bind(request, params.endpoint)?;
    signing::sign(
        &mut http,
        &signing_params::<O>(
            params.credentials,
            params.scheme,
            params.time,
            params.nonce,
            params.retry,
        ),
    );
    Ok(http)
}

/// The unsigned HTTP request of `request` to `endpoint`: method, path, query, headers and
/// body from the [`Operation`] binding. Needs no credentials, so a request that cannot become
/// HTTP fails before any are looked up.
pub fn bind<O: Operation>(request: &O, endpoint: &Endpoint) -> Result<HttpRequest, RequestError> {
    let mut http = HttpRequest::new(
        O::METHOD,
        endpoint.scheme.as_str(),
        endpoint.host.clone(),
        request.path()?,
    );
    http.query = request
        .query()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    for (name, value) in request.headers() {
        http.set_header(name, value);
    }
    if let Some(body) = request.body()? {
        http.body = body;
    }
    Ok(http)
}

/// What [`signing::sign`] needs to sign a request of operation `O`.
pub fn signing_params<'a, O: Operation>(
    credentials: &'a Credentials,
    scheme: SignatureScheme,
    time: SystemTime,
    nonce: &'a str,
    retry: Option<(u32, u64)>,
) -> SigningParams<'a> {
    SigningParams {
        action: O::ACTION,
        version: O::VERSION,
        credentials,
        scheme,
        time,
        nonce,
        retry,
    }
}
