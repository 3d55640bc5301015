//! Caching and single-flight refresh of temporary credentials.

use std::fmt;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// How long before they expire cached credentials are refreshed by default: 15 minutes, as in
/// the official SDK.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(15 * 60);

/// After a failed refresh, how long the still-valid cached credentials are used before the
/// next attempt, by default (the SDK waits at least 10 s too).
pub const DEFAULT_RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// How long credentials without an expiration are cached (the SDK's one hour).
const NO_EXPIRATION_TTL: Duration = Duration::from_secs(60 * 60);

/// Caches the credentials of another provider and refreshes them before they expire.
///
/// * Credentials are returned from the cache until `refresh_ahead` (default
///   [`DEFAULT_REFRESH_AHEAD`], 15 minutes) before their [`expiration`](Credentials::expiration);
///   credentials without an expiration are kept for an hour.
/// * Refreshes are single-flight: callers that find the cache stale queue behind one refresh
///   and all receive its result, so concurrent requests cause one call of the inner provider,
///   not one each. A caller that queued behind a refresh accepts its result even when it is
///   already inside the refresh-ahead window (it is still valid).
/// * A failed refresh while the cached credentials are still valid keeps them: a warning is
///   logged (the error's message, which never holds a secret) and the next attempt is made
///   after `retry_after_failure` (default [`DEFAULT_RETRY_AFTER_FAILURE`]) or at expiry,
///   whichever comes first. Without valid cached credentials the error is returned.
/// * Credentials the inner provider returns already expired count as a failed refresh.
/// * [`CredentialsError::NotConfigured`] from the inner provider is passed through when
///   nothing valid is cached, so a chain can skip the provider.
///
/// ```
/// use std::time::Duration;
/// use acs_runtime::credentials::{CachingProvider, EcsRamRoleProvider};
///
/// let provider = CachingProvider::new(EcsRamRoleProvider::new())
///     .with_refresh_ahead(Duration::from_secs(5 * 60));
/// assert_eq!(provider.refresh_ahead(), Duration::from_secs(300));
/// ```
pub struct CachingProvider<P> {
    inner: P,
    refresh_ahead: Duration,
    retry_after_failure: Duration,
    state: RwLock<State>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    entry: Option<Entry>,
    /// Incremented after every refresh attempt (and by `invalidate`), so that a caller that
    /// waited for the refresh lock can tell that someone else tried meanwhile.
    generation: u64,
    /// The error of the latest attempt, if it failed without valid cached credentials: the
    /// callers that queued behind that attempt get it too, instead of each trying again.
    last_error: Option<CredentialsError>,
}

#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    refresh_at: SystemTime,
}

