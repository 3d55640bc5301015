//! Providers that read profile files: the Alibaba Cloud CLI's `~/.aliyun/config.json` and the
//! credentials SDK's `~/.alibabacloud/credentials.ini`.
//!
//! The files are read when credentials are requested (synchronously: they are small local
//! files), so edits take effect on the next request.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use super::cache::CachingProvider;
use super::ecs::EcsRamRoleProvider;
use super::env::Env;
use super::http::NetworkSettings;
use super::ini;
use super::oidc::{OIDC_PROVIDER_ARN_VAR, OIDC_TOKEN_FILE_VAR, OidcRoleArnProvider, ROLE_ARN_VAR};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// `ALIBABA_CLOUD_PROFILE`: the profile (CLI) or section (INI) to use.
pub const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`: `true` turns the CLI profile provider off.
pub const CLI_PROFILE_DISABLED_VAR: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// `ALIBABA_CLOUD_CREDENTIALS_FILE`: the INI file to read instead of the default.
pub const CREDENTIALS_FILE_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// Reads a file; `Ok(None)` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(CredentialsError::ReadFile {
            path: path.to_owned(),
            source,
        }),
    }
}

fn not_configured(provider: &str, looked_at: Vec<String>) -> CredentialsError {
    CredentialsError::NotConfigured {
        provider: provider.to_owned(),
        looked_at,
    }
}

/// Where a profile name came from, for messages.
fn profile_origin(explicit: bool, from_env: bool) -> &'static str {
    if explicit {
        "set explicitly"
    } else if from_env {
        "from ALIBABA_CLOUD_PROFILE"
    } else {
        "the default"
    }
}

/// What a profile resolves to: static credentials, or a temporary-credentials provider with
/// the settings it was built from.
enum Loaded {
    Static(Credentials),
    Temporary {
        /// The profile's settings that went into `provider`.
        key: Vec<String>,
        provider: Arc<dyn ProvideCredentials>,
    },
}

/// The temporary-credentials provider of the selected profile, kept (with its cached
/// credentials) as long as the profile's settings stay the same. Clones share it.
#[derive(Clone, Default)]
struct ProviderCache(Arc<Mutex<Option<CachedProvider>>>);

/// A profile's settings and the provider built from them.
type CachedProvider = (Vec<String>, Arc<dyn ProvideCredentials>);

impl ProviderCache {
    fn get(
        &self,
        key: Vec<String>,
        fresh: Arc<dyn ProvideCredentials>,
    ) -> Arc<dyn ProvideCredentials> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((cached_key, provider)) if *cached_key == key => Arc::clone(provider),
            _ => {
                *slot = Some((key, Arc::clone(&fresh)));
                fresh
            }
        }
    }
}

impl fmt::Debug for ProviderCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((_, provider)) => f.debug_tuple("ProviderCache").field(provider).finish(),
            None => f.write_str("ProviderCache(empty)"),
        }
    }
}

/// Resolves a profile, then asks its temporary-credentials provider (through the cache) and
/// prefixes the provider name.
async fn provide(
    loaded: Result<Loaded, CredentialsError>,
    cache: &ProviderCache,
    prefix: &str,
) -> Result<Credentials, CredentialsError> {
    match loaded? {
        Loaded::Static(credentials) => Ok(credentials),
        Loaded::Temporary { key, provider } => {
            let provider = cache.get(key, provider);
            let credentials = provider.provide_credentials().await?;
            let name = format!("{prefix}/{}", credentials.provider_name());
            Ok(credentials.with_provider_name(name))
        }
    }
}

/// The settings of an OIDC role profile; `None` fields fall back to the environment.
struct OidcProfile<'a> {
    role_arn: Option<&'a str>,
    oidc_provider_arn: Option<&'a str>,
    token_file: Option<&'a str>,
    session_name: Option<&'a str>,
    duration_seconds: Option<u32>,
    policy: Option<&'a str>,
    sts_region: Option<&'a str>,
    vpc: Option<bool>,
}

impl OidcProfile<'_> {
    /// The provider, or the name of the first missing field. Like the SDK, the role ARN,
    /// provider ARN, token file and session name fall back to `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`; the STS region and VPC choice to
    /// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    fn build(
        &self,
        env: &Env,
        network: &NetworkSettings,
        names: [&str; 3],
    ) -> Result<(Vec<String>, Arc<dyn ProvideCredentials>), String> {
        let required = |value: Option<&str>, field: &str, var: &str| {
            value
                .map(str::to_owned)
                .or_else(|| env.non_empty(var).map(str::to_owned))
                .ok_or_else(|| format!("`{field}` is missing or empty, and {var} is unset"))
        };
        let role_arn = required(self.role_arn, names[0], ROLE_ARN_VAR)?;
        let provider_arn = required(self.oidc_provider_arn, names[1], OIDC_PROVIDER_ARN_VAR)?;
        let token_file = match self.token_file {
            Some(file) => PathBuf::from(file),
            None => env
                .get_os(OIDC_TOKEN_FILE_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .ok_or_else(|| {
                    format!(
                        "`{}` is missing or empty, and {OIDC_TOKEN_FILE_VAR} is unset",
                        names[2]
                    )
                })?,
        };
        let key = vec![
            "oidc".to_owned(),
            role_arn.clone(),
            provider_arn.clone(),
            token_file.display().to_string(),
            format!("{:?}", self.session_name),
            format!("{:?}", self.duration_seconds),
            format!("{:?}", self.policy),
            format!("{:?}", self.sts_region),
            format!("{:?}", self.vpc),
        ];
        let mut provider =
            OidcRoleArnProvider::new(role_arn, provider_arn, token_file).with_env_defaults(env);
        if let Some(name) = self.session_name {
            provider = provider.with_role_session_name(name);
        }
        if let Some(seconds) = self.duration_seconds {
            provider = provider.with_duration_seconds(seconds);
        }
        if let Some(policy) = self.policy {
            provider = provider.with_policy(policy);
        }
        if let Some(region) = self.sts_region {
            provider = provider.with_sts_region(region);
        }
        if let Some(vpc) = self.vpc {
            provider = provider.with_vpc_endpoint(vpc);
        }
        let provider = CachingProvider::new(provider.with_network(network))
            .with_refresh_ahead(network.refresh_ahead);
        Ok((key, Arc::new(provider)))
    }
}

/// An ECS RAM role provider for a profile (role name from the profile, else
/// `ALIBABA_CLOUD_ECS_METADATA`, else discovered). Not optional: an unreachable service or
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` is an error, since the profile asks for it.
fn ecs_profile(
    role_name: Option<&str>,
    env: &Env,
    network: &NetworkSettings,
) -> (Vec<String>, Arc<dyn ProvideCredentials>) {
    let mut provider = EcsRamRoleProvider::from_env(env).with_network(network);
    if let Some(role) = role_name {
        provider = provider.with_role_name(role);
    }
    let key = vec!["ecs".to_owned(), format!("{role_name:?}")];
    let provider = CachingProvider::new(provider).with_refresh_ahead(network.refresh_ahead);
    (key, Arc::new(provider))
}

