//! The ECS RAM role provider: temporary credentials of the RAM role attached to the ECS
//! instance, from the instance metadata service.

use std::time::Duration;

use crate::Sensitive;

use super::cache::CachingProvider;
use super::env::Env;
use super::http::{self, Failure, FailureKind, HttpClient, NetworkSettings, Request};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// `ALIBABA_CLOUD_ECS_METADATA`: the RAM role name (else it is asked from the metadata
/// service).
pub const ECS_METADATA_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED`: `true` turns the ECS RAM role provider off.
pub const ECS_METADATA_DISABLED_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `ALIBABA_CLOUD_IMDSV1_DISABLED`: `true` forbids falling back to IMDSv1 (requests without a
/// metadata token) when no IMDSv2 token can be obtained.
pub const IMDSV1_DISABLED_VAR: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// The metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";

/// Temporary credentials of the RAM role attached to the ECS instance (also on ACK worker
/// nodes), from the instance metadata service. Provider name: `ecs_ram_role`.
///
/// Each call makes the SDK's requests (wrap the provider in a [`CachingProvider`], see
/// [`cached`](Self::cached), to reuse the credentials, as the default chain does):
///
/// 1. `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 21600`: an
///    IMDSv2 token, sent as `X-aliyun-ecs-metadata-token` with the next requests. If the
///    service answers with an error status, the requests go without a token (IMDSv1), unless
///    IMDSv1 is disabled ([`with_imds_v1_disabled`](Self::with_imds_v1_disabled),
///    `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), which is then an error. If the service cannot be
///    reached at all, the provider stops there (the SDK would try IMDSv1 and wait again).
/// 2. Unless a role name is set ([`with_role_name`](Self::with_role_name),
///    `ALIBABA_CLOUD_ECS_METADATA`): `GET /latest/meta-data/ram/security-credentials/` for
///    the role name.
/// 3. `GET /latest/meta-data/ram/security-credentials/<role>`:
///    `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
///
/// **Timeouts.** 1 s to connect and 1 s per read, as in the SDK, so that a machine outside
/// Alibaba Cloud is not held up for long. Proxies are never used for the metadata service.
///
/// **Optional mode** ([`optional`](Self::optional), used by the default chain): a service
/// that cannot be reached, an instance without a RAM role, or
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` (read by [`from_env`](Self::from_env)) are
/// [`CredentialsError::NotConfigured`], so that a chain moves on. Otherwise they are errors.
///
/// The metadata token is never logged nor shown in errors or `Debug`.
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    role_name: Option<String>,
    endpoint: String,
    imds_v1_disabled: bool,
    disabled: bool,
    optional: bool,
    http: HttpClient,
}

impl EcsRamRoleProvider {
    /// The provider's name.
    pub const NAME: &'static str = "ecs_ram_role";
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
    /// The default read timeout.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(1);
    /// The lifetime requested for IMDSv2 tokens (6 hours, the SDK's).
    pub const METADATA_TOKEN_TTL_SECONDS: u32 = 21_600;

    /// Asks `http://100.100.100.200` for the credentials of the instance's role (discovered),
    /// IMDSv1 fallback allowed, errors not skipped. Nothing is read from the environment.
    pub fn new() -> Self {
        Self {
            role_name: None,
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            imds_v1_disabled: false,
            disabled: false,
            optional: false,
            http: HttpClient::new(
                Self::DEFAULT_CONNECT_TIMEOUT,
                Self::DEFAULT_READ_TIMEOUT,
                false,
            ),
        }
    }

    /// The provider the environment configures: the role name from
    /// `ALIBABA_CLOUD_ECS_METADATA`, `ALIBABA_CLOUD_IMDSV1_DISABLED`, and
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED` (when `true`, the provider never makes a request:
    /// not configured in optional mode, an error otherwise).
    pub fn from_env(env: &Env) -> Self {
        let mut provider = Self::new();
        provider.role_name = env.non_empty(ECS_METADATA_VAR).map(str::to_owned);
        provider.imds_v1_disabled = env.is_true(IMDSV1_DISABLED_VAR);
        provider.disabled = env.is_true(ECS_METADATA_DISABLED_VAR);
        provider
    }

    /// Applies the chain's endpoint and timeout settings.
    #[must_use]
    pub(crate) fn with_network(mut self, network: &NetworkSettings) -> Self {
        if let Some(endpoint) = &network.metadata_endpoint {
            endpoint.clone_into(&mut self.endpoint);
        }
        if let Some((connect, read)) = network.metadata_timeouts {
            self.http = self.http.with_timeouts(connect, read);
        }
        self
    }

    /// Uses this role instead of asking the metadata service (empty: ask).
    #[must_use]
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into()).filter(|r| !r.is_empty());
        self
    }

    /// Asks this metadata service instead of `http://100.100.100.200` (a base URL such as
    /// `http://127.0.0.1:8080`, for tests).
    #[must_use]
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// When `true`, fails instead of falling back to IMDSv1 if no IMDSv2 token is issued.
    #[must_use]
    pub fn with_imds_v1_disabled(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = disabled;
        self
    }

    /// The connect timeout and the timeout of each read (defaults 1 s and 1 s).
    #[must_use]
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.http = self.http.with_timeouts(connect, read);
        self
    }

    /// When `true`, an unreachable metadata service, an instance without a RAM role, and
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` are "not configured" instead of errors.
    #[must_use]
    pub fn optional(mut self, optional: bool) -> Self {
        self.optional = optional;
        self
    }

    /// Wraps the provider in a [`CachingProvider`] with the default refresh-ahead window.
    pub fn cached(self) -> CachingProvider<Self> {
        CachingProvider::new(self)
    }

    /// The metadata service's base URL.
    pub fn metadata_endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The configured role name, if any.
    pub fn role_name(&self) -> Option<&str> {
        self.role_name.as_deref()
    }

    fn base(&self) -> &str {
        self.endpoint.trim_end_matches('/')
    }

    fn skip_or(&self, reason: String, err: CredentialsError) -> CredentialsError {
        if self.optional {
            CredentialsError::NotConfigured {
                provider: Self::NAME.to_owned(),
                looked_at: vec![format!(
                    "ECS instance metadata service at {} ({reason}; set \
                     {ECS_METADATA_DISABLED_VAR}=true to skip it)",
                    self.base()
                )],
            }
        } else {
            err
        }
    }

    fn request_error(what: String, failure: Failure) -> CredentialsError {
        CredentialsError::Request {
            provider: Self::NAME.to_owned(),
            endpoint: what,
            message: failure.message,
        }
    }

    /// Step 1: the IMDSv2 token, or `None` for IMDSv1.
    async fn metadata_token(&self) -> Result<Option<Sensitive<String>>, CredentialsError> {
        let url = format!("{}{TOKEN_PATH}", self.base());
        let what = format!("PUT {url}");
        let ttl = Self::METADATA_TOKEN_TTL_SECONDS.to_string();
        let answer = self
            .http
            .send(Request {
                method: reqwest::Method::PUT,
                url: &url,
                headers: vec![(TOKEN_TTL_HEADER, &ttl)],
                body: None,
            })
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(failure) if failure.kind != FailureKind::Other => {
                let reason = format!("unreachable: {}", failure.message);
                return Err(self.skip_or(reason, Self::request_error(what, failure)));
            }
            Err(failure) => return Err(Self::request_error(what, failure)),
        };
        let token = String::from_utf8(answer.body)
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| answer.status == 200 && !t.is_empty());
        match token {
            Some(token) => Ok(Some(Sensitive::new(token))),
            None if self.imds_v1_disabled => Err(CredentialsError::HttpStatus {
                provider: Self::NAME.to_owned(),
                endpoint: what,
                status: answer.status,
                message: format!(
                    "no IMDSv2 metadata token was issued, and {IMDSV1_DISABLED_VAR}=true \
                     forbids falling back to IMDSv1"
                ),
            }),
            None => {
                tracing::debug!(
                    provider = Self::NAME,
                    status = answer.status,
                    "no IMDSv2 metadata token; falling back to IMDSv1"
                );
                Ok(None)
            }
        }
    }

    async fn get(
        &self,
        url: &str,
        token: Option<&Sensitive<String>>,
    ) -> Result<http::Answer, CredentialsError> {
        let headers = token
            .map(|t| vec![(TOKEN_HEADER, t.expose().as_str())])
            .unwrap_or_default();
        self.http
            .send(Request {
                method: reqwest::Method::GET,
                url,
                headers,
                body: None,
            })
            .await
            .map_err(|failure| Self::request_error(format!("GET {url}"), failure))
    }

    /// Step 2: the name of the instance's role.
    async fn discover_role(
        &self,
        token: Option<&Sensitive<String>>,
    ) -> Result<String, CredentialsError> {
        let url = format!("{}{CREDENTIALS_PATH}", self.base());
        let answer = self.get(&url, token).await?;
        let no_role = |status: u16, message: &str| {
            self.skip_or(
                message.to_owned(),
                CredentialsError::HttpStatus {
                    provider: Self::NAME.to_owned(),
                    endpoint: format!("GET {url}"),
                    status,
                    message: message.to_owned(),
                },
            )
        };
        match answer.status {
            200 => {}
            404 => return Err(no_role(404, "no RAM role is attached to this instance")),
            status @ 500.. => {
                // The service is there but failing: an error even in optional mode.
                return Err(CredentialsError::HttpStatus {
                    provider: Self::NAME.to_owned(),
                    endpoint: format!("GET {url}"),
                    status,
                    message: "the RAM role of this instance could not be listed".to_owned(),
                });
            }
            status => {
                return Err(no_role(
                    status,
                    "the answer is not the ECS metadata service's role listing",
                ));
            }
        }
        let role = String::from_utf8_lossy(&answer.body)
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned);
        match role {
            None => Err(no_role(200, "no RAM role is attached to this instance")),
            Some(role) if is_role_name(&role) => Ok(role),
            Some(_) => {
                let message =
                    "the answer is not a RAM role name (is this the ECS metadata service?)";
                Err(self.skip_or(
                    message.to_owned(),
                    CredentialsError::InvalidResponse {
                        provider: Self::NAME.to_owned(),
                        endpoint: format!("GET {url}"),
                        message: message.to_owned(),
                    },
                ))
            }
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.disabled {
            let reason = format!("skipped: {ECS_METADATA_DISABLED_VAR}=true");
            return Err(self.skip_or(
                reason,
                CredentialsError::InvalidConfig {
                    provider: Self::NAME.to_owned(),
                    message: format!(
                        "the ECS metadata service is disabled by {ECS_METADATA_DISABLED_VAR}=true"
                    ),
                },
            ));
        }
        let token = self.metadata_token().await?;
        let role = match &self.role_name {
            Some(role) if !is_role_name(role) => {
                return Err(CredentialsError::InvalidConfig {
                    provider: Self::NAME.to_owned(),
                    message: format!(
                        "`{}` is not a RAM role name (1 to 64 of A-Z a-z 0-9 . - _)",
                        http::scrub(role, &[])
                    ),
                });
            }
            Some(role) => role.clone(),
            None => self.discover_role(token.as_ref()).await?,
        };
        let url = format!("{}{CREDENTIALS_PATH}{role}", self.base());
        let what = format!("GET {url}");
        tracing::debug!(
            provider = Self::NAME,
            role = %role,
            imds_v2 = token.is_some(),
            "fetching RAM role credentials from the ECS metadata service"
        );
        let answer = self.get(&url, token.as_ref()).await?;
        if answer.status != 200 {
            return Err(CredentialsError::HttpStatus {
                provider: Self::NAME.to_owned(),
                endpoint: what,
                status: answer.status,
                message: if answer.status == 404 {
                    format!("the RAM role `{role}` is not attached to this instance")
                } else {
                    "the metadata service did not return the role's credentials".to_owned()
                },
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

/// RAM role names: 1–64 of `A-Z a-z 0-9 . - _`.
fn is_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