fn is_valid(credentials: &Credentials, now: SystemTime) -> bool {
    credentials
        .expiration()
        .is_none_or(|expiration| now < expiration)
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches `inner`'s credentials, refreshing them 15 minutes before they expire.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            retry_after_failure: DEFAULT_RETRY_AFTER_FAILURE,
            state: RwLock::new(State::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes this long before the credentials expire (default 15 minutes). Credentials
    /// that expire sooner than that after they are fetched are refreshed on every request
    /// (concurrent requests still share one refresh).
    #[must_use]
    pub fn with_refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// After a failed refresh, keeps using the still-valid cached credentials this long before
    /// trying again (default 10 s).
    #[must_use]
    pub fn with_retry_after_failure(mut self, retry_after_failure: Duration) -> Self {
        self.retry_after_failure = retry_after_failure;
        self
    }

    /// How long before expiry credentials are refreshed.
    pub fn refresh_ahead(&self) -> Duration {
        self.refresh_ahead
    }

    /// The wrapped provider.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// The cached credentials, if any (possibly stale or expired).
    pub fn cached(&self) -> Option<Credentials> {
        self.read(|state| state.entry.as_ref().map(|e| e.credentials.clone()))
    }

    /// Drops the cached credentials: the next request fetches new ones (e.g. after the
    /// service rejected the cached token).
    pub fn invalidate(&self) {
        self.write(|state| {
            state.entry = None;
            state.last_error = None;
            state.generation += 1;
        });
    }

    fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.write().unwrap_or_else(PoisonError::into_inner))
    }

    fn store(&self, entry: Entry) {
        self.write(|state| {
            state.entry = Some(entry);
            state.last_error = None;
            state.generation += 1;
        });
    }

    fn store_error(&self, err: &CredentialsError) {
        self.write(|state| {
            state.last_error = Some(err.duplicate());
            state.generation += 1;
        });
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = SystemTime::now();
        let seen = self.read(|state| match &state.entry {
            Some(entry) if now < entry.refresh_at && is_valid(&entry.credentials, now) => {
                Err(entry.credentials.clone())
            }
            _ => Ok(state.generation),
        });
        let seen_generation = match seen {
            Ok(generation) => generation,
            Err(fresh) => return Ok(fresh),
        };

        let _refreshing = self.refresh.lock().await;
        let now = SystemTime::now();
        let (current, changed, shared_error) = self.read(|state| {
            let changed = state.generation != seen_generation;
            (
                state.entry.clone(),
                changed,
                state
                    .last_error
                    .as_ref()
                    .filter(|_| changed)
                    .map(CredentialsError::duplicate),
            )
        });
        if let Some(entry) = &current
            && is_valid(&entry.credentials, now)
            && (changed || now < entry.refresh_at)
        {
            // Refreshed by the caller we queued behind (or still fresh).
            return Ok(entry.credentials.clone());
        }
        if let Some(err) = shared_error {
            // The attempt we queued behind failed just now: share its outcome.
            return Err(err);
        }

        let outcome = match self.inner.provide_credentials().await {
            Ok(credentials) if is_valid(&credentials, SystemTime::now()) => Ok(credentials),
            Ok(credentials) => Err(CredentialsError::Provider {
                provider: credentials.provider_name().to_owned(),
                message: format!(
                    "returned credentials that expired at {}",
                    credentials
                        .expiration()
                        .map(crate::signing::format_acs_date)
                        .unwrap_or_default()
                ),
                source: None,
            }),
            Err(err) => Err(err),
        };
        let now = SystemTime::now();
        match outcome {
            Ok(credentials) => {
                let refresh_at = match credentials.expiration() {
                    Some(expiration) => expiration
                        .checked_sub(self.refresh_ahead)
                        .unwrap_or(SystemTime::UNIX_EPOCH),
                    None => now + NO_EXPIRATION_TTL,
                };
                tracing::debug!(
                    provider = credentials.provider_name(),
                    expires = ?credentials.expiration().map(crate::signing::format_acs_date),
                    "fetched temporary credentials"
                );
                self.store(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(err) => match current {
                Some(entry) if is_valid(&entry.credentials, now) => {
                    let retry_at = now + self.retry_after_failure;
                    let refresh_at = entry
                        .credentials
                        .expiration()
                        .map_or(retry_at, |expiration| expiration.min(retry_at));
                    tracing::warn!(
                        provider = entry.credentials.provider_name(),
                        error = %err,
                        expires = ?entry.credentials.expiration().map(crate::signing::format_acs_date),
                        "refreshing temporary credentials failed; using the cached ones until they expire"
                    );
                    let credentials = entry.credentials.clone();
                    self.store(Entry {
                        credentials: entry.credentials,
                        refresh_at,
                    });
                    Ok(credentials)
                }
                _ => {
                    self.store_error(&err);
                    Err(err)
                }
            },
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachingProvider<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }
}

impl<P: fmt::Debug> fmt::Debug for CachingProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .state
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .entry
            .as_ref()
            .map(|entry| {
                entry
                    .credentials
                    .expiration()
                    .map(crate::signing::format_acs_date)
            });
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("retry_after_failure", &self.retry_after_failure)
            .field(
                "cached",
                &match cached {
                    None => "nothing".to_owned(),
                    Some(None) => "credentials without expiration".to_owned(),
                    Some(Some(expires)) => format!("credentials expiring {expires}"),
                },
            )
            .finish()
    }
}
