use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use super::*;

pub(super) const SECRET: &str = "Sup3rS3cretValue0123456789abcd";
pub(super) const TOKEN: &str = "CAIS+SecretToken/Value==";

/// A unique directory under the system temp dir, removed on drop.
pub(super) struct TempDir(PathBuf);

impl TempDir {
    pub(super) fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acs-runtime-credentials-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub(super) fn path(&self) -> &Path {
        &self.0
    }

    pub(super) fn write(&self, relative: &str, content: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// An environment whose home is this directory, with the ECS metadata service disabled
    /// (no test may contact the real one), plus `vars`.
    pub(super) fn env(&self, vars: &[(&str, &str)]) -> Env {
        let mut all = vec![(ECS_METADATA_DISABLED_VAR, "true")];
        all.extend_from_slice(vars);
        self.env_with_ecs(&all)
    }

    /// An environment whose home is this directory, plus `vars` (nothing else: point the
    /// ECS provider at a fake).
    pub(super) fn env_with_ecs(&self, vars: &[(&str, &str)]) -> Env {
        let mut pairs: Vec<(String, std::ffi::OsString)> =
            vec![("HOME".to_owned(), self.0.clone().into_os_string())];
        pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).into())));
        Env::from_pairs(pairs)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn cli_config(current: &str, profiles: &str) -> String {
    format!(r#"{{"current": "{current}", "profiles": [{profiles}], "meta_path": ""}}"#)
}

pub(super) fn ak_profile(name: &str, id: &str) -> String {
    format!(
        r#"{{"name": "{name}", "mode": "AK", "access_key_id": "{id}", "access_key_secret": "{SECRET}", "region_id": "cn-hangzhou"}}"#
    )
}

pub(super) fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
}

pub(super) fn looked_at(err: &CredentialsError) -> &[String] {
    match err {
        CredentialsError::NotConfigured { looked_at, .. }
        | CredentialsError::NoCredentials { looked_at } => looked_at,
        other => panic!("expected not configured, got {other:?}"),
    }
}

// --- Credentials ---------------------------------------------------------------------------

#[test]
fn debug_never_shows_secret_or_token() {
    let credentials = Credentials::new("LTAIid", SECRET)
        .with_security_token(TOKEN)
        .with_expiration(UNIX_EPOCH + Duration::from_secs(1));
    let debug = format!("{credentials:?}");
    assert_no_secret(&debug);
    assert!(
        debug.contains("LTAIid") && debug.contains("static_sts"),
        "{debug}"
    );
    assert_no_secret(&format!("{credentials:#?}"));
}

#[test]
fn credentials_accessors_and_provider_names() {
    let ak = Credentials::new("id", SECRET);
    assert_eq!(ak.access_key_id(), "id");
    assert_eq!(ak.access_key_secret(), SECRET);
    assert_eq!(ak.security_token(), None);
    assert_eq!(ak.provider_name(), STATIC_AK_PROVIDER);
    assert_eq!(ak.expiration(), None);

    let sts = ak.clone().with_security_token(TOKEN);
    assert_eq!(sts.security_token(), Some(TOKEN));
    assert_eq!(sts.provider_name(), STATIC_STS_PROVIDER);
    // An empty token is no token.
    let back = sts.with_security_token("");
    assert_eq!(back.security_token(), None);
    assert_eq!(back.provider_name(), STATIC_AK_PROVIDER);
    // A custom name is kept.
    let named = ak.with_provider_name("vault").with_security_token(TOKEN);
    assert_eq!(named.provider_name(), "vault");
}

#[tokio::test]
async fn static_credentials_provide_themselves() {
    let credentials = Credentials::new("id", SECRET);
    assert_eq!(
        credentials.provide_credentials().await.unwrap(),
        credentials
    );
    let shared: Arc<dyn ProvideCredentials> = Arc::new(credentials.clone());
    assert_eq!(shared.provide_credentials().await.unwrap(), credentials);
    let boxed: Box<dyn ProvideCredentials> = Box::new(credentials.clone());
    assert_eq!(boxed.provide_credentials().await.unwrap(), credentials);
}

// --- Env -------------------------------------------------------------------------------------

