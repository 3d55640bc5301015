//! The default credentials chain.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::cache::CachingProvider;
use super::ecs::EcsRamRoleProvider;
use super::env::Env;
use super::http::NetworkSettings;
use super::oidc::OidcRoleArnProvider;
use super::profile::{CliProfileProvider, IniProfileProvider};
use super::uri::CredentialsUriProvider;
use super::{CredentialsError, EnvironmentProvider, ProvideCredentials, ProvideFuture};

/// No provider has succeeded yet.
const NONE: usize = usize::MAX;

/// Tries providers in order and returns the first credentials found.
///
/// [`DefaultCredentialsChain::new`] builds the official SDK's chain
/// (`alibabacloud_credentials/provider/default.py`):
///
/// 1. [`EnvironmentProvider`]: `ALIBABA_CLOUD_ACCESS_KEY_ID`, … → `default/env`;
/// 2. [`OidcRoleArnProvider`] (RRSA), when `ALIBABA_CLOUD_ROLE_ARN`,
///    `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set →
///    `default/oidc_role_arn`;
/// 3. [`CliProfileProvider`]: `~/.aliyun/config.json` → `default/cli_profile/…`;
/// 4. [`IniProfileProvider`]: `~/.alibabacloud/credentials.ini` → `default/profile/…`;
/// 5. [`EcsRamRoleProvider`] in optional mode, unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` → `default/ecs_ram_role`;
/// 6. [`CredentialsUriProvider`], when `ALIBABA_CLOUD_CREDENTIALS_URI` is set →
///    `default/credential_uri`.
///
/// The chain always has these six entries; a source that is not configured (OIDC variables
/// missing, ECS disabled, no URI) reports [`CredentialsError::NotConfigured`] without any
/// I/O. The OIDC, ECS and URI providers are wrapped in a [`CachingProvider`]: their temporary
/// credentials are reused until 15 minutes before they expire (see
/// [`DefaultChainBuilder::refresh_ahead`]), with one refresh for concurrent requests. The
/// profile providers cache the OIDC and ECS providers of `OIDC`/`EcsRamRole` (CLI) and
/// `oidc_role_arn`/`ecs_ram_role` (INI) profiles the same way.
///
/// A provider that reports [`CredentialsError::NotConfigured`] is skipped; any other error
/// stops the chain and is returned as is (the SDK instead swallows every error and moves on,
/// which can silently select another identity). An unreachable metadata service or an ECS
/// instance without a RAM role counts as not configured. When no provider has credentials
/// the error is [`CredentialsError::NoCredentials`], listing everything every provider
/// looked at.
///
/// **The chain sticks to the provider that succeeded**, as the SDK does
/// (`reuse_last_provider_enabled`): once a provider has returned credentials, later calls ask
/// only that provider, and its errors are returned as they are (no other identity is tried).
/// Only when it later reports [`CredentialsError::NotConfigured`] (its file was removed, say)
/// does the chain start again from the top. Turn this off with
/// [`DefaultChainBuilder::reuse_last_provider`].
///
/// Credentials found get the provider name `default/<provider>` (e.g. `default/env`,
/// `default/cli_profile/static_ak`), as the SDK sends in `x-acs-credentials-provider`.
///
/// The STS and metadata addresses, timeouts and proxy use can be changed with
/// [`builder`](Self::builder), e.g. to point every provider at loopback fakes in tests:
///
/// ```
/// use acs_runtime::credentials::{DefaultCredentialsChain, Env};
///
/// let chain = DefaultCredentialsChain::builder()
///     .env(Env::from_pairs([("HOME", "/nonexistent")]))
///     .sts_endpoint("http://127.0.0.1:9001")
///     .metadata_endpoint("http://127.0.0.1:9002")
///     .build();
/// assert_eq!(chain.len(), 6);
/// ```
///
/// Build your own chain with [`empty`](Self::empty) and [`with_provider`](Self::with_provider):
///
/// ```
/// use acs_runtime::credentials::{Credentials, DefaultCredentialsChain, Env, EnvironmentProvider};
///
/// let env = Env::from_pairs([("HOME", "/nonexistent")]);
/// let chain = DefaultCredentialsChain::empty()
///     .with_provider(EnvironmentProvider::with_env(env))
///     .with_provider(Credentials::new("fallback-id", "fallback-secret"));
/// assert_eq!(chain.len(), 2);
/// ```
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    providers: Vec<Box<dyn ProvideCredentials>>,
    reuse_last_provider: bool,
    last_used: AtomicUsize,
}

