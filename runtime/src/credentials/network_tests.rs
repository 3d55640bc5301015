//! Tests of the caching provider, the OIDC, ECS RAM role and credentials-URI providers (against
//! loopback fakes), the temporary-credential profile modes, and the full default chain.
//!
//! Nothing here contacts a real address: every network provider points at a `FakeServer` on
//! 127.0.0.1 or at a closed loopback port, the ECS provider is disabled through the injected
//! `Env` wherever it is not under test, and `HttpClient::send` panics in unit tests on any URL
//! that is not `http://127.0.0.1:…`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::fake::{
    FakeServer, Recorded, Reply, closed_url, coded_body, expiration_in, ok, sts_body,
};
use super::tests::{
    SECRET, TOKEN, TempDir, ak_profile, assert_no_secret, cli_config, ini_access_key, looked_at,
};
use super::*;

const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.OIDC-TOKEN-CONTENT-4711.c2ln";
const METADATA_TOKEN: &str = "IMDS-TOKEN-0815-secret";
const ROLE: &str = "acs:ram::1234567890123456:role/scaler";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c0ffee";
const SHORT: Duration = Duration::from_millis(300);

/// Neither secret, nor token, nor OIDC token, nor metadata token.
fn assert_clean(text: &str) {
    assert_no_secret(text);
    assert!(!text.contains(OIDC_TOKEN), "OIDC token leaked: {text}");
    assert!(
        !text.contains("OIDC-TOKEN-CONTENT"),
        "OIDC token leaked: {text}"
    );
    assert!(
        !text.contains(METADATA_TOKEN),
        "metadata token leaked: {text}"
    );
}

fn assert_error_clean(err: &CredentialsError) {
    assert_clean(&err.to_string());
    assert_clean(&format!("{err:?}"));
    assert_clean(&format!("{err:#?}"));
}

// --- A scripted provider ---------------------------------------------------------------------

type Script = dyn Fn(usize) -> Result<Credentials, CredentialsError> + Send + Sync;

/// A provider that answers from a script and counts its calls.
struct Scripted {
    calls: AtomicUsize,
    delay: Duration,
    script: Box<Script>,
}

impl std::fmt::Debug for Scripted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scripted").finish_non_exhaustive()
    }
}

impl Scripted {
    fn new(
        delay: Duration,
        script: impl Fn(usize) -> Result<Credentials, CredentialsError> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            delay,
            script: Box::new(script),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Scripted {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            (self.script)(call)
        })
    }
}

fn temporary(id: &str, expires_in: Duration) -> Credentials {
    Credentials::new(id, SECRET)
        .with_security_token(TOKEN)
        .with_provider_name("scripted")
        .with_expiration(SystemTime::now() + expires_in)
}

fn failure(message: &str) -> CredentialsError {
    CredentialsError::Provider {
        provider: "scripted".to_owned(),
        message: message.to_owned(),
        source: None,
    }
}

fn not_configured(what: &str) -> CredentialsError {
    CredentialsError::NotConfigured {
        provider: "scripted".to_owned(),
        looked_at: vec![what.to_owned()],
    }
}

const HOUR: Duration = Duration::from_secs(3600);

// --- CachingProvider -------------------------------------------------------------------------

#[tokio::test]
async fn cache_reuses_credentials_until_the_refresh_window() {
    let inner = Scripted::new(Duration::ZERO, |n| Ok(temporary(&format!("id{n}"), HOUR)));
    let cache = CachingProvider::new(Arc::clone(&inner));
    assert_eq!(cache.refresh_ahead(), DEFAULT_REFRESH_AHEAD);
    assert!(cache.cached().is_none());
    for _ in 0..3 {
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "id0"
        );
    }
    assert_eq!(inner.calls(), 1);
    assert_eq!(cache.cached().unwrap().access_key_id(), "id0");

    cache.invalidate();
    assert!(cache.cached().is_none());
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id1"
    );
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn cache_refreshes_credentials_inside_the_refresh_window() {
    // Ten minutes left is inside the default 15-minute window: every call refreshes.
    let inner = Scripted::new(Duration::ZERO, |n| {
        Ok(temporary(&format!("id{n}"), Duration::from_secs(600)))
    });
    let cache = CachingProvider::new(Arc::clone(&inner));
    for n in 0..3 {
        let found = cache.provide_credentials().await.unwrap();
        assert_eq!(found.access_key_id(), format!("id{n}"));
    }
    assert_eq!(inner.calls(), 3);

    // A window shorter than the lifetime caches them.
    let inner = Scripted::new(Duration::ZERO, |n| {
        Ok(temporary(&format!("id{n}"), Duration::from_secs(600)))
    });
    let cache =
        CachingProvider::new(Arc::clone(&inner)).with_refresh_ahead(Duration::from_secs(300));
    cache.provide_credentials().await.unwrap();
    cache.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
}

#[tokio::test]
async fn cache_refreshes_when_the_window_is_reached() {
    let inner = Scripted::new(Duration::ZERO, |n| {
        Ok(temporary(&format!("id{n}"), Duration::from_secs(10)))
    });
    // Refresh 8.5 s before expiry: 1.5 s after the fetch.
    let cache =
        CachingProvider::new(Arc::clone(&inner)).with_refresh_ahead(Duration::from_millis(8500));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );
    assert_eq!(inner.calls(), 1);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id1"
    );
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id1"
    );
    assert_eq!(inner.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_refresh_is_single_flight() {
    let inner = Scripted::new(Duration::from_millis(200), |n| {
        Ok(temporary(&format!("id{n}"), HOUR))
    });
    let cache = Arc::new(CachingProvider::new(Arc::clone(&inner)));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "id0");
    }
    assert_eq!(inner.calls(), 1);

    // Stale credentials (inside the window): concurrent callers still share one refresh.
    let inner = Scripted::new(Duration::from_millis(200), |n| {
        Ok(temporary(&format!("id{n}"), Duration::from_secs(60)))
    });
    let cache = Arc::new(CachingProvider::new(Arc::clone(&inner)));
    cache.provide_credentials().await.unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "id1");
    }
    assert_eq!(inner.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_shares_a_failed_attempt_with_the_callers_waiting_for_it() {
    for not_configured_answer in [false, true] {
        let inner = Scripted::new(Duration::from_millis(200), move |_| {
            if not_configured_answer {
                Err(not_configured("metadata service unreachable"))
            } else {
                Err(CredentialsError::ReadFile {
                    path: "/t".into(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
                })
            }
        });
        let cache = Arc::new(CachingProvider::new(Arc::clone(&inner)));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let cache = Arc::clone(&cache);
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for task in tasks {
            let err = task.await.unwrap().unwrap_err();
            assert_eq!(err.is_not_configured(), not_configured_answer, "{err:?}");
            if !not_configured_answer {
                assert!(
                    matches!(&err, CredentialsError::ReadFile { source, .. } if source.kind() == std::io::ErrorKind::NotFound),
                    "{err:?}"
                );
            }
        }
        assert_eq!(inner.calls(), 1);
        // A later caller tries again.
        cache.provide_credentials().await.unwrap_err();
        assert_eq!(inner.calls(), 2);
    }
}

#[tokio::test]
async fn cache_keeps_valid_credentials_when_a_refresh_fails() {
    let inner = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(temporary("id0", Duration::from_secs(120))),
        _ => Err(failure("STS is down")),
    });
    let cache = CachingProvider::new(Arc::clone(&inner));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );
    // Inside the window: the refresh fails, the old credentials are still valid.
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );
    assert_eq!(inner.calls(), 2);
    // The next attempt waits (10 s by default).
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );
    assert_eq!(inner.calls(), 2);

    let inner = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(temporary("id0", Duration::from_secs(120))),
        _ => Err(failure("STS is down")),
    });
    let cache = CachingProvider::new(Arc::clone(&inner)).with_retry_after_failure(Duration::ZERO);
    for _ in 0..3 {
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "id0"
        );
    }
    assert_eq!(inner.calls(), 3);
}

