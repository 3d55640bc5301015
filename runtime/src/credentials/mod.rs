//! Credentials and the providers that find them.
//!
//! * [`Credentials`]: an access key, optionally with an STS security token and an expiration.
//!   A `Credentials` value is itself a (static) provider.
//! * [`ProvideCredentials`]: the pluggable, asynchronous provider trait.
//! * Sources without network I/O: [`EnvironmentProvider`], [`CliProfileProvider`],
//!   [`IniProfileProvider`].
//! * Sources of temporary credentials for code running inside Alibaba Cloud:
//!   [`OidcRoleArnProvider`] (RRSA on ACK: an OIDC token exchanged at STS),
//!   [`EcsRamRoleProvider`] (the RAM role of an ECS instance, from the metadata service),
//!   [`CredentialsUriProvider`] (an HTTP endpoint of your own).
//! * [`CachingProvider`]: caches temporary credentials and refreshes them 15 minutes before
//!   they expire, one refresh for concurrent callers, keeping valid credentials when a
//!   refresh fails.
//! * [`DefaultCredentialsChain`]: all of these in the SDK's order (environment → OIDC →
//!   `~/.aliyun/config.json` → `~/.alibabacloud/credentials.ini` → ECS RAM role →
//!   credentials URI), extensible, with overridable STS and metadata addresses
//!   ([`DefaultChainBuilder`]).
//!
//! Every provider reads the process environment through an [`Env`] snapshot, so tests (and
//! embedders) can supply their own. Secrets and tokens are held in [`Sensitive`]; no `Debug`
//! output, log line or error message contains them, nor the OIDC token.

mod cache;
mod chain;
mod ecs;
mod env;
mod http;
mod ini;
mod oidc;
mod profile;
mod uri;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod network_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::Sensitive;
use crate::signing::HmacKeys;

pub use cache::{CachingProvider, DEFAULT_REFRESH_AHEAD, DEFAULT_RETRY_AFTER_FAILURE};
pub use chain::{DefaultChainBuilder, DefaultCredentialsChain};
pub use ecs::{
    DEFAULT_METADATA_ENDPOINT, ECS_METADATA_DISABLED_VAR, ECS_METADATA_VAR, EcsRamRoleProvider,
    IMDSV1_DISABLED_VAR,
};
pub use env::{
    ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR, Env, EnvironmentProvider, SECURITY_TOKEN_VAR,
};
pub use oidc::{
    DEFAULT_STS_ENDPOINT, OIDC_PROVIDER_ARN_VAR, OIDC_TOKEN_FILE_VAR, OidcRoleArnProvider,
    ROLE_ARN_VAR, ROLE_SESSION_NAME_VAR, STS_REGION_VAR, VPC_ENDPOINT_ENABLED_VAR,
};
pub use profile::{
    CLI_PROFILE_DISABLED_VAR, CREDENTIALS_FILE_VAR, CliProfileProvider, IniProfileProvider,
    PROFILE_VAR,
};
pub use uri::{CREDENTIALS_URI_VAR, CredentialsUriProvider};

/// The provider name of credentials built with [`Credentials::new`] (the SDK's name for an
/// access key given in its `Config`).
pub const STATIC_AK_PROVIDER: &str = "static_ak";
/// The provider name of static credentials with a security token.
pub const STATIC_STS_PROVIDER: &str = "static_sts";