#[test]
fn env_lookups_and_home() {
    let env = Env::from_pairs([("A", "1"), ("EMPTY", ""), ("FLAG", "TRUE")]);
    assert_eq!(env.get("A"), Some("1"));
    assert_eq!(env.get("EMPTY"), Some(""));
    assert_eq!(env.non_empty("EMPTY"), None);
    assert_eq!(env.get("MISSING"), None);
    assert!(env.is_true("FLAG"));
    assert!(!env.is_true("A"));
    assert_eq!(env.home_dir(), None);

    let env = Env::from_pairs([("HOME", ""), ("HOMEPATH", "/hp")]);
    assert_eq!(env.home_dir(), Some(PathBuf::from("/hp")));
    let env = Env::from_pairs([("HOME", "/h"), ("HOMEPATH", "/hp")]);
    assert_eq!(env.home_dir(), Some(PathBuf::from("/h")));
}

#[test]
fn env_debug_shows_names_only() {
    let env = Env::from_pairs([(ACCESS_KEY_SECRET_VAR, SECRET)]);
    let debug = format!("{env:?}");
    assert!(debug.contains(ACCESS_KEY_SECRET_VAR), "{debug}");
    assert_no_secret(&debug);
    assert_no_secret(&format!("{:?}", EnvironmentProvider::with_env(env.clone())));
    assert_no_secret(&format!("{:?}", DefaultCredentialsChain::from_env(env)));
}

#[test]
fn env_real_snapshots_the_process_environment() {
    // Only reads; PATH is set in any test environment worth running in.
    let env = Env::real();
    assert_eq!(env.get_os("PATH"), std::env::var_os("PATH").as_deref());
}

// --- EnvironmentProvider ----------------------------------------------------------------------

#[tokio::test]
async fn environment_provider() {
    let env = Env::from_pairs([
        (ACCESS_KEY_ID_VAR, "LTAIenv"),
        (ACCESS_KEY_SECRET_VAR, SECRET),
    ]);
    let credentials = EnvironmentProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIenv");
    assert_eq!(credentials.access_key_secret(), SECRET);
    assert_eq!(credentials.security_token(), None);
    assert_eq!(credentials.provider_name(), "env");

    let env = Env::from_pairs([
        (ACCESS_KEY_ID_VAR, "STS.env"),
        (ACCESS_KEY_SECRET_VAR, SECRET),
        (SECURITY_TOKEN_VAR, TOKEN),
    ]);
    let credentials = EnvironmentProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.security_token(), Some(TOKEN));
    assert_eq!(credentials.provider_name(), "env");
}

#[tokio::test]
async fn environment_provider_not_configured_and_partial() {
    let err = EnvironmentProvider::with_env(Env::from_pairs([(ACCESS_KEY_ID_VAR, "")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    let seen = looked_at(&err).join("\n");
    for var in [ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR, SECURITY_TOKEN_VAR] {
        assert!(seen.contains(var), "{seen}");
    }

    for vars in [
        vec![(ACCESS_KEY_ID_VAR, "LTAIenv")],
        vec![(ACCESS_KEY_SECRET_VAR, SECRET)],
        vec![(SECURITY_TOKEN_VAR, TOKEN)],
        vec![(ACCESS_KEY_SECRET_VAR, SECRET), (SECURITY_TOKEN_VAR, TOKEN)],
    ] {
        let err = EnvironmentProvider::with_env(Env::from_pairs(vars))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::InvalidEnvironment(_)),
            "{err:?}"
        );
        let message = err.to_string();
        assert_no_secret(&message);
        assert!(message.contains(ACCESS_KEY_ID_VAR) && message.contains(ACCESS_KEY_SECRET_VAR));
    }
}

// --- CliProfileProvider ----------------------------------------------------------------------

#[tokio::test]
async fn cli_profile_ak_and_sts_modes() {
    let dir = TempDir::new("cli-modes");
    let sts = format!(
        r#"{{"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "{SECRET}", "sts_token": "{TOKEN}"}}"#
    );
    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "default",
            &format!("{},{sts}", ak_profile("default", "LTAIcli")),
        ),
    );

    let credentials = CliProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIcli");
    assert_eq!(credentials.access_key_secret(), SECRET);
    assert_eq!(credentials.provider_name(), "cli_profile/static_ak");

    let credentials = CliProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "sts")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.cli");
    assert_eq!(credentials.security_token(), Some(TOKEN));
    assert_eq!(credentials.provider_name(), "cli_profile/static_sts");

    // An explicit profile beats ALIBABA_CLOUD_PROFILE.
    let credentials = CliProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "sts")]))
        .with_profile("default")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIcli");
}