#[tokio::test]
async fn cache_reports_the_failure_once_the_old_credentials_expired() {
    let inner = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(temporary("id0", Duration::from_millis(800))),
        _ => Err(failure("STS is down")),
    });
    let cache = CachingProvider::new(Arc::clone(&inner)).with_retry_after_failure(Duration::ZERO);
    cache.provide_credentials().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let err = cache.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("STS is down"), "{err}");
}

#[tokio::test]
async fn cache_rejects_expired_credentials_and_passes_not_configured() {
    let expired = Scripted::new(Duration::ZERO, |_| {
        Ok(temporary("old", Duration::ZERO).with_expiration(SystemTime::UNIX_EPOCH))
    });
    let err = CachingProvider::new(Arc::clone(&expired))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("expired at 1970-01-01T00:00:00Z"),
        "{err}"
    );

    // Expired answers after good ones: the good ones are kept while valid.
    let inner = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(temporary("id0", Duration::from_secs(60))),
        _ => Ok(temporary("old", Duration::ZERO).with_expiration(SystemTime::UNIX_EPOCH)),
    });
    let cache = CachingProvider::new(Arc::clone(&inner));
    cache.provide_credentials().await.unwrap();
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "id0"
    );

    let nothing = Scripted::new(Duration::ZERO, |_| Err(not_configured("nothing here")));
    let err = CachingProvider::new(nothing)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
}

#[tokio::test]
async fn cache_keeps_credentials_without_expiration() {
    let inner = Scripted::new(Duration::ZERO, |_| Ok(Credentials::new("static", SECRET)));
    let cache = CachingProvider::new(Arc::clone(&inner));
    cache.provide_credentials().await.unwrap();
    cache.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
    let debug = format!("{cache:?}");
    assert!(debug.contains("without expiration"), "{debug}");
    assert_clean(&debug);
}

// --- OidcRoleArnProvider ---------------------------------------------------------------------

fn sts_ok(id: &'static str, expires_in: i64) -> impl Fn(&Recorded, usize) -> Reply {
    move |_, _| ok(sts_body(id, SECRET, TOKEN, &expiration_in(expires_in)))
}

fn oidc(dir: &TempDir, sts: &FakeServer) -> OidcRoleArnProvider {
    let file = dir.write("rrsa/token", OIDC_TOKEN);
    OidcRoleArnProvider::new(ROLE, PROVIDER_ARN, file)
        .with_sts_endpoint(sts.url())
        .no_proxy()
}

#[tokio::test]
async fn oidc_assumes_the_role_with_the_token_file() {
    let dir = TempDir::new("oidc-ok");
    let sts = FakeServer::start(sts_ok("STS.oidc", 3600)).await;
    let provider = oidc(&dir, &sts)
        .with_role_session_name("scaler-session")
        .with_policy(r#"{"Version":"1"}"#)
        .with_duration_seconds(1800);
    let found = provider.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.oidc");
    assert_eq!(found.access_key_secret(), SECRET);
    assert_eq!(found.security_token(), Some(TOKEN));
    assert_eq!(found.provider_name(), "oidc_role_arn");
    let left = found
        .expiration()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(3500), "{left:?}");

    let requests = sts.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/");
    assert_eq!(
        request.query_param("Action").as_deref(),
        Some("AssumeRoleWithOIDC")
    );
    assert_eq!(request.query_param("Format").as_deref(), Some("JSON"));
    assert_eq!(
        request.query_param("Version").as_deref(),
        Some("2015-04-01")
    );
    let timestamp = request.query_param("Timestamp").unwrap();
    assert!(
        crate::signing::parse_acs_date(&timestamp).is_some(),
        "{timestamp}"
    );
    // The token travels in the body, never in the URL.
    assert!(!request.target.contains("OIDC-TOKEN"), "{}", request.target);
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.form_param("RoleArn").as_deref(), Some(ROLE));
    assert_eq!(
        request.form_param("OIDCProviderArn").as_deref(),
        Some(PROVIDER_ARN)
    );
    assert_eq!(request.form_param("OIDCToken").as_deref(), Some(OIDC_TOKEN));
    assert_eq!(
        request.form_param("RoleSessionName").as_deref(),
        Some("scaler-session")
    );
    assert_eq!(
        request.form_param("DurationSeconds").as_deref(),
        Some("1800")
    );
    assert_eq!(
        request.form_param("Policy").as_deref(),
        Some(r#"{"Version":"1"}"#)
    );
    // Anonymous: no signature, no access key.
    assert!(request.header("authorization").is_none());
    assert!(request.query_param("Signature").is_none());
    assert!(request.query_param("AccessKeyId").is_none());
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("acs-runtime/"))
    );
}

