//! Signature nonces: 16 bytes from the operating system's random number generator, as 32
//! lower-case hex digits.
//!
//! The service only requires nonces to be unique; drawing them from the operating system makes
//! them unpredictable as well. Asking the kernel for 16 bytes is one system call, which costs
//! about as much as the signature's HMAC, so each thread takes [`POOL_BYTES`] at once and hands
//! them out 16 at a time.
//!
//! A forked child starts with a copy of its parent's pools and would repeat the parent's next
//! nonces, which the service rejects as replays. On Unix a fork handler therefore advances a
//! generation counter, and a pool refills before its next nonce when the generation moved.

use std::cell::RefCell;

use super::crypto;

/// How many random bytes a thread takes from the operating system at once (16 nonces).
const POOL_BYTES: usize = 256;
const NONCE_BYTES: usize = 16;

/// A fresh `x-acs-signature-nonce`: 32 lower-case hex digits from the operating system's
/// random number generator.
///
/// If the operating system cannot supply randomness, the nonce falls back to a hash of the
/// time, the process id and a process-wide counter, which is still unique.
pub fn new_nonce() -> String {
    crypto::hex(&nonce_bytes())
}

fn nonce_bytes() -> [u8; NONCE_BYTES] {
    thread_local! {
        static POOL: RefCell<Pool> = const { RefCell::new(Pool::empty()) };
    }
    let generation = fork::generation();
    POOL.try_with(|pool| {
        pool.borrow_mut()
            .take(generation, |bytes| getrandom::fill(bytes).is_ok())
    })
    .ok()
    .flatten()
    // The thread is being torn down, or the pool could not be filled: one draw of its own.
    .or_else(|| {
        let mut bytes = [0; NONCE_BYTES];
        getrandom::fill(&mut bytes).ok().map(|()| bytes)
    })
    .unwrap_or_else(fallback_nonce_bytes)
}

/// Random bytes taken from the operating system in bulk, handed out once each.
struct Pool {
    bytes: [u8; POOL_BYTES],
    /// Where the next nonce starts; `POOL_BYTES` when the pool is used up.
    next: usize,
    /// The fork generation the bytes were drawn in.
    generation: u64,
}

impl Pool {
    const fn empty() -> Self {
        Self {
            bytes: [0; POOL_BYTES],
            next: POOL_BYTES,
            generation: 0,
        }
    }

    /// The next nonce's bytes. The pool refills through `refill` when it is used up or was
    /// drawn in another fork generation; `None` when `refill` fails (the pool stays empty).
    fn take(
        &mut self,
        generation: u64,
        refill: impl FnOnce(&mut [u8]) -> bool,
    ) -> Option<[u8; NONCE_BYTES]> {
        if self.next + NONCE_BYTES > POOL_BYTES || self.generation != generation {
            self.next = POOL_BYTES;
            if !refill(&mut self.bytes) {
                return None;
            }
            self.next = 0;
            self.generation = generation;
        }
        let mut nonce = [0; NONCE_BYTES];
        nonce.copy_from_slice(&self.bytes[self.next..self.next + NONCE_BYTES]);
        self.next += NONCE_BYTES;
        Some(nonce)
    }
}

/// The process's fork generation: how many times this process is a fork's child.
#[cfg(unix)]
mod fork {
    use std::sync::Once;
    use std::sync::atomic::{AtomicU64, Ordering};

    static GENERATION: AtomicU64 = AtomicU64::new(0);

