//! Hashing, HMAC, hex and constant-time comparison.

use hmac::digest::Key;
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// HMAC (RFC 2104) keyed with `key`, of any length.
///
/// The key block is derived here exactly as RFC 2104 prescribes (keys longer than the hash's
/// block size are hashed first, shorter ones are zero-padded), so the infallible
/// [`KeyInit::new`] can be used and there is no error path to handle.
fn keyed<D>(key: &[u8]) -> Hmac<D>
where
    D: EagerHash + Digest,
    Hmac<D>: KeyInit,
{
    let mut block = Key::<Hmac<D>>::default();
    if key.len() > block.len() {
        let hashed = D::digest(key);
        block
            .iter_mut()
            .zip(hashed.iter())
            .for_each(|(b, k)| *b = *k);
    } else {
        block.iter_mut().zip(key.iter()).for_each(|(b, k)| *b = *k);
    }
    <Hmac<D> as KeyInit>::new(&block)
}

/// The MAC of `message` from a keyed state (which is left as it was, for the next message).
fn mac<D>(keyed: &Hmac<D>, message: &[u8]) -> hmac::digest::Output<Hmac<D>>
where
    D: EagerHash,
    Hmac<D>: Mac + Clone,
{
    let mut mac = keyed.clone();
    mac.update(message);
    mac.finalize().into_bytes()
}

pub(crate) fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    mac(&keyed::<Sha1>(key), message).into()
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    mac(&keyed::<Sha256>(key), message).into()
}

/// The HMAC states of one signing key for both schemes, keyed once.
///
/// Keying HMAC hashes the padded key into an inner and an outer state (two compression
/// rounds); a MAC then starts from copies of them. Credentials key these when they are made,
/// so that each signature costs only the rounds of its message. The states are derived from
/// the secret, so `Debug` shows nothing of them.
#[derive(Clone)]
pub(crate) struct HmacKeys {
    sha1: Hmac<Sha1>,
    sha256: Hmac<Sha256>,
}

impl HmacKeys {
    pub(crate) fn new(key: &[u8]) -> Self {
        Self {
            sha1: keyed(key),
            sha256: keyed(key),
        }
    }

    /// [`hmac_sha1`] with this key.
    pub(crate) fn sha1(&self, message: &[u8]) -> [u8; 20] {
        mac(&self.sha1, message).into()
    }

    /// [`hmac_sha256`] with this key.
    pub(crate) fn sha256(&self, message: &[u8]) -> [u8; 32] {
        mac(&self.sha256, message).into()
    }
}

impl std::fmt::Debug for HmacKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::REDACTED)
    }
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends lower-case hex of `bytes` to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buffer = [0u8; 128];
    for chunk in bytes.chunks(buffer.len() / 2) {
        for (pair, &byte) in buffer.chunks_exact_mut(2).zip(chunk) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        // Hex digits are ASCII, so this never fails.
        out.push_str(std::str::from_utf8(&buffer[..chunk.len() * 2]).unwrap_or_default());
    }
}

/// Compares two byte strings in time that depends only on their lengths, not on where they
/// differ. Lengths are not secret (signatures have a fixed length).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_test_vectors() {
        // RFC 2202 test case 2 (HMAC-SHA1) and RFC 4231 test case 2 (HMAC-SHA256).
        assert_eq!(
            hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 2202 test case 6 / RFC 4231 test case 6: an 80- and 131-byte key (longer than
        // the block), which must be hashed first.
        assert_eq!(
            hex(&hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // A key of exactly the block size, and the empty key.
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 64], b"x")),
            hex(&{
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[0x0b; 64]).unwrap();
                mac.update(b"x");
                mac.finalize().into_bytes()
            })
        );
        assert_eq!(
            hex(&hmac_sha1(b"", b"")),
            "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d"
        );
    }

    #[test]
    fn keyed_states_give_the_same_macs_every_time() {
        for key in [&b""[..], b"Jefe", &[0xaa; 64], &[0xaa; 131]] {
            let keys = HmacKeys::new(key);
            for message in [&b""[..], b"what do ya want for nothing?", &[7; 300]] {
                // Twice: a MAC must leave the keyed state untouched.
                for _ in 0..2 {
                    assert_eq!(keys.sha1(message), hmac_sha1(key, message));
                    assert_eq!(keys.sha256(message), hmac_sha256(key, message));
                }
            }
        }
        assert_eq!(format!("{:?}", HmacKeys::new(b"Jefe")), crate::REDACTED);
    }

    #[test]
    fn sha256_of_empty_and_braces() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"{}"),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