#[tokio::test]
async fn cli_profile_uses_current_and_homepath() {
    let dir = TempDir::new("cli-current");
    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "second",
            &format!(
                "{},{}",
                ak_profile("first", "LTAI1"),
                ak_profile("second", "LTAI2")
            ),
        ),
    );
    let env = Env::from_pairs([("HOMEPATH", dir.path().as_os_str())]);
    let credentials = CliProfileProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI2");

    let other = TempDir::new("cli-file");
    let file = other.write(
        "elsewhere.json",
        &cli_config("first", &ak_profile("first", "LTAIx")),
    );
    let credentials = CliProfileProvider::with_env(Env::default())
        .with_file(&file)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIx");
}

#[tokio::test]
async fn cli_profile_not_configured_cases() {
    let dir = TempDir::new("cli-absent");
    let config = dir.path().join(".aliyun").join("config.json");

    // No file.
    let err = CliProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(
        looked_at(&err)[0].contains(&config.display().to_string()),
        "{err}"
    );

    // No home directory.
    let err = CliProfileProvider::with_env(Env::default())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HOME"), "{err}");

    // Disabled, even though the file exists.
    dir.write(
        ".aliyun/config.json",
        &cli_config("default", &ak_profile("default", "LTAI")),
    );
    let err = CliProfileProvider::with_env(dir.env(&[(CLI_PROFILE_DISABLED_VAR, "True")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.to_string().contains(CLI_PROFILE_DISABLED_VAR), "{err}");

    // The selected profile is not in the file.
    let err = CliProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "nope")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    let message = err.to_string();
    assert!(
        message.contains("`nope`") && message.contains(PROFILE_VAR),
        "{message}"
    );

    // No profile selected at all.
    dir.write(".aliyun/config.json", r#"{"profiles": []}"#);
    let err = CliProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.to_string().contains("current"), "{err}");
}

#[tokio::test]
async fn cli_profile_errors() {
    let dir = TempDir::new("cli-errors");
    let provider = || CliProfileProvider::with_env(dir.env(&[]));

    let path = dir.write(
        ".aliyun/config.json",
        &format!(r#"{{"current": "default", "profiles": [{{"access_key_secret": "{SECRET}" "#),
    );
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::MalformedFile { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("line"),
        "{message}"
    );
    assert_no_secret(&message);

    dir.write(
        ".aliyun/config.json",
        r#"{"current": "default", "profiles": {}}"#,
    );
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::MalformedFile { .. }),
        "{err:?}"
    );

    dir.write(".aliyun/config.json", "[]");
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::MalformedFile { .. }),
        "{err:?}"
    );

    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "default",
            &format!(r#"{{"name": "default", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "{SECRET}"}}"#),
        ),
    );
    let err = provider().provide_credentials().await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, CredentialsError::UnsupportedProfile { .. }),
        "{err:?}"
    );
    assert!(
        message.contains("RamRoleArn") && message.contains("AK, StsToken"),
        "{message}"
    );
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert_no_secret(&message);

    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "default",
            r#"{"name": "default", "mode": "AK", "access_key_id": "a"}"#,
        ),
    );
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("access_key_secret"), "{err}");

    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "default",
            &format!(r#"{{"name": "default", "mode": "StsToken", "access_key_id": "a", "access_key_secret": "{SECRET}"}}"#),
        ),
    );
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("sts_token"), "{err}");

    dir.write(
        ".aliyun/config.json",
        &cli_config("default", r#"{"name": "default"}"#),
    );
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("`mode`"), "{err}");

    // A directory where the file should be is a read error, not "not configured".
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let err = provider().provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::ReadFile { .. }), "{err:?}");
}

// --- IniProfileProvider ----------------------------------------------------------------------