    extern "C" fn in_child() {
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn generation() -> u64 {
        static REGISTERED: Once = Once::new();
        REGISTERED.call_once(|| {
            // SAFETY: the handler only increments an atomic, which is async-signal-safe, as a
            // handler that runs in a forked child must be. Registration fails only without
            // memory; nonces then stay unique except in a fork's child, as before pooling.
            let _ = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
        });
        GENERATION.load(Ordering::Relaxed)
    }
}

/// Without `fork` there is only one generation.
#[cfg(not(unix))]
mod fork {
    pub(super) fn generation() -> u64 {
        0
    }
}

fn fallback_nonce_bytes() -> [u8; NONCE_BYTES] {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicU64 = AtomicU64::new(0);

    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let digest = hasher.finalize();
    let mut out = [0; NONCE_BYTES];
    out.copy_from_slice(&digest[..NONCE_BYTES]);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// A refill that numbers its bytes, so that every byte handed out is identifiable.
    fn counting_refill(calls: &mut u8) -> impl FnOnce(&mut [u8]) -> bool + '_ {
        move |bytes: &mut [u8]| {
            *calls += 1;
            let base = usize::from(*calls) * POOL_BYTES;
            bytes
                .iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = ((base + i) % 251) as u8);
            true
        }
    }

    #[test]
    fn a_pool_hands_out_each_byte_once_and_refills_when_used_up() {
        let mut pool = Pool::empty();
        let mut calls = 0;
        let mut seen = Vec::new();
        for _ in 0..POOL_BYTES / NONCE_BYTES * 2 + 1 {
            seen.push(pool.take(0, counting_refill(&mut calls)).unwrap());
        }
        // Two full pools and the first nonce of a third.
        assert_eq!(calls, 3);
        let distinct: HashSet<_> = seen.iter().collect();
        assert_eq!(distinct.len(), seen.len());
        assert_eq!(seen[1][0], seen[0][NONCE_BYTES - 1].wrapping_add(1));
    }

    #[test]
    fn a_new_fork_generation_refills_a_pool_that_is_not_used_up() {
        let mut pool = Pool::empty();
        let mut calls = 0;
        let first = pool.take(0, counting_refill(&mut calls)).unwrap();
        let after_fork = pool.take(1, counting_refill(&mut calls)).unwrap();
        assert_eq!(calls, 2);
        assert_ne!(first, after_fork);
        pool.take(1, counting_refill(&mut calls)).unwrap();
        assert_eq!(calls, 2);
    }

    #[test]
    fn a_failed_refill_hands_out_nothing_and_the_next_call_tries_again() {
        let mut pool = Pool::empty();
        assert_eq!(pool.take(0, |_| false), None);
        let mut calls = 0;
        assert!(pool.take(0, counting_refill(&mut calls)).is_some());
        assert_eq!(calls, 1);
        // A failure part-way leaves no stale bytes to hand out.
        assert_eq!(pool.take(1, |_| false), None);
        assert_eq!(pool.take(1, |_| false), None);
    }

    #[test]
    fn nonces_are_distinct_across_refills_and_threads() {
        let draws = POOL_BYTES / NONCE_BYTES * 4;
        let mut all: Vec<String> = (0..draws).map(|_| new_nonce()).collect();
        let other = std::thread::spawn(move || (0..draws).map(|_| new_nonce()).collect::<Vec<_>>());
        all.extend(other.join().unwrap());
        let distinct: HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        for nonce in &all {
            assert_eq!(nonce.len(), 32);
            assert!(
                nonce
                    .bytes()
                    .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_forked_child_does_not_repeat_its_parents_next_nonce() {
        // Fill this thread's pool, then fork: the child's pool is a copy of it.
        let _ = nonce_bytes();
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors `pipe` writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the child only takes a nonce (thread-local access and `getrandom`, no
        // allocation or lock), writes it to the pipe and exits without unwinding.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let nonce = nonce_bytes();
            // SAFETY: writes 16 bytes from a live buffer, then ends the child at once.
            unsafe {
                libc::write(fds[1], nonce.as_ptr().cast(), nonce.len());
                libc::_exit(0);
            }
        }
        let parent = nonce_bytes();
        let mut child = [0u8; NONCE_BYTES];
        // SAFETY: reads at most 16 bytes into a 16-byte buffer; `waitpid` reaps the child.
        let read = unsafe {
            let read = libc::read(fds[0], child.as_mut_ptr().cast(), child.len());
            libc::waitpid(pid, std::ptr::null_mut(), 0);
            libc::close(fds[0]);
            libc::close(fds[1]);
            read
        };
        assert_eq!(read, NONCE_BYTES as isize);
        assert_ne!(parent, child, "the child repeated its parent's next nonce");
    }

    #[test]
    fn the_fallback_is_unique_too() {
        let a = fallback_nonce_bytes();
        assert_ne!(a, fallback_nonce_bytes());
    }
}