/// A JSON value as a positive integer (a number or a numeric string).
fn json_u32(value: Option<&Value>) -> Option<u32> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|&n| n > 0)
}

/// A JSON value as a boolean (`true`/`false` or the strings).
fn json_bool(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    }
}

/// Credentials from a profile of the Alibaba Cloud CLI's `~/.aliyun/config.json`.
///
/// The profile is the one set with [`with_profile`](Self::with_profile), else
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`. Supported modes:
///
/// * `AK` (`access_key_id`, `access_key_secret`) → `cli_profile/static_ak`;
/// * `StsToken` (plus `sts_token`) → `cli_profile/static_sts`;
/// * `OIDC` (`ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`, optional
///   `role_session_name`, `expired_seconds`, `policy`, `sts_region`, `enable_vpc`; the first
///   three fall back to the `ALIBABA_CLOUD_…` variables, as in the SDK) →
///   `cli_profile/oidc_role_arn`, through an [`OidcRoleArnProvider`];
/// * `EcsRamRole` (optional `ram_role_name`, else `ALIBABA_CLOUD_ECS_METADATA`, else
///   discovered) → `cli_profile/ecs_ram_role`, through an [`EcsRamRoleProvider`] (an
///   unreachable metadata service is an error here, since the profile asks for it).
///
/// Other modes (`RamRoleArn`, `ChainableRamRoleArn`, `CloudSSO`, `OAuth`, `External`) are
/// reported as unsupported. `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns the provider off.
///
/// The file is read on every call; the OIDC or ECS provider of the selected profile is kept,
/// with its [cached](CachingProvider) credentials, as long as the profile's settings stay the
/// same (clones of this provider share it).
///
/// Not configured: disabled, no home directory, no file, no profile selected, or the profile
/// is not in the file. Errors: the file cannot be read or is not JSON, the profile is
/// incomplete, its mode is unsupported, or its OIDC/ECS provider fails.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Env,
    file: Option<PathBuf>,
    profile: Option<String>,
    network: NetworkSettings,
    cache: ProviderCache,
}