#[tokio::test]
async fn oidc_defaults_and_environment() {
    let provider = OidcRoleArnProvider::new(ROLE, PROVIDER_ARN, "/t");
    assert_eq!(provider.sts_endpoint(), "https://sts.aliyuncs.com");
    assert!(provider.role_session_name().starts_with("acs-rust-"));
    assert_eq!(provider.role_arn(), ROLE);
    assert_eq!(provider.token_file(), std::path::Path::new("/t"));
    // VPC without a region is the central endpoint, as in the SDK.
    let provider = provider.with_vpc_endpoint(true);
    assert_eq!(provider.sts_endpoint(), "https://sts.aliyuncs.com");
    let provider = provider.with_sts_region("cn-beijing");
    assert_eq!(
        provider.sts_endpoint(),
        "https://sts-vpc.cn-beijing.aliyuncs.com"
    );
    let provider = provider.with_vpc_endpoint(false);
    assert_eq!(
        provider.sts_endpoint(),
        "https://sts.cn-beijing.aliyuncs.com"
    );
    let provider = provider.with_sts_endpoint("sts.example.com/");
    assert_eq!(provider.sts_endpoint(), "https://sts.example.com");
    let provider = provider.with_sts_endpoint("http://127.0.0.1:1/");
    assert_eq!(provider.sts_endpoint(), "http://127.0.0.1:1");

    let full = [
        (ROLE_ARN_VAR, ROLE),
        (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
        (OIDC_TOKEN_FILE_VAR, "/var/run/token"),
    ];
    let env = Env::from_pairs(full.iter().copied().chain([
        (ROLE_SESSION_NAME_VAR, "from-env"),
        (STS_REGION_VAR, "cn-shanghai"),
        (VPC_ENDPOINT_ENABLED_VAR, "TRUE"),
    ]));
    let provider = OidcRoleArnProvider::from_env(&env).unwrap();
    assert_eq!(provider.role_session_name(), "from-env");
    assert_eq!(
        provider.sts_endpoint(),
        "https://sts-vpc.cn-shanghai.aliyuncs.com"
    );
    assert_eq!(
        provider.token_file(),
        std::path::Path::new("/var/run/token")
    );

    for missing in 0..3 {
        let vars: Vec<_> = full
            .iter()
            .enumerate()
            .map(|(i, &(k, v))| (k, if i == missing { "" } else { v }))
            .collect();
        assert!(OidcRoleArnProvider::from_env(&Env::from_pairs(vars)).is_none());
    }
}

#[tokio::test]
async fn oidc_rereads_the_token_file_on_each_refresh() {
    let dir = TempDir::new("oidc-refresh");
    // Ten minutes of validity is inside the 15-minute window: every call refreshes.
    let sts = FakeServer::start(sts_ok("STS.oidc", 600)).await;
    let provider = oidc(&dir, &sts).cached();
    provider.provide_credentials().await.unwrap();
    dir.write("rrsa/token", "eyJ.rotated-token.sig\n");
    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 2);
    let tokens: Vec<_> = sts
        .requests()
        .iter()
        .map(|r| r.form_param("OIDCToken").unwrap())
        .collect();
    assert_eq!(tokens, [OIDC_TOKEN, "eyJ.rotated-token.sig"]);

    // An hour of validity is cached.
    let sts = FakeServer::start(sts_ok("STS.oidc", 3600)).await;
    let provider = oidc(&dir, &sts).cached();
    for _ in 0..5 {
        provider.provide_credentials().await.unwrap();
    }
    assert_eq!(sts.hits(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_concurrent_requests_cause_one_sts_call() {
    let dir = TempDir::new("oidc-concurrent");
    let sts = FakeServer::start(|_, _| {
        Reply::Delayed(
            Duration::from_millis(200),
            200,
            sts_body("STS.oidc", SECRET, TOKEN, &expiration_in(3600)),
        )
    })
    .await;
    let provider = Arc::new(oidc(&dir, &sts).cached());
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "STS.oidc");
    }
    assert_eq!(sts.hits(), 1);
}

#[tokio::test]
async fn oidc_failed_refresh_keeps_the_valid_credentials() {
    let dir = TempDir::new("oidc-keep");
    let sts = FakeServer::start(|_, index| match index {
        0 => ok(sts_body("STS.first", SECRET, TOKEN, &expiration_in(600))),
        _ => Reply::Respond(503, r#"{"Code": "ServiceUnavailable"}"#.to_owned()),
    })
    .await;
    let provider = oidc(&dir, &sts).cached();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.first"
    );
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.first"
    );
    assert_eq!(sts.hits(), 2);
}

#[tokio::test]
async fn oidc_sts_errors_are_reported_without_the_token() {
    let dir = TempDir::new("oidc-status");
    let body = format!(
        r#"{{"RequestId": "REQ-42", "Code": "InvalidParameter.OIDCToken", "Message": "The OIDC token {OIDC_TOKEN} has expired."}}"#
    );
    let sts = FakeServer::start(move |_, _| Reply::Respond(400, body.clone())).await;
    let err = oidc(&dir, &sts).provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::HttpStatus { status: 400, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    for expected in [
        "oidc_role_arn",
        "AssumeRoleWithOIDC",
        &sts.url(),
        "HTTP 400",
        "InvalidParameter.OIDCToken",
        "REQ-42",
        "has expired",
    ] {
        assert!(message.contains(expected), "{expected} not in {message}");
    }
    assert_error_clean(&err);

    let sts =
        FakeServer::start(|_, _| Reply::Respond(502, "<html>bad gateway</html>".into())).await;
    let err = oidc(&dir, &sts).provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("not shown"), "{err}");
}

