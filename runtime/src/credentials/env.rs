//! The environment snapshot providers read, and the environment-variable provider.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::PathBuf;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`
pub const ACCESS_KEY_ID_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
pub const ACCESS_KEY_SECRET_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// `ALIBABA_CLOUD_SECURITY_TOKEN`
pub const SECURITY_TOKEN_VAR: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// A snapshot of environment variables.
///
/// Providers never call `std::env` themselves; they read an `Env`, built from the process
/// environment with [`Env::real`] or from explicit pairs with [`Env::from_pairs`] (for tests
/// and embedders). Like the official SDK, which reads its variables once at import time, the
/// snapshot does not follow later changes of the process environment.
///
/// `Debug` lists variable names only, never values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, OsString>,
}

impl Env {
    /// A snapshot of the current process environment. Variables whose names are not valid
    /// UTF-8 are skipped.
    pub fn real() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(name, value)| name.into_string().ok().map(|name| (name, value)))
                .collect(),
        }
    }

    /// An environment holding exactly these variables.
    ///
    /// ```
    /// use acs_runtime::credentials::Env;
    /// let env = Env::from_pairs([("HOME", "/home/me"), ("ALIBABA_CLOUD_PROFILE", "dev")]);
    /// assert_eq!(env.get("ALIBABA_CLOUD_PROFILE"), Some("dev"));
    /// ```
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<OsString>,
    {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `name`, if set and valid UTF-8.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.to_str())
    }

    /// The value of `name`, if set and valid UTF-8 and not empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// The raw value of `name` (for paths, which need not be UTF-8).
    pub fn get_os(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(name).map(OsString::as_os_str)
    }

    /// Whether `name` is set to `true`, case-insensitively (the SDK lower-cases such flags).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory as the SDK finds it: `$HOME`, else `$HOMEPATH` (empty values are
    /// skipped).
    pub fn home_dir(&self) -> Option<PathBuf> {
        ["HOME", "HOMEPATH"]
            .into_iter()
            .filter_map(|name| self.get_os(name))
            .find(|value| !value.is_empty())
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and the
/// optional `ALIBABA_CLOUD_SECURITY_TOKEN`. Provider name: `env` (`default/env` in the chain).
///
/// All three unset or empty: not configured. An id without a secret, a secret without an id,
/// or a token without both is an error, so that a half-exported access key is reported
/// instead of silently falling through to another identity. (The official SDK skips to the
/// next provider in that case.)
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// The provider's name.
    pub const NAME: &'static str = "env";

    /// Reads the process environment (a snapshot taken now).
    pub fn new() -> Self {
        Self::with_env(Env::real())
    }

    /// Reads the given environment.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.non_empty(ACCESS_KEY_ID_VAR);
        let secret = self.env.non_empty(ACCESS_KEY_SECRET_VAR);
        let token = self.env.non_empty(SECURITY_TOKEN_VAR);
        match (id, secret) {
            (Some(id), Some(secret)) => {
                tracing::debug!(
                    provider = Self::NAME,
                    "found credentials in the environment"
                );
                let credentials = Credentials::new(id, secret);
                let credentials = match token {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                };
                Ok(credentials.with_provider_name(Self::NAME))
            }
            (None, None) if token.is_none() => Err(CredentialsError::NotConfigured {
                provider: Self::NAME.to_owned(),
                looked_at: [ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR, SECURITY_TOKEN_VAR]
                    .iter()
                    .map(|var| format!("environment variable {var} (unset or empty)"))
                    .collect(),
            }),
            (id, secret) => {
                let state = |name: &str, value: Option<&str>| {
                    format!(
                        "{name} is {}",
                        if value.is_some() {
                            "set"
                        } else {
                            "unset or empty"
                        }
                    )
                };
                Err(CredentialsError::InvalidEnvironment(format!(
                    "incomplete access key in the environment: {}, {}, {}; set both \
                     {ACCESS_KEY_ID_VAR} and {ACCESS_KEY_SECRET_VAR}, or neither",
                    state(ACCESS_KEY_ID_VAR, id),
                    state(ACCESS_KEY_SECRET_VAR, secret),
                    state(SECURITY_TOKEN_VAR, token),
                )))
            }
        }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.load() })
    }
}