impl CliProfileProvider {
    /// The provider's name.
    pub const NAME: &'static str = "cli_profile";

    /// Reads the process environment (a snapshot taken now).
    pub fn new() -> Self {
        Self::with_env(Env::real())
    }

    /// Reads the given environment.
    pub fn with_env(env: Env) -> Self {
        Self {
            env,
            file: None,
            profile: None,
            network: NetworkSettings::default(),
            cache: ProviderCache::default(),
        }
    }

    /// The STS endpoint for `OIDC` profiles (a URL such as `http://127.0.0.1:8080`),
    /// overriding their `sts_region`.
    #[must_use]
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The metadata service for `EcsRamRole` profiles (default `http://100.100.100.200`).
    #[must_use]
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// Refreshes the temporary credentials of `OIDC`/`EcsRamRole` profiles this long before
    /// they expire (default 15 minutes).
    #[must_use]
    pub fn with_refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.network.refresh_ahead = refresh_ahead;
        self
    }

    /// Applies the chain's network settings.
    #[must_use]
    pub(crate) fn with_network(mut self, network: NetworkSettings) -> Self {
        self.network = network;
        self
    }

    /// Reads this file instead of `<home>/.aliyun/config.json`.
    #[must_use]
    pub fn with_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Uses this profile instead of `ALIBABA_CLOUD_PROFILE` or the file's `current`.
    #[must_use]
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn load(&self) -> Result<Loaded, CredentialsError> {
        if self.env.is_true(CLI_PROFILE_DISABLED_VAR) {
            return Err(not_configured(
                Self::NAME,
                vec![format!(
                    "the CLI profile file (skipped: {CLI_PROFILE_DISABLED_VAR}=true)"
                )],
            ));
        }
        let path = match (&self.file, self.env.home_dir()) {
            (Some(file), _) => file.clone(),
            (None, Some(home)) => home.join(".aliyun").join("config.json"),
            (None, None) => {
                return Err(not_configured(
                    Self::NAME,
                    vec![
                        "~/.aliyun/config.json (no home directory: HOME and HOMEPATH are unset)"
                            .to_owned(),
                    ],
                ));
            }
        };
        let Some(text) = read_optional(&path)? else {
            return Err(not_configured(
                Self::NAME,
                vec![format!("{} (not found)", path.display())],
            ));
        };
        let config: Value =
            serde_json::from_str(&text).map_err(|err| CredentialsError::MalformedFile {
                path: path.clone(),
                // serde_json's syntax errors name line and column, never content.
                message: format!("not valid JSON: {err}"),
            })?;
        let Some(config) = config.as_object() else {
            return Err(CredentialsError::MalformedFile {
                path,
                message: "expected a JSON object at the top level".to_owned(),
            });
        };

        let from_env = self.env.non_empty(PROFILE_VAR);
        let (name, origin) = match (self.profile.as_deref(), from_env) {
            (Some(name), _) => (name, profile_origin(true, false)),
            (None, Some(name)) => (name, profile_origin(false, true)),
            (None, None) => match config.get("current").and_then(Value::as_str) {
                Some(current) if !current.is_empty() => (current, "the file's `current`"),
                _ => {
                    return Err(not_configured(
                        Self::NAME,
                        vec![format!(
                            "{} (no profile selected: {PROFILE_VAR} is unset and the file has no `current`)",
                            path.display()
                        )],
                    ));
                }
            },
        };

        let profiles = match config.get("profiles") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(profiles)) => profiles.as_slice(),
            Some(_) => {
                return Err(CredentialsError::MalformedFile {
                    path,
                    message: "`profiles` must be an array".to_owned(),
                });
            }
        };
        let Some(profile) = profiles
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        else {
            return Err(not_configured(
                Self::NAME,
                vec![format!(
                    "profile `{name}` ({origin}) in {} (not found)",
                    path.display()
                )],
            ));
        };

        let field = |key: &str| -> Result<&str, CredentialsError> {
            profile
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| CredentialsError::InvalidProfile {
                    path: path.clone(),
                    profile: name.to_owned(),
                    message: format!("`{key}` is missing or empty"),
                })
        };
        let optional = |key: &str| {
            profile
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        let invalid = |message: String| CredentialsError::InvalidProfile {
            path: path.clone(),
            profile: name.to_owned(),
            message,
        };
        let mode = field("mode")?;
        let loaded = match mode {
            "AK" => Loaded::Static(
                Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                    .with_provider_name(format!("{}/static_ak", Self::NAME)),
            ),
            "StsToken" => Loaded::Static(
                Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                    .with_security_token(field("sts_token")?)
                    .with_provider_name(format!("{}/static_sts", Self::NAME)),
            ),
            "OIDC" => {
                let settings = OidcProfile {
                    role_arn: optional("ram_role_arn"),
                    oidc_provider_arn: optional("oidc_provider_arn"),
                    token_file: optional("oidc_token_file"),
                    session_name: optional("role_session_name"),
                    duration_seconds: json_u32(profile.get("expired_seconds")),
                    policy: optional("policy"),
                    sts_region: optional("sts_region"),
                    vpc: json_bool(profile.get("enable_vpc")),
                };
                let (mut key, provider) = settings
                    .build(
                        &self.env,
                        &self.network,
                        ["ram_role_arn", "oidc_provider_arn", "oidc_token_file"],
                    )
                    .map_err(invalid)?;
                key.extend([path.display().to_string(), name.to_owned()]);
                Loaded::Temporary { key, provider }
            }
            "EcsRamRole" => {
                let (mut key, provider) =
                    ecs_profile(optional("ram_role_name"), &self.env, &self.network);
                key.extend([path.display().to_string(), name.to_owned()]);
                Loaded::Temporary { key, provider }
            }
            other => {
                return Err(CredentialsError::UnsupportedProfile {
                    path,
                    profile: name.to_owned(),
                    field: "mode",
                    value: other.to_owned(),
                    supported: "AK, StsToken, OIDC, EcsRamRole; set ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true to skip this file",
                });
            }
        };
        tracing::debug!(
            provider = Self::NAME,
            path = %path.display(),
            profile = name,
            mode,
            "using a CLI profile"
        );
        Ok(loaded)
    }
}

