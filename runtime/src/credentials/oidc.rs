//! The OIDC role provider (RRSA on ACK): exchanges an OIDC token file at STS
//! `AssumeRoleWithOIDC` for temporary credentials.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::cache::CachingProvider;
use super::env::Env;
use super::http::{self, HttpClient, NetworkSettings, Request};
use super::{CredentialsError, ProvideCredentials, ProvideFuture};

/// `ALIBABA_CLOUD_ROLE_ARN`: the RAM role to assume.
pub const ROLE_ARN_VAR: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`: the OIDC identity provider registered in RAM.
pub const OIDC_PROVIDER_ARN_VAR: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`: the file holding the OIDC token (on ACK with RRSA,
/// `/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token`).
pub const OIDC_TOKEN_FILE_VAR: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`: the role session name.
pub const ROLE_SESSION_NAME_VAR: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// `ALIBABA_CLOUD_STS_REGION`: use the regional STS endpoint `sts.<region>.aliyuncs.com`.
pub const STS_REGION_VAR: &str = "ALIBABA_CLOUD_STS_REGION";
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`: `true` selects the VPC STS endpoint
/// `sts-vpc.<region>.aliyuncs.com` (with a region).
pub const VPC_ENDPOINT_ENABLED_VAR: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// The STS endpoint used without a region or an override.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";

/// Every byte except `A-Z a-z 0-9 - _ . ~` is percent-encoded.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NOT_UNRESERVED),
                utf8_percent_encode(v, NOT_UNRESERVED)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Temporary credentials for a RAM role, assumed with an OIDC token: STS
/// `AssumeRoleWithOIDC`. This is how a pod on ACK with RRSA authenticates. Provider name:
/// `oidc_role_arn`.
///
/// Every call reads the token file again (the kubelet rotates it) and calls STS once: wrap the
/// provider in a [`CachingProvider`] (see [`cached`](Self::cached)) to reuse the credentials
/// until 15 minutes before they expire, as the default chain does.
///
/// **The request.** `POST <endpoint>/?Action=AssumeRoleWithOIDC&Format=JSON&Version=2015-04-01&Timestamp=<UTC>`
/// with the form body `RoleArn`, `OIDCProviderArn`, `OIDCToken`, `RoleSessionName`,
/// `DurationSeconds` and the optional `Policy`. The call is anonymous (not signed): the OIDC
/// token is the proof. The parameters are those of the official SDKs; the Python SDK sends
/// them all in the query of a `GET`, the Go SDK as this form `POST`, which keeps the token out
/// of URLs (and so out of proxy and access logs). The answer is
/// `{"Credentials": {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}}`.
///
/// **The endpoint.** [`with_sts_endpoint`](Self::with_sts_endpoint) if set (a full URL such as
/// `http://127.0.0.1:8080`, or a host, which gets `https://`); else, with a region
/// ([`with_sts_region`](Self::with_sts_region), `ALIBABA_CLOUD_STS_REGION`),
/// `https://sts.<region>.aliyuncs.com`, or `https://sts-vpc.<region>.aliyuncs.com` with
/// [`with_vpc_endpoint`](Self::with_vpc_endpoint) / `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`;
/// else `https://sts.aliyuncs.com`.
///
/// **Timeouts.** 5 s to connect and 10 s per read (the SDK's), at most 15 s per request;
/// see [`with_timeouts`](Self::with_timeouts).
///
/// Errors never contain the token: a missing token file is [`CredentialsError::ReadFile`]
/// (path only), an empty one [`CredentialsError::InvalidConfig`], an STS error
/// [`CredentialsError::HttpStatus`] with STS's `Code`, `Message` (with the token removed) and
/// `RequestId`.
///
/// ```
/// use acs_runtime::credentials::OidcRoleArnProvider;
///
/// let provider = OidcRoleArnProvider::new(
///     "acs:ram::123456789012:role/scaler",
///     "acs:ram::123456789012:oidc-provider/ack-rrsa-c123",
///     "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token",
/// )
/// .with_role_session_name("cluster-scaler")
/// .with_sts_region("cn-hangzhou")
/// .with_vpc_endpoint(true);
/// assert_eq!(provider.sts_endpoint(), "https://sts-vpc.cn-hangzhou.aliyuncs.com");
/// let cached = provider.cached();
/// ```
#[derive(Debug, Clone)]
pub struct OidcRoleArnProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    role_session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
    sts_region: Option<String>,
    vpc: bool,
    sts_endpoint: Option<String>,
    http: HttpClient,
}

