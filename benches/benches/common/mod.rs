//! What every criterion benchmark of this crate shares.

use std::time::Duration;

use criterion::Criterion;

/// 1 s of warm-up and 3 s of measurement per routine (BENCHMARKS.md quotes these).
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}