#[tokio::test]
async fn oidc_malformed_answers() {
    let dir = TempDir::new("oidc-malformed");
    let cases: Vec<(String, &str)> = vec![
        (
            format!(r#"{{"Credentials": {{"AccessKeySecret": "{SECRET}" oops"#),
            "not valid JSON",
        ),
        ("[]".to_owned(), "not an object"),
        (
            r#"{"RequestId": "R"}"#.to_owned(),
            "`Credentials` is missing",
        ),
        (
            format!(
                r#"{{"Credentials": {{"AccessKeyId": "a", "AccessKeySecret": "{SECRET}", "Expiration": "2099-01-01T00:00:00Z"}}}}"#
            ),
            "`SecurityToken`",
        ),
        (
            format!(
                r#"{{"Credentials": {{"AccessKeyId": "a", "AccessKeySecret": "{SECRET}", "SecurityToken": "{TOKEN}", "Expiration": "tomorrow"}}}}"#
            ),
            "`Expiration`",
        ),
        (
            format!(
                r#"{{"Credentials": {{"AccessKeyId": 7, "AccessKeySecret": "{SECRET}", "SecurityToken": "{TOKEN}", "Expiration": "2099-01-01T00:00:00Z"}}}}"#
            ),
            "`AccessKeyId`",
        ),
    ];
    for (body, expected) in cases {
        let sts = FakeServer::start(move |_, _| ok(body.clone())).await;
        let err = oidc(&dir, &sts).provide_credentials().await.unwrap_err();
        assert!(
            matches!(err, CredentialsError::InvalidResponse { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(expected), "{expected}: {err}");
        assert_error_clean(&err);
    }

    // Credentials that are already expired are refused by the cache.
    let sts = FakeServer::start(sts_ok("STS.old", -10)).await;
    let err = oidc(&dir, &sts)
        .cached()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("expired at"), "{err}");
}

#[tokio::test]
async fn oidc_timeout() {
    let dir = TempDir::new("oidc-timeout");
    let sts = FakeServer::start(|_, _| Reply::Hang).await;
    let started = Instant::now();
    let err = oidc(&dir, &sts)
        .with_timeouts(SHORT, SHORT)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("timed out") && message.contains("AssumeRoleWithOIDC"),
        "{message}"
    );
    assert_error_clean(&err);

    // Nothing listening: a connection error.
    let err = OidcRoleArnProvider::new(ROLE, PROVIDER_ARN, dir.write("t", OIDC_TOKEN))
        .with_sts_endpoint(closed_url().await)
        .no_proxy()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    assert!(err.to_string().contains("connect"), "{err}");
}

#[tokio::test]
async fn oidc_token_file_problems_and_invalid_settings() {
    let dir = TempDir::new("oidc-file");
    let sts = FakeServer::start(sts_ok("STS.oidc", 3600)).await;
    let missing = dir.path().join("no-such-token");
    let err = OidcRoleArnProvider::new(ROLE, PROVIDER_ARN, &missing)
        .with_sts_endpoint(sts.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::ReadFile { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );

    let empty = dir.write("empty", " \n");
    let err = OidcRoleArnProvider::new(ROLE, PROVIDER_ARN, &empty)
        .with_sts_endpoint(sts.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfig { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("is empty"), "{err}");

    let err = oidc(&dir, &sts)
        .with_duration_seconds(600)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("minimum of 900"), "{err}");
    assert_eq!(sts.hits(), 0);
}

// --- EcsRamRoleProvider ----------------------------------------------------------------------

/// A metadata service: IMDSv2 tokens (unless `v2` is false), role `scaler-role`, and
/// credentials for it; requests with a wrong token are refused.
fn metadata(v2: bool, expires_in: i64) -> impl Fn(&Recorded, usize) -> Reply {
    move |request, _| {
        let token_ok = request
            .header("x-aliyun-ecs-metadata-token")
            .is_none_or(|t| t == METADATA_TOKEN);
        match (request.method.as_str(), request.path()) {
            ("PUT", "/latest/api/token") if v2 => ok(METADATA_TOKEN),
            ("PUT", "/latest/api/token") => Reply::Respond(403, "forbidden".into()),
            _ if !token_ok => Reply::Respond(401, String::new()),
            ("GET", "/latest/meta-data/ram/security-credentials/") => ok("scaler-role"),
            ("GET", "/latest/meta-data/ram/security-credentials/scaler-role") => ok(coded_body(
                "STS.ecs",
                SECRET,
                TOKEN,
                &expiration_in(expires_in),
            )),
            _ => Reply::Respond(404, "not found".into()),
        }
    }
}

fn ecs(server: &FakeServer) -> EcsRamRoleProvider {
    EcsRamRoleProvider::new().with_metadata_endpoint(server.url())
}

#[tokio::test]
async fn ecs_imdsv2_token_then_role_then_credentials() {
    let server = FakeServer::start(metadata(true, 3600)).await;
    let found = ecs(&server).provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.ecs");
    assert_eq!(found.access_key_secret(), SECRET);
    assert_eq!(found.security_token(), Some(TOKEN));
    assert_eq!(found.provider_name(), "ecs_ram_role");
    assert!(found.expiration().is_some());

    let requests = server.requests();
    let summary: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        summary,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/",
            "GET /latest/meta-data/ram/security-credentials/scaler-role",
        ]
    );
    assert_eq!(
        requests[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for request in &requests[1..] {
        assert_eq!(
            request.header("x-aliyun-ecs-metadata-token"),
            Some(METADATA_TOKEN)
        );
    }
}

#[tokio::test]
async fn ecs_falls_back_to_imdsv1_unless_disabled() {
    let server = FakeServer::start(metadata(false, 3600)).await;
    let found = ecs(&server).provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.ecs");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests[1..]
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token").is_none())
    );

    // IMDSv1 disabled: the missing token is an error, and no GET is made.
    let server = FakeServer::start(metadata(false, 3600)).await;
    let err = ecs(&server)
        .with_imds_v1_disabled(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::HttpStatus { status: 403, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(IMDSV1_DISABLED_VAR), "{err}");
    assert_eq!(server.hits(), 1);

    // The same through the environment, even in optional mode (the service is there).
    let env = Env::from_pairs([(IMDSV1_DISABLED_VAR, "true")]);
    let err = EcsRamRoleProvider::from_env(&env)
        .optional(true)
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains(IMDSV1_DISABLED_VAR), "{err}");

    // With IMDSv2 available, disabling v1 changes nothing.
    let server = FakeServer::start(metadata(true, 3600)).await;
    ecs(&server)
        .with_imds_v1_disabled(true)
        .provide_credentials()
        .await
        .unwrap();
}

#[tokio::test]
async fn ecs_role_name_from_the_environment_skips_discovery() {
    let server = FakeServer::start(metadata(true, 3600)).await;
    let env = Env::from_pairs([(ECS_METADATA_VAR, "scaler-role")]);
    let provider = EcsRamRoleProvider::from_env(&env).with_metadata_endpoint(server.url());
    assert_eq!(provider.role_name(), Some("scaler-role"));
    provider.provide_credentials().await.unwrap();
    let paths: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        paths,
        [
            "/latest/api/token",
            "/latest/meta-data/ram/security-credentials/scaler-role"
        ]
    );

    // A role that is not attached.
    let err = ecs(&server)
        .with_role_name("other-role")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::HttpStatus { status: 404, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("`other-role` is not attached"),
        "{err}"
    );

    // Not a role name at all: nothing is asked.
    let before = server.hits();
    let err = ecs(&server)
        .with_role_name("../../etc")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfig { .. }),
        "{err:?}"
    );
    assert_eq!(server.hits(), before + 1);
}