impl OidcRoleArnProvider {
    /// The provider's name.
    pub const NAME: &'static str = "oidc_role_arn";
    /// The default session duration (one hour).
    pub const DEFAULT_DURATION_SECONDS: u32 = 3600;
    /// The shortest session STS grants.
    pub const MIN_DURATION_SECONDS: u32 = 900;
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default read timeout.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// Assumes `role_arn` with the token in `token_file`, issued by `oidc_provider_arn`.
    ///
    /// The session name defaults to `acs-rust-<unix seconds>`; the STS endpoint to
    /// `https://sts.aliyuncs.com`. Nothing is read from the environment (see
    /// [`from_env`](Self::from_env)).
    pub fn new(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            role_session_name: format!("acs-rust-{now}"),
            duration_seconds: Self::DEFAULT_DURATION_SECONDS,
            policy: None,
            sts_region: None,
            vpc: false,
            sts_endpoint: None,
            http: HttpClient::new(
                Self::DEFAULT_CONNECT_TIMEOUT,
                Self::DEFAULT_READ_TIMEOUT,
                true,
            ),
        }
    }

    /// The provider the environment configures: `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (all three set
    /// and non-empty, else `None`), with `ALIBABA_CLOUD_ROLE_SESSION_NAME`,
    /// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub fn from_env(env: &Env) -> Option<Self> {
        let role_arn = env.non_empty(ROLE_ARN_VAR)?;
        let provider_arn = env.non_empty(OIDC_PROVIDER_ARN_VAR)?;
        let token_file = env.get_os(OIDC_TOKEN_FILE_VAR).filter(|v| !v.is_empty())?;
        Some(Self::new(role_arn, provider_arn, token_file).with_env_defaults(env))
    }

    /// What the chain reports when [`from_env`](Self::from_env) finds no configuration.
    pub(crate) fn not_configured(env: &Env) -> CredentialsError {
        let state = |name: &str| {
            if env.get_os(name).is_some_and(|v| !v.is_empty()) {
                format!("{name} (set)")
            } else {
                format!("{name} (unset or empty)")
            }
        };
        CredentialsError::NotConfigured {
            provider: Self::NAME.to_owned(),
            looked_at: vec![format!(
                "OIDC role (RRSA), which needs all of {}, {}, {}",
                state(ROLE_ARN_VAR),
                state(OIDC_PROVIDER_ARN_VAR),
                state(OIDC_TOKEN_FILE_VAR)
            )],
        }
    }

    /// Takes the session name, STS region and VPC choice from the environment where they are
    /// not set yet (as the SDK's provider does for profiles).
    #[must_use]
    pub(crate) fn with_env_defaults(mut self, env: &Env) -> Self {
        if let Some(name) = env.non_empty(ROLE_SESSION_NAME_VAR) {
            name.clone_into(&mut self.role_session_name);
        }
        if self.sts_region.is_none() {
            self.sts_region = env.non_empty(STS_REGION_VAR).map(str::to_owned);
        }
        self.vpc = self.vpc || env.is_true(VPC_ENDPOINT_ENABLED_VAR);
        self
    }

    /// Applies the chain's endpoint, timeout and proxy settings.
    #[must_use]
    pub(crate) fn with_network(mut self, network: &NetworkSettings) -> Self {
        if let Some(endpoint) = &network.sts_endpoint {
            self.sts_endpoint = Some(endpoint.clone());
        }
        let (connect, read) = network
            .sts_timeouts
            .unwrap_or((Self::DEFAULT_CONNECT_TIMEOUT, Self::DEFAULT_READ_TIMEOUT));
        self.http = HttpClient::new(connect, read, network.proxy_from_env);
        self
    }

    /// The role session name (default `acs-rust-<unix seconds>`).
    #[must_use]
    pub fn with_role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = name.into();
        self
    }

    /// The session duration in seconds (default 3600, at least 900).
    #[must_use]
    pub fn with_duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// A policy further restricting the role's permissions.
    #[must_use]
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.is_empty());
        self
    }

    /// Uses the regional STS endpoint `sts.<region>.aliyuncs.com`.
    #[must_use]
    pub fn with_sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into()).filter(|r| !r.is_empty());
        self
    }

    /// With a region, uses the VPC endpoint `sts-vpc.<region>.aliyuncs.com`.
    #[must_use]
    pub fn with_vpc_endpoint(mut self, vpc: bool) -> Self {
        self.vpc = vpc;
        self
    }

    /// Sends to this STS endpoint instead: a URL such as `http://127.0.0.1:8080` (for tests)
    /// or a host (`https://` is assumed).
    #[must_use]
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into()).filter(|e| !e.is_empty());
        self
    }

    /// The connect timeout and the timeout of each read (defaults 5 s and 10 s).
    #[must_use]
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.http = self.http.with_timeouts(connect, read);
        self
    }

    /// Ignores `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (honoured by default, with `NO_PROXY`,
    /// as by the SDK).
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.http = self.http.with_proxy_from_env(false);
        self
    }

    /// Wraps the provider in a [`CachingProvider`] with the default refresh-ahead window.
    pub fn cached(self) -> CachingProvider<Self> {
        CachingProvider::new(self)
    }

    /// The role to assume.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The OIDC token file.
    pub fn token_file(&self) -> &Path {
        &self.token_file
    }

    /// The role session name.
    pub fn role_session_name(&self) -> &str {
        &self.role_session_name
    }

    /// The STS endpoint requests go to, as a URL without a trailing `/`.
    pub fn sts_endpoint(&self) -> String {
        if let Some(endpoint) = &self.sts_endpoint {
            let endpoint = endpoint.trim_end_matches('/');
            return if endpoint.starts_with("http://") || endpoint.starts_with("https://") {
                endpoint.to_owned()
            } else {
                format!("https://{endpoint}")
            };
        }
        match &self.sts_region {
            Some(region) => {
                let prefix = if self.vpc { "sts-vpc" } else { "sts" };
                format!("https://{prefix}.{region}.aliyuncs.com")
            }
            None => DEFAULT_STS_ENDPOINT.to_owned(),
        }
    }

    fn read_token(&self) -> Result<String, CredentialsError> {
        let token = std::fs::read_to_string(&self.token_file).map_err(|source| {
            CredentialsError::ReadFile {
                path: self.token_file.clone(),
                source,
            }
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::InvalidConfig {
                provider: Self::NAME.to_owned(),
                message: format!("the OIDC token file {} is empty", self.token_file.display()),
            });
        }
        Ok(token.to_owned())
    }

    async fn fetch(&self) -> Result<super::Credentials, CredentialsError> {
        if self.duration_seconds < Self::MIN_DURATION_SECONDS {
            return Err(CredentialsError::InvalidConfig {
                provider: Self::NAME.to_owned(),
                message: format!(
                    "the session duration {} s is below the minimum of {} s",
                    self.duration_seconds,
                    Self::MIN_DURATION_SECONDS
                ),
            });
        }
        let token = self.read_token()?;
        let endpoint = self.sts_endpoint();
        let what = format!("AssumeRoleWithOIDC at {endpoint}");
        let timestamp = crate::signing::format_acs_date(SystemTime::now());
        let url = format!(
            "{endpoint}/?{}",
            encode_pairs(&[
                ("Action", "AssumeRoleWithOIDC"),
                ("Format", "JSON"),
                ("Version", "2015-04-01"),
                ("Timestamp", &timestamp),
            ])
        );
        let duration = self.duration_seconds.to_string();
        let mut form = vec![
            ("RoleArn", self.role_arn.as_str()),
            ("OIDCProviderArn", self.oidc_provider_arn.as_str()),
            ("OIDCToken", token.as_str()),
            ("RoleSessionName", self.role_session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(policy) = &self.policy {
            form.push(("Policy", policy));
        }
        tracing::debug!(
            provider = Self::NAME,
            endpoint = %endpoint,
            role_arn = %self.role_arn,
            "assuming a role with an OIDC token"
        );
        let answer = self
            .http
            .send(Request {
                method: reqwest::Method::POST,
                url: &url,
                headers: vec![("accept", "application/json")],
                body: Some(("application/x-www-form-urlencoded", encode_pairs(&form))),
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
                message: http::error_details(&answer.body, &[&token]),
            });
        }
        let invalid = |message: String| CredentialsError::InvalidResponse {
            provider: Self::NAME.to_owned(),
            endpoint: what.clone(),
            message,
        };
        let body = http::json_object(&answer.body).map_err(invalid)?;
        let credentials = body
            .get("Credentials")
            .and_then(serde_json::Value::as_object)
            .ok_or_else(|| invalid("`Credentials` is missing or not an object".to_owned()))?;
        http::temporary_credentials(credentials, Self::NAME)
            .map_err(|message| invalid(format!("in `Credentials`: {message}")))
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