/// Builds the [`DefaultCredentialsChain`] with other settings; see
/// [`DefaultCredentialsChain::builder`].
#[derive(Debug, Clone, Default)]
pub struct DefaultChainBuilder {
    env: Option<Env>,
    network: NetworkSettings,
    dont_reuse_last_provider: bool,
}

impl DefaultChainBuilder {
    /// The environment the providers read (default: a snapshot of the process environment,
    /// taken by [`build`](Self::build)).
    #[must_use]
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The STS endpoint for OIDC role providers (those of the environment and of profiles),
    /// overriding `ALIBABA_CLOUD_STS_REGION` and profiles' `sts_region`: a URL such as
    /// `http://127.0.0.1:8080`.
    #[must_use]
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The metadata service for ECS RAM role providers (default `http://100.100.100.200`).
    #[must_use]
    pub fn metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// STS connect and read timeouts (defaults 5 s and 10 s).
    #[must_use]
    pub fn sts_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.network.sts_timeouts = Some((connect, read));
        self
    }

    /// Metadata-service connect and read timeouts (defaults 1 s and 1 s).
    #[must_use]
    pub fn metadata_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.network.metadata_timeouts = Some((connect, read));
        self
    }

    /// Credentials-URI connect and read timeouts (defaults 5 s and 10 s).
    #[must_use]
    pub fn credentials_uri_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.network.uri_timeouts = Some((connect, read));
        self
    }

    /// Refresh temporary credentials this long before they expire (default 15 minutes).
    #[must_use]
    pub fn refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.network.refresh_ahead = refresh_ahead;
        self
    }

    /// STS and the credentials URI ignore `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (honoured by
    /// default; the metadata service is always asked directly).
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.network.proxy_from_env = false;
        self
    }

    /// Whether the chain keeps using the provider that succeeded first (default `true`, as in
    /// the SDK). With `false`, every call tries the providers from the top.
    #[must_use]
    pub fn reuse_last_provider(mut self, reuse: bool) -> Self {
        self.dont_reuse_last_provider = !reuse;
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env.unwrap_or_else(Env::real);
        let network = &self.network;
        let mut chain = DefaultCredentialsChain::empty()
            .with_provider(EnvironmentProvider::with_env(env.clone()));
        match OidcRoleArnProvider::from_env(&env) {
            Some(oidc) => chain.push(Box::new(
                CachingProvider::new(oidc.with_network(network))
                    .with_refresh_ahead(network.refresh_ahead),
            )),
            None => chain.push(Box::new(Skipped::from(
                OidcRoleArnProvider::not_configured(&env),
            ))),
        }
        chain.push(Box::new(
            CliProfileProvider::with_env(env.clone()).with_network(network.clone()),
        ));
        chain.push(Box::new(
            IniProfileProvider::with_env(env.clone()).with_network(network.clone()),
        ));
        chain.push(Box::new(
            CachingProvider::new(
                EcsRamRoleProvider::from_env(&env)
                    .optional(true)
                    .with_network(network),
            )
            .with_refresh_ahead(network.refresh_ahead),
        ));
        match CredentialsUriProvider::from_env(&env) {
            Some(uri) => chain.push(Box::new(
                CachingProvider::new(uri.with_network(network))
                    .with_refresh_ahead(network.refresh_ahead),
            )),
            None => chain.push(Box::new(Skipped::from(
                CredentialsUriProvider::not_configured(),
            ))),
        }
        chain.reuse_last_provider = !self.dont_reuse_last_provider;
        chain
    }
}