pub(super) fn ini_access_key(section: &str, id: &str) -> String {
    format!(
        "[{section}]\ntype = access_key\naccess_key_id = {id}\naccess_key_secret = {SECRET}\n\n"
    )
}

#[tokio::test]
async fn ini_profile_sections_and_files() {
    let dir = TempDir::new("ini");
    dir.write(
        ".alibabacloud/credentials.ini",
        &format!(
            "{}{}",
            ini_access_key("default", "LTAIini"),
            ini_access_key("dev", "LTAIdev")
        ),
    );
    let credentials = IniProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIini");
    assert_eq!(credentials.access_key_secret(), SECRET);
    assert_eq!(credentials.provider_name(), "profile/static_ak");

    let credentials = IniProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "dev")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIdev");

    let custom = dir.write("custom/creds.ini", &ini_access_key("default", "LTAIcustom"));
    let custom_str = custom.to_str().unwrap();
    let credentials = IniProfileProvider::with_env(dir.env(&[(CREDENTIALS_FILE_VAR, custom_str)]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIcustom");

    let credentials = IniProfileProvider::with_env(Env::default())
        .with_file(&custom)
        .with_profile("default")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIcustom");
}

#[tokio::test]
async fn ini_profile_not_configured_and_errors() {
    let dir = TempDir::new("ini-errors");
    let default_path = dir.path().join(".alibabacloud").join("credentials.ini");

    let err = IniProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(
        err.to_string()
            .contains(&default_path.display().to_string()),
        "{err}"
    );

    // A file named by ALIBABA_CLOUD_CREDENTIALS_FILE must exist.
    let missing = dir.path().join("missing.ini");
    let err =
        IniProfileProvider::with_env(dir.env(&[(CREDENTIALS_FILE_VAR, missing.to_str().unwrap())]))
            .provide_credentials()
            .await
            .unwrap_err();
    assert!(matches!(err, CredentialsError::ReadFile { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&missing.display().to_string()) && message.contains(CREDENTIALS_FILE_VAR),
        "{message}"
    );

    dir.write(
        ".alibabacloud/credentials.ini",
        &ini_access_key("default", "LTAI"),
    );
    let err = IniProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "prod")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.to_string().contains("[prod]"), "{err}");

    dir.write(
        ".alibabacloud/credentials.ini",
        &format!("[default]\ntype = access_key\naccess_key_secret {SECRET}\n"),
    );
    let err = IniProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, CredentialsError::MalformedFile { .. }),
        "{err:?}"
    );
    assert!(
        message.contains("line 3") && message.contains(&default_path.display().to_string()),
        "{message}"
    );
    assert_no_secret(&message);

    dir.write(
        ".alibabacloud/credentials.ini",
        "[default]\ntype = rsa_key_pair\npublic_key_id = k\n",
    );
    let err = IniProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::UnsupportedProfile { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("rsa_key_pair") && message.contains("oidc_role_arn, ecs_ram_role"),
        "{message}"
    );

    dir.write(
        ".alibabacloud/credentials.ini",
        "[default]\naccess_key_id = a\n",
    );
    let err = IniProfileProvider::with_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("`type`"), "{err}");
}

// --- DefaultCredentialsChain -----------------------------------------------------------------

