//! Providers that read profile files: the Alibaba Cloud CLI's `~/.aliyun/config.json` and the
//! credentials SDK's `~/.alibabacloud/credentials.ini`.
//!
//! The files are read when credentials are requested (synchronously: they are small local
//! files), so edits take effect on the next request.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::env::Env;
use super::ini;
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

/// Credentials from a profile of the Alibaba Cloud CLI's `~/.aliyun/config.json`.
///
/// The profile is the one set with [`with_profile`](Self::with_profile), else
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`. Supported modes: `AK`
/// (`access_key_id`, `access_key_secret`) and `StsToken` (plus `sts_token`); other modes
/// (`RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `CloudSSO`, `OAuth`,
/// `External`) are reported as unsupported. `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns
/// the provider off. Provider names: `cli_profile/static_ak`, `cli_profile/static_sts`.
///
/// Not configured: disabled, no home directory, no file, no profile selected, or the profile
/// is not in the file. Errors: the file cannot be read or is not JSON, the profile is
/// incomplete, or its mode is unsupported.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Env,
    file: Option<PathBuf>,
    profile: Option<String>,
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
        }
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

    fn load(&self) -> Result<Credentials, CredentialsError> {
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
        let credentials = match field("mode")? {
            "AK" => Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                .with_provider_name(format!("{}/static_ak", Self::NAME)),
            "StsToken" => Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                .with_security_token(field("sts_token")?)
                .with_provider_name(format!("{}/static_sts", Self::NAME)),
            other => {
                return Err(CredentialsError::UnsupportedProfile {
                    path,
                    profile: name.to_owned(),
                    field: "mode",
                    value: other.to_owned(),
                    supported: "AK, StsToken; set ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true to skip this file",
                });
            }
        };
        tracing::debug!(
            provider = Self::NAME,
            path = %path.display(),
            profile = name,
            "found credentials in a CLI profile"
        );
        Ok(credentials)
    }
}

impl Default for CliProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// Credentials from a section of an INI credentials file: `ALIBABA_CLOUD_CREDENTIALS_FILE`,
/// else `<home>/.alibabacloud/credentials.ini` (note the `.ini`).
///
/// The section is the one set with [`with_profile`](Self::with_profile), else
/// `ALIBABA_CLOUD_PROFILE`, else `default`. Supported `type`: `access_key`
/// (`access_key_id`, `access_key_secret`); `ram_role_arn`, `oidc_role_arn`, `ecs_ram_role` and
/// `rsa_key_pair` are reported as unsupported. Provider name: `profile/static_ak`.
///
/// Not configured: no home directory, the default file does not exist, or the section is not
/// in the file. Errors: a file named by `ALIBABA_CLOUD_CREDENTIALS_FILE` (or
/// [`with_file`](Self::with_file)) that does not exist, a file that cannot be read or parsed,
/// an incomplete section, or an unsupported type.
#[derive(Debug, Clone)]
pub struct IniProfileProvider {
    env: Env,
    file: Option<PathBuf>,
    profile: Option<String>,
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
        }
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

    fn load(&self) -> Result<Credentials, CredentialsError> {
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
        let credentials = match field("type")? {
            "access_key" => Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                .with_provider_name(format!("{}/static_ak", Self::NAME)),
            other => {
                return Err(CredentialsError::UnsupportedProfile {
                    path,
                    profile: name.to_owned(),
                    field: "type",
                    value: other.to_owned(),
                    supported: "access_key",
                });
            }
        };
        tracing::debug!(
            provider = Self::NAME,
            path = %path.display(),
            profile = name,
            "found credentials in an INI profile"
        );
        Ok(credentials)
    }
}

impl Default for IniProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for IniProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.load() })
    }
}