#[tokio::test]
async fn ecs_disabled_makes_no_request() {
    let server = FakeServer::start(metadata(true, 3600)).await;
    let env = Env::from_pairs([(ECS_METADATA_DISABLED_VAR, "true")]);
    let err = EcsRamRoleProvider::from_env(&env)
        .optional(true)
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.to_string().contains(ECS_METADATA_DISABLED_VAR), "{err}");

    let err = EcsRamRoleProvider::from_env(&env)
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfig { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("disabled"), "{err}");
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn ecs_unreachable_or_without_role_is_skipped_only_when_optional() {
    let closed = closed_url().await;
    let provider = EcsRamRoleProvider::new().with_metadata_endpoint(&closed);
    assert_eq!(provider.metadata_endpoint(), closed);
    let err = provider
        .clone()
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&closed) && message.contains("unreachable"),
        "{message}"
    );
    assert!(message.contains(ECS_METADATA_DISABLED_VAR), "{message}");
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    assert!(err.to_string().contains("/latest/api/token"), "{err}");

    // A service that never answers.
    let server = FakeServer::start(|_, _| Reply::Hang).await;
    let started = Instant::now();
    let err = ecs(&server)
        .with_timeouts(SHORT, SHORT)
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    let err = ecs(&server)
        .with_timeouts(SHORT, SHORT)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    // No role attached.
    let server = FakeServer::start(|request, _| match request.method.as_str() {
        "PUT" => ok(METADATA_TOKEN),
        _ => Reply::Respond(404, String::new()),
    })
    .await;
    let err = ecs(&server)
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
    assert!(err.to_string().contains("no RAM role"), "{err}");
    let err = ecs(&server).provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::HttpStatus { status: 404, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn ecs_bad_answers_are_errors() {
    let credentials_path = "/latest/meta-data/ram/security-credentials/r";
    let cases: Vec<(Reply, &str)> = vec![
        (
            ok(format!(
                r#"{{"Code": "Failed", "AccessKeySecret": "{SECRET}"}}"#
            )),
            "`Code` is `Failed`",
        ),
        (
            ok(format!(r#"{{"AccessKeySecret": "{SECRET}"}}"#)),
            "`Code` is missing",
        ),
        (
            ok(format!(
                r#"{{"Code": "Success", "AccessKeySecret": "{SECRET}""#
            )),
            "not valid JSON",
        ),
        (
            ok(format!(
                r#"{{"Code": "Success", "AccessKeyId": "a", "AccessKeySecret": "{SECRET}", "SecurityToken": "{TOKEN}"}}"#
            )),
            "`Expiration`",
        ),
        (
            Reply::Respond(500, format!("internal {SECRET}")),
            "HTTP 500",
        ),
    ];
    for (reply, expected) in cases {
        let reply = std::sync::Mutex::new(Some(reply));
        let server = FakeServer::start(move |request, _| {
            if request.method == "PUT" {
                ok(METADATA_TOKEN)
            } else {
                reply
                    .lock()
                    .unwrap()
                    .take()
                    .unwrap_or(Reply::Respond(599, String::new()))
            }
        })
        .await;
        let err = ecs(&server)
            .with_role_name("r")
            .optional(true)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.is_not_configured(), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(expected), "{expected}: {message}");
        assert!(message.contains(credentials_path), "{message}");
        assert_error_clean(&err);
    }

    // Reachable, then the credentials request hangs: an error even when optional.
    let server = FakeServer::start(|request, _| match request.method.as_str() {
        "PUT" => ok(METADATA_TOKEN),
        _ => Reply::Hang,
    })
    .await;
    let err = ecs(&server)
        .with_role_name("r")
        .with_timeouts(SHORT, SHORT)
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");

    // Something that is not the metadata service answers the role listing.
    let server = FakeServer::start(|request, _| match request.method.as_str() {
        "PUT" => Reply::Respond(405, String::new()),
        _ => ok("<html><body>captive portal</body></html>"),
    })
    .await;
    let err = ecs(&server)
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
    let err = ecs(&server).provide_credentials().await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidResponse { .. }),
        "{err:?}"
    );

    // The role listing fails with a server error: an error even when optional.
    let server = FakeServer::start(|request, _| match request.method.as_str() {
        "PUT" => ok(METADATA_TOKEN),
        _ => Reply::Respond(500, String::new()),
    })
    .await;
    let err = ecs(&server)
        .optional(true)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::HttpStatus { status: 500, .. }),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecs_caching_refresh_and_concurrency() {
    let server = FakeServer::start(metadata(true, 3600)).await;
    let provider = Arc::new(ecs(&server).cached());
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        server.hits(),
        3,
        "one token, one role, one credentials request"
    );

    // Inside the refresh window: each call refreshes.
    let server = FakeServer::start(metadata(true, 300)).await;
    let provider = ecs(&server).with_role_name("scaler-role").cached();
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.hits(), 4);
}

// --- CredentialsUriProvider ------------------------------------------------------------------

#[tokio::test]
async fn credentials_uri_success() {
    let server =
        FakeServer::start(|_, _| ok(coded_body("STS.uri", SECRET, TOKEN, &expiration_in(3600))))
            .await;
    let uri = format!("{}/credentials?key=s3cr3t-query", server.url());
    let provider = CredentialsUriProvider::new(&uri).no_proxy();
    let found = provider.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.uri");
    assert_eq!(found.security_token(), Some(TOKEN));
    assert_eq!(found.provider_name(), "credential_uri");
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/credentials?key=s3cr3t-query");

    let debug = format!("{provider:?}");
    assert!(!debug.contains("s3cr3t-query"), "{debug}");
    assert!(debug.contains("/credentials"), "{debug}");

    let env = Env::from_pairs([(CREDENTIALS_URI_VAR, uri.as_str())]);
    assert!(CredentialsUriProvider::from_env(&env).is_some());
    assert!(
        CredentialsUriProvider::from_env(&Env::from_pairs([(CREDENTIALS_URI_VAR, "")])).is_none()
    );

    // Cached.
    let provider = provider.cached();
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn credentials_uri_errors() {
    let cases: Vec<(Reply, &str)> = vec![
        (
            Reply::Respond(500, r#"{"Code": "Boom", "Message": "down"}"#.into()),
            "HTTP 500",
        ),
        (
            ok(format!(
                r#"{{"Code": "Failed", "AccessKeySecret": "{SECRET}"}}"#
            )),
            "`Code` is `Failed`",
        ),
        (ok(format!("{{ {SECRET}")), "not valid JSON"),
        (
            ok(format!(
                r#"{{"Code": "Success", "AccessKeyId": "a", "SecurityToken": "{TOKEN}", "Expiration": "2099-01-01T00:00:00Z"}}"#
            )),
            "`AccessKeySecret`",
        ),
    ];
    for (reply, expected) in cases {
        let reply = std::sync::Mutex::new(Some(reply));
        let server = FakeServer::start(move |_, _| {
            reply
                .lock()
                .unwrap()
                .take()
                .unwrap_or(Reply::Respond(599, String::new()))
        })
        .await;
        let err = CredentialsUriProvider::new(format!("{}/c?token=hidden-query", server.url()))
            .no_proxy()
            .provide_credentials()
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(message.contains(expected), "{expected}: {message}");
        assert!(message.contains("/c?<query hidden>"), "{message}");
        assert!(!message.contains("hidden-query"), "{message}");
        assert_error_clean(&err);
    }

    let server = FakeServer::start(|_, _| Reply::Hang).await;
    let err = CredentialsUriProvider::new(server.url())
        .with_timeouts(SHORT, SHORT)
        .no_proxy()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");

    for (uri, expected) in [
        ("not a url", "not a valid URL"),
        ("ftp://127.0.0.1/creds", "http:// or https://"),
    ] {
        let err = CredentialsUriProvider::new(uri)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::InvalidConfig { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(expected), "{err}");
    }
}

// --- Profiles with temporary credentials ----------------------------------------------------

#[tokio::test]
async fn cli_profile_oidc_mode() {
    let dir = TempDir::new("cli-oidc");
    let token_file = dir.write("rrsa-token", OIDC_TOKEN);
    let sts = FakeServer::start(sts_ok("STS.cli-oidc", 3600)).await;
    let profile = format!(
        r#"{{"name": "rrsa", "mode": "OIDC", "ram_role_arn": "{ROLE}", "oidc_provider_arn": "{PROVIDER_ARN}", "oidc_token_file": "{}", "role_session_name": "cli-session", "expired_seconds": 1200, "sts_region": "cn-hangzhou", "enable_vpc": true}}"#,
        token_file.display()
    );
    dir.write(".aliyun/config.json", &cli_config("rrsa", &profile));
    let provider = CliProfileProvider::with_env(dir.env(&[])).with_sts_endpoint(sts.url());
    let found = provider.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.cli-oidc");
    assert_eq!(found.provider_name(), "cli_profile/oidc_role_arn");
    // Cached across calls, also by clones.
    provider.provide_credentials().await.unwrap();
    provider.clone().provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 1);
    let request = &sts.requests()[0];
    assert_eq!(request.form_param("OIDCToken").as_deref(), Some(OIDC_TOKEN));
    assert_eq!(
        request.form_param("RoleSessionName").as_deref(),
        Some("cli-session")
    );
    assert_eq!(
        request.form_param("DurationSeconds").as_deref(),
        Some("1200")
    );
    assert_clean(&format!("{provider:?}"));

    // A changed profile builds a new provider (and fetches again).
    dir.write(
        ".aliyun/config.json",
        &cli_config("rrsa", &profile.replace("cli-session", "other-session")),
    );
    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 2);

    // Fields fall back to the environment, as in the SDK.
    dir.write(
        ".aliyun/config.json",
        &cli_config("rrsa", r#"{"name": "rrsa", "mode": "OIDC"}"#),
    );
    let token_path = token_file.display().to_string();
    let provider = CliProfileProvider::with_env(dir.env(&[
        (ROLE_ARN_VAR, ROLE),
        (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
        (OIDC_TOKEN_FILE_VAR, &token_path),
    ]))
    .with_sts_endpoint(sts.url());
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .provider_name(),
        "cli_profile/oidc_role_arn"
    );

    // Missing and not in the environment: the field and the variable are named.
    let err = CliProfileProvider::with_env(dir.env(&[]))
        .with_sts_endpoint(sts.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("`ram_role_arn`") && message.contains(ROLE_ARN_VAR),
        "{message}"
    );
}

#[tokio::test]
async fn cli_profile_ecs_ram_role_mode() {
    let dir = TempDir::new("cli-ecs");
    let server = FakeServer::start(metadata(true, 3600)).await;
    dir.write(
        ".aliyun/config.json",
        &cli_config(
            "ecs",
            r#"{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "scaler-role"}"#,
        ),
    );
    let provider =
        CliProfileProvider::with_env(dir.env_with_ecs(&[])).with_metadata_endpoint(server.url());
    let found = provider.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.ecs");
    assert_eq!(found.provider_name(), "cli_profile/ecs_ram_role");
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.hits(), 2, "token and credentials, once");

    // The metadata service disabled although the profile asks for it: an error.
    let err = CliProfileProvider::with_env(dir.env(&[]))
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfig { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(ECS_METADATA_DISABLED_VAR), "{err}");

    // Unreachable: an error too (not skipped), since the profile asks for it.
    let err = CliProfileProvider::with_env(dir.env_with_ecs(&[]))
        .with_metadata_endpoint(closed_url().await)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
}