#[tokio::test]
async fn chain_order_env_then_cli_then_ini() {
    let dir = TempDir::new("chain-order");
    dir.write(
        ".aliyun/config.json",
        &cli_config("default", &ak_profile("default", "LTAIcli")),
    );
    dir.write(
        ".alibabacloud/credentials.ini",
        &ini_access_key("default", "LTAIini"),
    );
    let env_vars = [
        (ACCESS_KEY_ID_VAR, "LTAIenv"),
        (ACCESS_KEY_SECRET_VAR, SECRET),
    ];

    let found = DefaultCredentialsChain::from_env(dir.env(&env_vars))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("LTAIenv", "default/env")
    );

    let found = DefaultCredentialsChain::from_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("LTAIcli", "default/cli_profile/static_ak")
    );

    let found = DefaultCredentialsChain::from_env(dir.env(&[(CLI_PROFILE_DISABLED_VAR, "true")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("LTAIini", "default/profile/static_ak")
    );

    // ALIBABA_CLOUD_PROFILE naming a profile only the INI file has: the CLI provider is not
    // configured for it, the INI provider is.
    dir.write(
        ".alibabacloud/credentials.ini",
        &format!(
            "{}{}",
            ini_access_key("default", "LTAIini"),
            ini_access_key("ci", "LTAIci")
        ),
    );
    let found = DefaultCredentialsChain::from_env(dir.env(&[(PROFILE_VAR, "ci")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(found.access_key_id(), "LTAIci");
}

#[tokio::test]
async fn chain_reports_everything_it_looked_at() {
    let dir = TempDir::new("chain-nothing");
    let err = DefaultCredentialsChain::from_env(dir.env(&[(PROFILE_VAR, "team")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::NoCredentials { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    for expected in [
        ACCESS_KEY_ID_VAR.to_owned(),
        ACCESS_KEY_SECRET_VAR.to_owned(),
        SECURITY_TOKEN_VAR.to_owned(),
        dir.path()
            .join(".aliyun")
            .join("config.json")
            .display()
            .to_string(),
        dir.path()
            .join(".alibabacloud")
            .join("credentials.ini")
            .display()
            .to_string(),
        CREDENTIALS_FILE_VAR.to_owned(),
    ] {
        assert!(
            message.contains(&expected),
            "missing {expected} in: {message}"
        );
    }

    // With both files present but without the profile, the profile name is reported for both.
    dir.write(
        ".aliyun/config.json",
        &cli_config("default", &ak_profile("default", "LTAI")),
    );
    dir.write(
        ".alibabacloud/credentials.ini",
        &ini_access_key("default", "LTAI"),
    );
    let err = DefaultCredentialsChain::from_env(dir.env(&[(PROFILE_VAR, "team")]))
        .provide_credentials()
        .await
        .unwrap_err();
    let seen = looked_at(&err);
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert!(seen[3].contains(OIDC_TOKEN_FILE_VAR), "{seen:?}");
    assert!(seen[4].contains("profile `team`"), "{seen:?}");
    assert!(seen[5].contains("section [team]"), "{seen:?}");
    assert!(seen[6].contains(ECS_METADATA_DISABLED_VAR), "{seen:?}");
    assert!(seen[7].contains(CREDENTIALS_URI_VAR), "{seen:?}");
    assert_no_secret(&err.to_string());
}

#[tokio::test]
async fn a_real_failure_stops_the_chain() {
    let dir = TempDir::new("chain-stop");
    let cli = dir.write(".aliyun/config.json", "{ not json");
    dir.write(
        ".alibabacloud/credentials.ini",
        &ini_access_key("default", "LTAIini"),
    );
    let err = DefaultCredentialsChain::from_env(dir.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::MalformedFile { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&cli.display().to_string()),
        "{err}"
    );
}

#[tokio::test]
async fn custom_chains() {
    let empty = DefaultCredentialsChain::empty();
    assert!(empty.is_empty());
    let err = empty.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NoCredentials { .. }));
    assert!(err.to_string().contains("no providers"), "{err}");

    let chain = DefaultCredentialsChain::empty()
        .with_provider(EnvironmentProvider::with_env(Env::default()))
        .with_provider(Credentials::new("fallback", SECRET));
    assert_eq!(chain.len(), 2);
    assert_eq!(chain.providers().len(), 2);
    let found = chain.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "fallback");
    assert_eq!(found.provider_name(), "default/static_ak");

    let mut chain =
        DefaultCredentialsChain::from_env(Env::from_pairs([(ECS_METADATA_DISABLED_VAR, "true")]));
    assert_eq!(chain.len(), 6);
    chain.push(Box::new(Credentials::new("last", SECRET)));
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "last"
    );
}

#[test]
fn error_display_never_contains_secrets() {
    let errors = [
        CredentialsError::NotConfigured {
            provider: "env".to_owned(),
            looked_at: vec!["x".to_owned()],
        },
        CredentialsError::Provider {
            provider: "custom".to_owned(),
            message: "boom".to_owned(),
            source: None,
        },
    ];
    for err in errors {
        assert_no_secret(&err.to_string());
        assert_no_secret(&format!("{err:?}"));
    }
}