impl Default for CliProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { provide(self.load(), &self.cache, Self::NAME).await })
    }
}

/// Credentials from a section of an INI credentials file: `ALIBABA_CLOUD_CREDENTIALS_FILE`,
/// else `<home>/.alibabacloud/credentials.ini` (note the `.ini`).
///
/// The section is the one set with [`with_profile`](Self::with_profile), else
/// `ALIBABA_CLOUD_PROFILE`, else `default`. Supported `type`s:
///
/// * `access_key` (`access_key_id`, `access_key_secret`) → `profile/static_ak`;
/// * `oidc_role_arn` (`role_arn`, `oidc_provider_arn`, `oidc_token_file_path`, optional
///   `role_session_name`, `policy`; the first three fall back to the `ALIBABA_CLOUD_…`
///   variables, as in the SDK) → `profile/oidc_role_arn`, through an [`OidcRoleArnProvider`];
/// * `ecs_ram_role` (optional `role_name`) → `profile/ecs_ram_role`, through an
///   [`EcsRamRoleProvider`].
///
/// `ram_role_arn` and `rsa_key_pair` are reported as unsupported. As for
/// [`CliProfileProvider`], the OIDC or ECS provider is kept with its cached credentials while
/// the section's settings stay the same.
///
/// Not configured: no home directory, the default file does not exist, or the section is not
/// in the file. Errors: a file named by `ALIBABA_CLOUD_CREDENTIALS_FILE` (or
/// [`with_file`](Self::with_file)) that does not exist, a file that cannot be read or parsed,
/// an incomplete section, an unsupported type, or a failing OIDC/ECS provider.
#[derive(Debug, Clone)]
pub struct IniProfileProvider {
    env: Env,
    file: Option<PathBuf>,
    profile: Option<String>,
    network: NetworkSettings,
    cache: ProviderCache,
}

impl IniProfileProvider {
    /// The provider's name.
    pub const NAME: &'static str = "profile";

    /// Reads the process environment (a snapshot taken now).
    pub fn new() -> Self {
        Self::with_env(Env::real())
    }

    /// Reads the given environment.
    pub fn with_env(env: Env) -> Self {
        Self {
            env,
            file: None,
            profile: None,
            network: NetworkSettings::default(),
            cache: ProviderCache::default(),
        }
    }

