//! Running independent jobs on every core, with results in a fixed order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads to use: one per core (one when that cannot be found out).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `f` applied to every job, on up to `threads` scoped threads that each take the next
/// unclaimed job; the results come back in the order of `jobs`, whatever the number of
/// threads. A panic in `f` is resumed on the calling thread.
pub fn map<J: Sync, T: Send>(jobs: &[J], threads: usize, f: impl Fn(&J) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        return jobs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        done.push((i, f(job)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, result) in done {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_jobs() {
        let jobs: Vec<u32> = (0..1000).collect();
        let expected: Vec<u32> = jobs.iter().map(|j| j * 3).collect();
        for threads in [0, 1, 2, 7, 2000] {
            assert_eq!(
                map(&jobs, threads, |j| j * 3),
                expected,
                "{threads} threads"
            );
        }
        assert!(map(&[] as &[u32], 4, |j| *j).is_empty());
    }
}