#[tokio::test]
async fn ini_oidc_role_arn_and_ecs_ram_role_types() {
    let dir = TempDir::new("ini-temporary");
    let token_file = dir.write("rrsa-token", OIDC_TOKEN);
    let sts = FakeServer::start(sts_ok("STS.ini-oidc", 3600)).await;
    let server = FakeServer::start(metadata(true, 3600)).await;
    dir.write(
        ".alibabacloud/credentials.ini",
        &format!(
            "[default]\ntype = oidc_role_arn\nrole_arn = {ROLE}\noidc_provider_arn = {PROVIDER_ARN}\n\
             oidc_token_file_path = {}\nrole_session_name = ini-session\n\n\
             [ecs]\ntype = ecs_ram_role\nrole_name = scaler-role\n\n\
             [ecs-discover]\ntype = ecs_ram_role\n\n\
             [broken]\ntype = oidc_role_arn\nrole_arn = {ROLE}\n",
            token_file.display()
        ),
    );
    let provider = IniProfileProvider::with_env(dir.env(&[]))
        .with_sts_endpoint(sts.url())
        .with_refresh_ahead(Duration::from_secs(60));
    let found = provider.provide_credentials().await.unwrap();
    assert_eq!(found.access_key_id(), "STS.ini-oidc");
    assert_eq!(found.provider_name(), "profile/oidc_role_arn");
    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 1);
    let request = &sts.requests()[0];
    assert_eq!(
        request.form_param("RoleSessionName").as_deref(),
        Some("ini-session")
    );
    assert_eq!(request.form_param("OIDCToken").as_deref(), Some(OIDC_TOKEN));

    let found = IniProfileProvider::with_env(dir.env_with_ecs(&[(PROFILE_VAR, "ecs")]))
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(found.provider_name(), "profile/ecs_ram_role");
    assert_eq!(server.hits(), 2);

    let found = IniProfileProvider::with_env(dir.env_with_ecs(&[(PROFILE_VAR, "ecs-discover")]))
        .with_metadata_endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(found.access_key_id(), "STS.ecs");
    assert_eq!(server.hits(), 5);

    let err = IniProfileProvider::with_env(dir.env(&[(PROFILE_VAR, "broken")]))
        .with_sts_endpoint(sts.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("`oidc_provider_arn`")
            && err.to_string().contains(OIDC_PROVIDER_ARN_VAR),
        "{err}"
    );
}

// --- The default chain -----------------------------------------------------------------------

struct Fakes {
    sts: FakeServer,
    metadata: FakeServer,
    uri: FakeServer,
}

impl Fakes {
    async fn start() -> Self {
        Self {
            sts: FakeServer::start(sts_ok("STS.oidc", 3600)).await,
            metadata: FakeServer::start(metadata(true, 3600)).await,
            uri: FakeServer::start(|_, _| {
                ok(coded_body("STS.uri", SECRET, TOKEN, &expiration_in(3600)))
            })
            .await,
        }
    }

    fn chain(&self, env: Env) -> DefaultCredentialsChain {
        DefaultCredentialsChain::builder()
            .env(env)
            .sts_endpoint(self.sts.url())
            .metadata_endpoint(self.metadata.url())
            .no_proxy()
            .build()
    }

    fn hits(&self) -> [usize; 3] {
        [self.sts.hits(), self.metadata.hits(), self.uri.hits()]
    }
}