    /// The STS endpoint for `oidc_role_arn` sections (a URL such as `http://127.0.0.1:8080`).
    #[must_use]
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The metadata service for `ecs_ram_role` sections (default `http://100.100.100.200`).
    #[must_use]
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.network.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// Refreshes the temporary credentials of `oidc_role_arn`/`ecs_ram_role` sections this
    /// long before they expire (default 15 minutes).
    #[must_use]
    pub fn with_refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.network.refresh_ahead = refresh_ahead;
        self
    }

    /// Applies the chain's network settings.
    #[must_use]
    pub(crate) fn with_network(mut self, network: NetworkSettings) -> Self {
        self.network = network;
        self
    }

    /// Reads this file instead of `ALIBABA_CLOUD_CREDENTIALS_FILE` or the default file.
    #[must_use]
    pub fn with_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Uses this section instead of `ALIBABA_CLOUD_PROFILE` or `default`.
    #[must_use]
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn load(&self) -> Result<Loaded, CredentialsError> {
        let from_var = self
            .env
            .get_os(CREDENTIALS_FILE_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let (path, explicit) = match (&self.file, from_var, self.env.home_dir()) {
            (Some(file), _, _) => (file.clone(), Some("set explicitly")),
            (None, Some(file), _) => (file, Some(CREDENTIALS_FILE_VAR)),
            (None, None, Some(home)) => (home.join(".alibabacloud").join("credentials.ini"), None),
            (None, None, None) => {
                return Err(not_configured(
                    Self::NAME,
                    vec![format!(
                        "{CREDENTIALS_FILE_VAR} (unset) and ~/.alibabacloud/credentials.ini \
                         (no home directory: HOME and HOMEPATH are unset)"
                    )],
                ));
            }
        };
        let text = match (read_optional(&path)?, explicit) {
            (Some(text), _) => text,
            (None, Some(origin)) => {
                return Err(CredentialsError::ReadFile {
                    path,
                    source: io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("the file does not exist (its path is {origin})"),
                    ),
                });
            }
            (None, None) => {
                return Err(not_configured(
                    Self::NAME,
                    vec![format!(
                        "{} (not found; {CREDENTIALS_FILE_VAR} is unset)",
                        path.display()
                    )],
                ));
            }
        };
        let ini = ini::parse(&text).map_err(|err| CredentialsError::MalformedFile {
            path: path.clone(),
            message: format!("not a valid INI file: {err}"),
        })?;

        let from_env = self.env.non_empty(PROFILE_VAR);
        let (name, origin) = match (self.profile.as_deref(), from_env) {
            (Some(name), _) => (name, profile_origin(true, false)),
            (None, Some(name)) => (name, profile_origin(false, true)),
            (None, None) => ("default", profile_origin(false, false)),
        };
        let Some(section) = ini.section(name) else {
            return Err(not_configured(
                Self::NAME,
                vec![format!(
                    "section [{name}] ({origin}) in {} (not found)",
                    path.display()
                )],
            ));
        };
        let field = |key: &str| -> Result<&str, CredentialsError> {
            section.get(key).filter(|v| !v.is_empty()).ok_or_else(|| {
                CredentialsError::InvalidProfile {
                    path: path.clone(),
                    profile: name.to_owned(),
                    message: format!("`{key}` is missing or empty"),
                }
            })
        };
        let optional = |key: &str| section.get(key).filter(|v| !v.is_empty());
        let kind = field("type")?;
        let loaded = match kind {
            "access_key" => Loaded::Static(
                Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                    .with_provider_name(format!("{}/static_ak", Self::NAME)),
            ),
            "oidc_role_arn" => {
                let settings = OidcProfile {
                    role_arn: optional("role_arn"),
                    oidc_provider_arn: optional("oidc_provider_arn"),
                    token_file: optional("oidc_token_file_path"),
                    session_name: optional("role_session_name"),
                    duration_seconds: None,
                    policy: optional("policy"),
                    sts_region: None,
                    vpc: None,
                };
                let (mut key, provider) = settings
                    .build(
                        &self.env,
                        &self.network,
                        ["role_arn", "oidc_provider_arn", "oidc_token_file_path"],
                    )
                    .map_err(|message| CredentialsError::InvalidProfile {
                        path: path.clone(),
                        profile: name.to_owned(),
                        message,
                    })?;
                key.extend([path.display().to_string(), name.to_owned()]);
                Loaded::Temporary { key, provider }
            }
            "ecs_ram_role" => {
                let (mut key, provider) =
                    ecs_profile(optional("role_name"), &self.env, &self.network);
                key.extend([path.display().to_string(), name.to_owned()]);
                Loaded::Temporary { key, provider }
            }
            other => {
                return Err(CredentialsError::UnsupportedProfile {
                    path,
                    profile: name.to_owned(),
                    field: "type",
                    value: other.to_owned(),
                    supported: "access_key, oidc_role_arn, ecs_ram_role",
                });
            }
        };
        tracing::debug!(
            provider = Self::NAME,
            path = %path.display(),
            profile = name,
            kind,
            "using an INI profile"
        );
        Ok(loaded)
    }
}

impl Default for IniProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for IniProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { provide(self.load(), &self.cache, Self::NAME).await })
    }
}
