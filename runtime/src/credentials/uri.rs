//! The credentials-URI provider: temporary credentials from an HTTP endpoint of your own.

use std::fmt;
use std::time::Duration;

use super::cache::CachingProvider;
use super::env::Env;
use super::http::{self, HttpClient, NetworkSettings, Request};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// `ALIBABA_CLOUD_CREDENTIALS_URI`: the URL the credentials-URI provider asks.
pub const CREDENTIALS_URI_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Temporary credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`), as the official SDK's
/// `URLCredentialsProvider`: `GET <uri>` must answer 200 with
/// `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
/// Provider name: `credential_uri` (the SDK's).
///
/// Each call makes one request; wrap the provider in a [`CachingProvider`] (see
/// [`cached`](Self::cached)) to reuse the credentials, as the default chain does.
///
/// **Timeouts.** 5 s to connect and 10 s per read (the SDK's); see
/// [`with_timeouts`](Self::with_timeouts). Proxies from the environment are honoured unless
/// [`no_proxy`](Self::no_proxy).
///
/// The URI's query and user information may hold secrets: `Debug` and error messages show
/// only its scheme, host, port and path.
#[derive(Clone)]
pub struct CredentialsUriProvider {
    uri: String,
    http: HttpClient,
}

impl CredentialsUriProvider {
    /// The provider's name.
    pub const NAME: &'static str = "credential_uri";
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default read timeout.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// Asks `uri` (an `http://` or `https://` URL).
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            http: HttpClient::new(
                Self::DEFAULT_CONNECT_TIMEOUT,
                Self::DEFAULT_READ_TIMEOUT,
                true,
            ),
        }
    }

    /// The provider `ALIBABA_CLOUD_CREDENTIALS_URI` configures (`None` when unset or empty).
    pub fn from_env(env: &Env) -> Option<Self> {
        env.non_empty(CREDENTIALS_URI_VAR).map(Self::new)
    }

    /// What the chain reports when [`from_env`](Self::from_env) finds no URI.
    pub(crate) fn not_configured() -> CredentialsError {
        CredentialsError::NotConfigured {
            provider: Self::NAME.to_owned(),
            looked_at: vec![format!(
                "environment variable {CREDENTIALS_URI_VAR} (unset or empty)"
            )],
        }
    }

    /// Applies the chain's timeout and proxy settings.
    #[must_use]
    pub(crate) fn with_network(mut self, network: &NetworkSettings) -> Self {
        let (connect, read) = network
            .uri_timeouts
            .unwrap_or((Self::DEFAULT_CONNECT_TIMEOUT, Self::DEFAULT_READ_TIMEOUT));
        self.http = HttpClient::new(connect, read, network.proxy_from_env);
        self
    }

    /// The connect timeout and the timeout of each read (defaults 5 s and 10 s).
    #[must_use]
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.http = self.http.with_timeouts(connect, read);
        self
    }

    /// Ignores `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`.
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.http = self.http.with_proxy_from_env(false);
        self
    }

    /// Wraps the provider in a [`CachingProvider`] with the default refresh-ahead window.
    pub fn cached(self) -> CachingProvider<Self> {
        CachingProvider::new(self)
    }

    /// The URI for messages: without query and user information.
    fn shown(&self) -> String {
        reqwest::Url::parse(&self.uri).map_or_else(
            |_| "<an invalid URL>".to_owned(),
            |url| http::display_url(&url),
        )
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let url =
            reqwest::Url::parse(&self.uri).map_err(|err| CredentialsError::InvalidConfig {
                provider: Self::NAME.to_owned(),
                message: format!("the credentials URI is not a valid URL: {err}"),
            })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CredentialsError::InvalidConfig {
                provider: Self::NAME.to_owned(),
                message: format!(
                    "the credentials URI must be http:// or https://, not {}://",
                    url.scheme()
                ),
            });
        }
        let what = format!("GET {}", http::display_url(&url));
        let answer = self
            .http
            .send(Request {
                method: reqwest::Method::GET,
                url: url.as_str(),
                headers: vec![("accept", "application/json")],
                body: None,
            })
            .await
            .map_err(|failure| CredentialsError::Request {
                provider: Self::NAME.to_owned(),
                endpoint: what.clone(),
                message: failure.message,
            })?;
        if answer.status != 200 {
            return Err(CredentialsError::HttpStatus {
                provider: Self::NAME.to_owned(),
                endpoint: what,
                status: answer.status,
                message: http::error_details(&answer.body, &[]),
            });
        }
        let invalid = |message: String| CredentialsError::InvalidResponse {
            provider: Self::NAME.to_owned(),
            endpoint: what.clone(),
            message,
        };
        let body = http::json_object(&answer.body).map_err(invalid)?;
        match body.get("Code").and_then(serde_json::Value::as_str) {
            Some("Success") => {}
            Some(code) => {
                return Err(invalid(format!(
                    "`Code` is `{}`, not `Success`",
                    http::scrub(code, &[])
                )));
            }
            None => return Err(invalid("`Code` is missing or not a string".to_owned())),
        }
        http::temporary_credentials(&body, Self::NAME).map_err(invalid)
    }
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &self.shown())
            .field("http", &self.http)
            .finish()
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