#[tokio::test]
async fn chain_order_env_oidc_cli_ini_ecs_uri() {
    let dir = TempDir::new("chain-full");
    let fakes = Fakes::start().await;
    dir.write(
        ".aliyun/config.json",
        &cli_config("default", &ak_profile("default", "LTAIcli")),
    );
    dir.write(
        ".alibabacloud/credentials.ini",
        &ini_access_key("default", "LTAIini"),
    );
    let token_file = dir.write("rrsa-token", OIDC_TOKEN).display().to_string();
    let uri = format!("{}/creds", fakes.uri.url());
    let env_keys = [
        (ACCESS_KEY_ID_VAR, "LTAIenv"),
        (ACCESS_KEY_SECRET_VAR, SECRET),
    ];
    let oidc_vars = [
        (ROLE_ARN_VAR, ROLE),
        (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
        (OIDC_TOKEN_FILE_VAR, token_file.as_str()),
    ];
    let uri_var = [(CREDENTIALS_URI_VAR, uri.as_str())];

    let find = |vars: Vec<(&str, &str)>| {
        let chain = fakes.chain(dir.env_with_ecs(&vars));
        async move {
            assert_eq!(chain.len(), 6);
            let found = chain.provide_credentials().await;
            (found, chain)
        }
    };

    let mut vars: Vec<(&str, &str)> = [&env_keys[..], &oidc_vars, &uri_var].concat();
    let (found, _) = find(vars.clone()).await;
    let found = found.unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("LTAIenv", "default/env")
    );
    assert_eq!(fakes.hits(), [0, 0, 0]);

    vars.retain(|(k, _)| !env_keys.iter().any(|(e, _)| e == k));
    let (found, chain) = find(vars.clone()).await;
    let found = found.unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("STS.oidc", "default/oidc_role_arn")
    );
    assert_eq!(found.security_token(), Some(TOKEN));
    assert_eq!(chain.last_used(), Some(1));
    // Cached by the chain's caching provider.
    chain.provide_credentials().await.unwrap();
    assert_eq!(fakes.hits(), [1, 0, 0]);

    vars.retain(|(k, _)| !oidc_vars.iter().any(|(e, _)| e == k));
    let (found, _) = find(vars.clone()).await;
    assert_eq!(
        found.unwrap().provider_name(),
        "default/cli_profile/static_ak"
    );

    vars.push((CLI_PROFILE_DISABLED_VAR, "true"));
    let (found, _) = find(vars.clone()).await;
    assert_eq!(found.unwrap().provider_name(), "default/profile/static_ak");
    assert_eq!(fakes.hits(), [1, 0, 0]);

    // A profile neither file has: the ECS RAM role is next.
    vars.push((PROFILE_VAR, "elsewhere"));
    let (found, chain) = find(vars.clone()).await;
    let found = found.unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("STS.ecs", "default/ecs_ram_role")
    );
    chain.provide_credentials().await.unwrap();
    assert_eq!(fakes.hits(), [1, 3, 0]);

    vars.push((ECS_METADATA_DISABLED_VAR, "true"));
    let (found, _) = find(vars.clone()).await;
    let found = found.unwrap();
    assert_eq!(
        (found.access_key_id(), found.provider_name()),
        ("STS.uri", "default/credential_uri")
    );
    assert_eq!(fakes.hits(), [1, 3, 1]);

    vars.retain(|(k, _)| *k != CREDENTIALS_URI_VAR);
    let (found, _) = find(vars.clone()).await;
    let err = found.unwrap_err();
    assert!(
        matches!(err, CredentialsError::NoCredentials { .. }),
        "{err:?}"
    );
    let seen = looked_at(&err);
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert!(seen[3].contains(ROLE_ARN_VAR), "{seen:?}");
    assert!(seen[6].contains(ECS_METADATA_DISABLED_VAR), "{seen:?}");
    assert!(seen[7].contains(CREDENTIALS_URI_VAR), "{seen:?}");
    assert_eq!(fakes.hits(), [1, 3, 1]);
    assert_error_clean(&err);
}

