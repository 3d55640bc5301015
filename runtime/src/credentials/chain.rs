//! The default credentials chain.

use super::env::Env;
use super::profile::{CliProfileProvider, IniProfileProvider};
use super::{CredentialsError, EnvironmentProvider, ProvideCredentials, ProvideFuture};

/// Tries providers in order and returns the first credentials found.
///
/// [`DefaultCredentialsChain::new`] builds the official SDK's chain
/// (`alibabacloud_credentials/provider/default.py`) from the providers this crate has:
///
/// 1. [`EnvironmentProvider`] (`ALIBABA_CLOUD_ACCESS_KEY_ID`, …);
/// 2. *(OIDC role ARN: not yet implemented; goes here, added only when
///    `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set)*;
/// 3. [`CliProfileProvider`] (`~/.aliyun/config.json`);
/// 4. [`IniProfileProvider`] (`~/.alibabacloud/credentials.ini`);
/// 5. *(ECS RAM role: not yet implemented; goes here unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`)*;
/// 6. *(credentials URI: not yet implemented; goes here when `ALIBABA_CLOUD_CREDENTIALS_URI`
///    is set)*.
///
/// A provider that reports [`CredentialsError::NotConfigured`] is skipped; any other error
/// stops the chain and is returned as is (the SDK instead swallows every error and moves on,
/// which can silently select another identity). When no provider has credentials the error
/// is [`CredentialsError::NoCredentials`], listing everything every provider looked at.
///
/// Credentials found get the provider name `default/<provider>` (e.g. `default/env`,
/// `default/cli_profile/static_ak`), as the SDK sends in `x-acs-credentials-provider`.
/// The chain caches nothing: every call asks the providers again.
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
}

impl DefaultCredentialsChain {
    /// The prefix added to the provider name of the credentials the chain returns.
    pub const NAME: &'static str = "default";

    /// The default chain over the process environment (a snapshot taken now).
    pub fn new() -> Self {
        Self::from_env(Env::real())
    }

    /// The default chain over the given environment.
    pub fn from_env(env: Env) -> Self {
        Self::empty()
            .with_provider(EnvironmentProvider::with_env(env.clone()))
            // Slot for the OIDC provider (when its three variables are set).
            .with_provider(CliProfileProvider::with_env(env.clone()))
            .with_provider(IniProfileProvider::with_env(env))
        // Slots for the ECS RAM role and credentials-URI providers.
    }

    /// A chain without providers (it reports [`CredentialsError::NoCredentials`]).
    pub fn empty() -> Self {
        Self {
            providers: Vec::new(),
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
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut looked_at = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(credentials) => {
                        let name = format!("{}/{}", Self::NAME, credentials.provider_name());
                        return Ok(credentials.with_provider_name(name));
                    }
                    Err(CredentialsError::NotConfigured {
                        looked_at: seen, ..
                    }) => looked_at.extend(seen),
                    Err(err) => return Err(err),
                }
            }
            Err(CredentialsError::NoCredentials { looked_at })
        })
    }
}