/// A source the environment does not configure: reports why, without I/O.
#[derive(Debug)]
struct Skipped {
    provider: String,
    looked_at: Vec<String>,
}

impl From<CredentialsError> for Skipped {
    fn from(err: CredentialsError) -> Self {
        match err {
            CredentialsError::NotConfigured {
                provider,
                looked_at,
            } => Self {
                provider,
                looked_at,
            },
            other => Self {
                provider: "default".to_owned(),
                looked_at: vec![other.to_string()],
            },
        }
    }
}

impl ProvideCredentials for Skipped {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::NotConfigured {
            provider: self.provider.clone(),
            looked_at: self.looked_at.clone(),
        })))
    }
}

impl DefaultCredentialsChain {
    /// The prefix added to the provider name of the credentials the chain returns.
    pub const NAME: &'static str = "default";

    /// The default chain over the process environment (a snapshot taken now).
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// The default chain over the given environment.
    pub fn from_env(env: Env) -> Self {
        Self::builder().env(env).build()
    }

    /// A builder for the default chain with other endpoints, timeouts or refresh settings.
    pub fn builder() -> DefaultChainBuilder {
        DefaultChainBuilder::default()
    }

    /// A chain without providers (it reports [`CredentialsError::NoCredentials`]).
    pub fn empty() -> Self {
        Self {
            providers: Vec::new(),
            reuse_last_provider: true,
            last_used: AtomicUsize::new(NONE),
        }
    }

    /// Appends a provider; it is tried after those already in the chain.
    #[must_use]
    pub fn with_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.push(Box::new(provider));
        self
    }

    /// Appends a boxed provider.
    pub fn push(&mut self, provider: Box<dyn ProvideCredentials>) {
        self.providers.push(provider);
    }

    /// Whether the chain keeps using the provider that succeeded first (default `true`).
    #[must_use]
    pub fn with_reuse_last_provider(mut self, reuse: bool) -> Self {
        self.reuse_last_provider = reuse;
        self
    }

    /// The providers, in the order they are tried.
    pub fn providers(&self) -> &[Box<dyn ProvideCredentials>] {
        &self.providers
    }

    /// The number of providers.
    pub fn len(&self) -> usize {
        self.providers.len()
    }

    /// Whether the chain has no providers.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    /// The index of the provider the chain sticks to, if one has succeeded.
    pub fn last_used(&self) -> Option<usize> {
        Some(self.last_used.load(Ordering::Acquire)).filter(|&i| i != NONE)
    }

    fn named(credentials: super::Credentials) -> super::Credentials {
        let name = format!("{}/{}", Self::NAME, credentials.provider_name());
        credentials.with_provider_name(name)
    }

    async fn find(&self) -> Result<super::Credentials, CredentialsError> {
        if self.reuse_last_provider
            && let Some(index) = self.last_used()
            && let Some(provider) = self.providers.get(index)
        {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(Self::named(credentials)),
                Err(err) if err.is_not_configured() => {
                    tracing::debug!(
                        error = %err,
                        "the credentials provider in use is no longer configured; trying the chain again"
                    );
                    self.last_used.store(NONE, Ordering::Release);
                }
                Err(err) => return Err(err),
            }
        }
        let mut looked_at = Vec::new();
        for (index, provider) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    self.last_used.store(index, Ordering::Release);
                    tracing::debug!(provider = credentials.provider_name(), "found credentials");
                    return Ok(Self::named(credentials));
                }
                Err(CredentialsError::NotConfigured {
                    looked_at: seen, ..
                }) => looked_at.extend(seen),
                Err(err) => return Err(err),
            }
        }
        Err(CredentialsError::NoCredentials { looked_at })
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.find())
    }
}
