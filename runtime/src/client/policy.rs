//! Retry and timeout settings, and the decision whether an attempt may be repeated.

use std::time::Duration;

/// When and how often a failed attempt is repeated.
///
/// The default makes up to 3 attempts with exponential backoff and full jitter (100 ms,
/// doubling, at most 20 s), honouring the service's `x-acs-retry-after`.
///
/// Which failures are retried never depends on configuration alone:
/// - throttling (HTTP 429, a `Throttling*` code, or a retry-after header) and connection
///   failures before anything was sent are retried for every operation;
/// - 5xx answers and failures in transit (timeouts, resets after sending) are retried only
///   for idempotent operations. For the others the request may already have taken effect, so
///   the call ends with [`Error::OutcomeUnknown`](super::Error::OutcomeUnknown) or the
///   service error instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (1 turns retries off).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles on each further retry.
    pub initial_backoff: Duration,
    /// The longest backoff, and the longest `x-acs-retry-after` honoured.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `next` (2 for the first retry): the service's retry-after if it
    /// gave one (capped), else exponential backoff with full jitter.
    pub fn backoff(&self, next: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_backoff);
        }
        let exponent = next.saturating_sub(2).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// Timeouts of a call. Defaults: connect 5 s and read 10 s (as the official SDK), 30 s per
/// attempt, 60 s for the whole call including retries and backoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP and TLS).
    pub connect: Duration,
    /// Between two reads of the answer.
    pub read: Duration,
    /// One attempt, from sending to the end of the answer.
    pub attempt: Duration,
    /// The whole call.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    // Jitter only spreads retries out; a failed random source falls back to no jitter.
    if getrandom::fill(&mut bytes).is_err() {
        return u64::MAX;
    }
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let policy = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        for next in 2..10 {
            let ceiling =
                Duration::from_millis(100 * (1 << (next - 2))).min(Duration::from_secs(1));
            assert!(policy.backoff(next, None) <= ceiling);
        }
        assert_eq!(
            policy.backoff(2, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.backoff(2, Some(Duration::from_secs(120))),
            Duration::from_secs(1)
        );
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    }
}