/// An access key pair, optionally with an STS security token, and the name of the provider
/// that produced it (sent as `x-acs-credentials-provider`).
///
/// `Debug` shows the access key id and provider name but never the secret or the token.
/// Cheap to clone (the texts are shared), since every request signs with a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: Arc<str>,
    access_key_secret: Sensitive<Arc<AccessKeySecret>>,
    security_token: Option<Sensitive<Arc<str>>>,
    /// Usually one of the built-in names, which cost no allocation per signature.
    provider_name: Cow<'static, str>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// A static access key; the provider name is `static_ak`.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into().into(),
            access_key_secret: Sensitive::new(Arc::new(AccessKeySecret::new(
                access_key_secret.into(),
            ))),
            security_token: None,
            provider_name: Cow::Borrowed(STATIC_AK_PROVIDER),
            expiration: None,
        }
    }

    /// Adds an STS security token. An empty token means none, as in the SDK. When the provider
    /// name is still `static_ak` it becomes `static_sts`.
    #[must_use]
    pub fn with_security_token(mut self, security_token: impl Into<String>) -> Self {
        let token = security_token.into();
        if token.is_empty() {
            self.security_token = None;
            if self.provider_name == STATIC_STS_PROVIDER {
                self.provider_name = Cow::Borrowed(STATIC_AK_PROVIDER);
            }
        } else {
            self.security_token = Some(Sensitive::new(token.into()));
            if self.provider_name == STATIC_AK_PROVIDER {
                self.provider_name = Cow::Borrowed(STATIC_STS_PROVIDER);
            }
        }
        self
    }

    /// Sets the provider name sent as `x-acs-credentials-provider` (empty: the header is not
    /// sent).
    #[must_use]
    pub fn with_provider_name(mut self, provider_name: impl Into<Cow<'static, str>>) -> Self {
        self.provider_name = provider_name.into();
        self
    }

    /// Sets when temporary credentials stop being valid.
    #[must_use]
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The access key secret. Handle with care: never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret.expose().text
    }

    /// The HMAC states of the secret, keyed when the credentials were made.
    pub(crate) fn hmac_keys(&self) -> &HmacKeys {
        &self.access_key_secret.expose().hmac
    }

    /// The STS security token, if any. Handle with care: never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(|t| &**t.expose())
    }

    /// The provider name, e.g. `static_ak`, `default/env`, `default/cli_profile/static_sts`.
    pub fn provider_name(&self) -> &str {
        &self.provider_name
    }

    /// [`provider_name`](Self::provider_name), shared when it is a built-in name.
    pub(crate) fn provider_name_text(&self) -> Cow<'static, str> {
        self.provider_name.clone()
    }

    /// When temporary credentials expire; `None` for long-lived access keys.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }
}

/// An access key secret with its HMAC states, shared by every copy of the credentials.
struct AccessKeySecret {
    text: Box<str>,
    hmac: HmacKeys,
}

impl AccessKeySecret {
    fn new(text: String) -> Self {
        let hmac = HmacKeys::new(text.as_bytes());
        Self {
            text: text.into_boxed_str(),
            hmac,
        }
    }
}