#[tokio::test]
async fn chain_skips_an_unreachable_metadata_service() {
    let dir = TempDir::new("chain-unreachable");
    let uri =
        FakeServer::start(|_, _| ok(coded_body("STS.uri", SECRET, TOKEN, &expiration_in(3600))))
            .await;
    let chain = DefaultCredentialsChain::builder()
        .env(dir.env_with_ecs(&[(CREDENTIALS_URI_VAR, &uri.url())]))
        .metadata_endpoint(closed_url().await)
        .metadata_timeouts(SHORT, SHORT)
        .no_proxy()
        .build();
    let found = chain.provide_credentials().await.unwrap();
    assert_eq!(found.provider_name(), "default/credential_uri");

    // Nothing at all: the unreachable service is listed.
    let closed = closed_url().await;
    let err = DefaultCredentialsChain::builder()
        .env(dir.env_with_ecs(&[]))
        .metadata_endpoint(&closed)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    let seen = looked_at(&err);
    assert!(
        seen[6].contains(&closed) && seen[6].contains("unreachable"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn chain_errors_stop_it() {
    // The OIDC variables name a missing token file: an error, the CLI profile is not used.
    let dir = TempDir::new("chain-oidc-error");
    let fakes = Fakes::start().await;
    dir.write(
        ".aliyun/config.json",
        &cli_config("default", &ak_profile("default", "LTAIcli")),
    );
    let missing = dir.path().join("missing-token").display().to_string();
    let err = fakes
        .chain(dir.env(&[
            (ROLE_ARN_VAR, ROLE),
            (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
            (OIDC_TOKEN_FILE_VAR, &missing),
        ]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::ReadFile { .. }), "{err:?}");
    assert_eq!(fakes.hits(), [0, 0, 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chain_concurrent_first_calls_share_one_refresh() {
    let dir = TempDir::new("chain-concurrent");
    let token_file = dir.write("t", OIDC_TOKEN).display().to_string();
    let sts = FakeServer::start(|_, _| {
        Reply::Delayed(
            Duration::from_millis(200),
            200,
            sts_body("STS.oidc", SECRET, TOKEN, &expiration_in(3600)),
        )
    })
    .await;
    let chain = Arc::new(
        DefaultCredentialsChain::builder()
            .env(dir.env(&[
                (ROLE_ARN_VAR, ROLE),
                (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
                (OIDC_TOKEN_FILE_VAR, &token_file),
            ]))
            .sts_endpoint(sts.url())
            .no_proxy()
            .build(),
    );
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let chain = Arc::clone(&chain);
            tokio::spawn(async move { chain.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap().unwrap().provider_name(),
            "default/oidc_role_arn"
        );
    }
    assert_eq!(sts.hits(), 1);
}

#[tokio::test]
async fn chain_refresh_ahead_setting_reaches_the_providers() {
    let dir = TempDir::new("chain-refresh");
    let token_file = dir.write("t", OIDC_TOKEN).display().to_string();
    // Ten minutes of validity: refreshed on each call with the default window, cached with a
    // five-minute one.
    let sts = FakeServer::start(sts_ok("STS.oidc", 600)).await;
    let env = dir.env(&[
        (ROLE_ARN_VAR, ROLE),
        (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
        (OIDC_TOKEN_FILE_VAR, &token_file),
    ]);
    let chain = DefaultCredentialsChain::builder()
        .env(env.clone())
        .sts_endpoint(sts.url())
        .no_proxy()
        .build();
    chain.provide_credentials().await.unwrap();
    chain.provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 2);
    let chain = DefaultCredentialsChain::builder()
        .env(env)
        .sts_endpoint(sts.url())
        .refresh_ahead(Duration::from_secs(300))
        .no_proxy()
        .build();
    chain.provide_credentials().await.unwrap();
    chain.provide_credentials().await.unwrap();
    assert_eq!(sts.hits(), 3);
}

#[tokio::test]
async fn chain_sticks_to_the_provider_that_succeeded() {
    // `late` has nothing on its first call and credentials afterwards.
    let late = Scripted::new(Duration::ZERO, |n| match n {
        0 => Err(not_configured("late: nothing yet")),
        _ => Ok(Credentials::new("late", SECRET)),
    });
    let steady = Scripted::new(Duration::ZERO, |_| Ok(Credentials::new("steady", SECRET)));
    let chain = DefaultCredentialsChain::empty()
        .with_provider(Arc::clone(&late))
        .with_provider(Arc::clone(&steady));
    assert_eq!(chain.last_used(), None);
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "steady"
    );
    assert_eq!(chain.last_used(), Some(1));
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "steady"
    );
    assert_eq!((late.calls(), steady.calls()), (1, 2));

    // Without reuse, every call starts at the top.
    let late = Scripted::new(Duration::ZERO, |n| match n {
        0 => Err(not_configured("late: nothing yet")),
        _ => Ok(Credentials::new("late", SECRET)),
    });
    let chain = DefaultCredentialsChain::empty()
        .with_provider(Arc::clone(&late))
        .with_provider(Arc::clone(&steady))
        .with_reuse_last_provider(false);
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "steady"
    );
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "late"
    );

    // The provider in use fails: its error is returned, no other identity is tried.
    let failing = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(Credentials::new("first", SECRET)),
        _ => Err(failure("broken now")),
    });
    let fallback = Scripted::new(Duration::ZERO, |_| Ok(Credentials::new("fallback", SECRET)));
    let chain = DefaultCredentialsChain::empty()
        .with_provider(Arc::clone(&failing))
        .with_provider(Arc::clone(&fallback));
    chain.provide_credentials().await.unwrap();
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("broken now"), "{err}");
    assert_eq!(fallback.calls(), 0);

    // The provider in use is no longer configured: the chain starts again from the top.
    let vanishing = Scripted::new(Duration::ZERO, |n| match n {
        0 => Ok(Credentials::new("vanishing", SECRET)),
        _ => Err(not_configured("gone")),
    });
    let first = Scripted::new(Duration::ZERO, |n| match n {
        0 => Err(not_configured("not yet")),
        _ => Ok(Credentials::new("first", SECRET)),
    });
    let chain = DefaultCredentialsChain::empty()
        .with_provider(Arc::clone(&first))
        .with_provider(Arc::clone(&vanishing));
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "vanishing"
    );
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "first"
    );
    assert_eq!(chain.last_used(), Some(0));
}

// --- Debug and Display never show secrets -----------------------------------------------------

#[tokio::test]
async fn debug_of_every_provider_shows_no_secret() {
    let dir = TempDir::new("debug-all");
    let fakes = Fakes::start().await;
    let token_file = dir.write("t", OIDC_TOKEN);
    let token_path = token_file.display().to_string();
    let uri = format!("{}/c?secret={SECRET}", fakes.uri.url());
    let env = dir.env_with_ecs(&[
        (ACCESS_KEY_ID_VAR, "LTAIenv"),
        (ACCESS_KEY_SECRET_VAR, SECRET),
        (SECURITY_TOKEN_VAR, TOKEN),
        (ROLE_ARN_VAR, ROLE),
        (OIDC_PROVIDER_ARN_VAR, PROVIDER_ARN),
        (OIDC_TOKEN_FILE_VAR, &token_path),
        (CREDENTIALS_URI_VAR, &uri),
    ]);

    let oidc = OidcRoleArnProvider::from_env(&env)
        .unwrap()
        .with_sts_endpoint(fakes.sts.url())
        .no_proxy()
        .cached();
    oidc.provide_credentials().await.unwrap();
    let ecs = ecs(&fakes.metadata).cached();
    ecs.provide_credentials().await.unwrap();
    let uri_provider = CredentialsUriProvider::from_env(&env)
        .unwrap()
        .no_proxy()
        .cached();
    uri_provider.provide_credentials().await.unwrap();
    let chain = fakes.chain(env.clone());
    chain.provide_credentials().await.unwrap();

    let debugs = [
        format!("{oidc:?}"),
        format!("{oidc:#?}"),
        format!("{ecs:?}"),
        format!("{uri_provider:?}"),
        format!("{chain:?}"),
        format!("{:?}", CliProfileProvider::with_env(env.clone())),
        format!("{:?}", IniProfileProvider::with_env(env.clone())),
        format!("{:?}", oidc.cached().unwrap()),
        format!("{:?}", DefaultCredentialsChain::builder().env(env)),
    ];
    for debug in &debugs {
        assert_clean(debug);
    }
    assert!(debugs[0].contains("credentials expiring"), "{}", debugs[0]);
    assert!(debugs[0].contains(ROLE), "{}", debugs[0]);
}

#[test]
fn every_error_variant_displays_without_secrets() {
    let errors = [
        CredentialsError::Request {
            provider: "ecs_ram_role".to_owned(),
            endpoint: "PUT http://100.100.100.200/latest/api/token".to_owned(),
            message: "timed out".to_owned(),
        },
        CredentialsError::HttpStatus {
            provider: "oidc_role_arn".to_owned(),
            endpoint: "AssumeRoleWithOIDC at https://sts.aliyuncs.com".to_owned(),
            status: 400,
            message: super::http::error_details(
                format!(r#"{{"Code": "X", "Message": "bad {OIDC_TOKEN}"}}"#).as_bytes(),
                &[OIDC_TOKEN],
            ),
        },
        CredentialsError::InvalidResponse {
            provider: "credential_uri".to_owned(),
            endpoint: "GET http://127.0.0.1/c".to_owned(),
            message: "`AccessKeyId` is missing, empty or not a string".to_owned(),
        },
        CredentialsError::InvalidConfig {
            provider: "oidc_role_arn".to_owned(),
            message: "the OIDC token file /t is empty".to_owned(),
        },
    ];
    for err in errors {
        assert_error_clean(&err);
        assert!(err.to_string().contains(':'), "{err}");
    }
}