// The states follow from the text, so the text alone decides.
impl PartialEq for AccessKeySecret {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for AccessKeySecret {}

/// The future a [`ProvideCredentials`] implementation returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials.
///
/// Asynchronous because some sources (STS, the ECS metadata service) need network I/O.
/// A provider that finds nothing to use returns [`CredentialsError::NotConfigured`], which a
/// chain skips; any other error is a real failure that stops the chain.
///
/// ```
/// use acs_runtime::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
///
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         Box::pin(async {
///             // … fetch from somewhere …
///             Ok(Credentials::new("id", "secret").with_provider_name("vault"))
///         })
///     }
/// }
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Looks up credentials.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Why no credentials could be provided. Messages never contain a secret or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source holds no credentials (e.g. the variables are unset, the file does not
    /// exist, the profile is not in it). Not a failure: a chain moves on to its next provider.
    #[error("{provider}: no credentials configured; looked at {}", list(.looked_at))]
    NotConfigured {
        /// The provider's name, e.g. `env`.
        provider: String,
        /// What was looked at and what was found there, one entry each: environment
        /// variables, file paths, profile names.
        looked_at: Vec<String>,
    },
    /// No provider of a chain had credentials.
    #[error("no Alibaba Cloud credentials found; looked at {}", list(.looked_at))]
    NoCredentials {
        /// Everything every provider looked at, in chain order.
        looked_at: Vec<String>,
    },
    /// Environment variables are set but unusable (e.g. an access key id without a secret).
    #[error("{0}")]
    InvalidEnvironment(String),
    /// A credentials file exists but cannot be read.
    #[error("cannot read credentials file {}: {source}", .path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A credentials file exists but is not valid JSON / INI.
    #[error("malformed credentials file {}: {message}", .path.display())]
    MalformedFile {
        /// The file.
        path: PathBuf,
        /// What is wrong and where (line, column); never the file's content.
        message: String,
    },
    /// The selected profile exists but is incomplete or invalid.
    #[error("profile `{profile}` in {}: {message}", .path.display())]
    InvalidProfile {
        /// The file.
        path: PathBuf,
        /// The profile (CLI) or section (INI) name.
        profile: String,
        /// What is wrong.
        message: String,
    },
    /// The selected profile uses a kind of credentials this crate cannot use yet.
    #[error(
        "profile `{profile}` in {} has {field} `{value}`, which is not supported (supported: {supported})",
        .path.display()
    )]
    UnsupportedProfile {
        /// The file.
        path: PathBuf,
        /// The profile (CLI) or section (INI) name.
        profile: String,
        /// `mode` (CLI `config.json`) or `type` (`credentials.ini`).
        field: &'static str,
        /// The unsupported value.
        value: String,
        /// The supported values.
        supported: &'static str,
    },
    /// A request of a network provider got no answer: the connection failed or timed out.
    #[error("{provider}: {endpoint}: {message}")]
    Request {
        /// The provider's name, e.g. `ecs_ram_role`.
        provider: String,
        /// What was asked, e.g. `PUT http://100.100.100.200/latest/api/token` (never a secret:
        /// URL queries and user information are hidden).
        endpoint: String,
        /// What went wrong, e.g. `timed out (connect timeout 1s, read timeout 1s)`.
        message: String,
    },
    /// A network provider's endpoint answered with an HTTP error status.
    #[error("{provider}: {endpoint} answered HTTP {status}: {message}")]
    HttpStatus {
        /// The provider's name.
        provider: String,
        /// What was asked (as for [`Request`](Self::Request)).
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The service's `Code`, `Message` and `RequestId` when it sent them (scrubbed of the
        /// OIDC token), or a hint.
        message: String,
    },
    /// A network provider's endpoint answered 200 with something unusable (not JSON, a
    /// missing field, `Code` other than `Success`, an unparsable or past `Expiration`).
    #[error("{provider}: unusable answer from {endpoint}: {message}")]
    InvalidResponse {
        /// The provider's name.
        provider: String,
        /// What was asked (as for [`Request`](Self::Request)).
        endpoint: String,
        /// What is wrong; names fields, never values.
        message: String,
    },
    /// A provider is configured in a way that cannot work (an invalid URL, a session duration
    /// below the minimum, an empty OIDC token file, a disabled metadata service).
    #[error("{provider}: {message}")]
    InvalidConfig {
        /// The provider's name.
        provider: String,
        /// What is wrong.
        message: String,
    },
    /// Any other failure of a provider (for custom providers).
    #[error("{provider}: {message}")]
    Provider {
        /// The provider's name.
        provider: String,
        /// What went wrong, without secrets.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl CredentialsError {
    /// Whether this is the "nothing configured here" outcome that chains skip.
    pub fn is_not_configured(&self) -> bool {
        matches!(self, Self::NotConfigured { .. })
    }

    /// A copy with the same variant and message, for the callers that waited for one shared
    /// refresh. An I/O error keeps its kind and message; a custom provider's `source` is
    /// folded into the message.
    pub(crate) fn duplicate(&self) -> Self {
        match self {
            Self::NotConfigured {
                provider,
                looked_at,
            } => Self::NotConfigured {
                provider: provider.clone(),
                looked_at: looked_at.clone(),
            },
            Self::NoCredentials { looked_at } => Self::NoCredentials {
                looked_at: looked_at.clone(),
            },
            Self::InvalidEnvironment(message) => Self::InvalidEnvironment(message.clone()),
            Self::ReadFile { path, source } => Self::ReadFile {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Self::MalformedFile { path, message } => Self::MalformedFile {
                path: path.clone(),
                message: message.clone(),
            },
            Self::InvalidProfile {
                path,
                profile,
                message,
            } => Self::InvalidProfile {
                path: path.clone(),
                profile: profile.clone(),
                message: message.clone(),
            },
            Self::UnsupportedProfile {
                path,
                profile,
                field,
                value,
                supported,
            } => Self::UnsupportedProfile {
                path: path.clone(),
                profile: profile.clone(),
                field,
                value: value.clone(),
                supported,
            },
            Self::Request {
                provider,
                endpoint,
                message,
            } => Self::Request {
                provider: provider.clone(),
                endpoint: endpoint.clone(),
                message: message.clone(),
            },
            Self::HttpStatus {
                provider,
                endpoint,
                status,
                message,
            } => Self::HttpStatus {
                provider: provider.clone(),
                endpoint: endpoint.clone(),
                status: *status,
                message: message.clone(),
            },
            Self::InvalidResponse {
                provider,
                endpoint,
                message,
            } => Self::InvalidResponse {
                provider: provider.clone(),
                endpoint: endpoint.clone(),
                message: message.clone(),
            },
            Self::InvalidConfig { provider, message } => Self::InvalidConfig {
                provider: provider.clone(),
                message: message.clone(),
            },
            Self::Provider {
                provider,
                message,
                source,
            } => Self::Provider {
                provider: provider.clone(),
                message: match source {
                    Some(source) => format!("{message}: {source}"),
                    None => message.clone(),
                },
                source: None,
            },
        }
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing (no providers)".to_owned()
    } else {
        items.join("; ")
    }
}
