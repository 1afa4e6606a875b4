//! How a detected secret appears in any output: never whole. A finding shows a few leading
//! characters — enough to recognise which credential it is (`ghp_`, `AKIA`) — and the length;
//! baselines and fingerprints use a hash.

use sha2::{Digest, Sha256};

/// How many leading characters are shown, at most; never more than a quarter of the secret.
const SHOWN: usize = 4;

/// `secret` as outputs show it: its first characters, an ellipsis and its length.
///
/// ```
/// use ward_engine::secrets::redact::redact;
/// assert_eq!(redact("hunter2-but-much-longer"), "hunt… (23 characters)");
/// assert_eq!(redact("abc"), "… (3 characters)");
/// ```
pub fn redact(secret: &str) -> String {
    let length = secret.chars().count();
    let shown: String = secret.chars().take(SHOWN.min(length / 4)).collect();
    format!("{shown}… ({length} characters)")
}

/// A stable identity for `secret` that reveals nothing usable: the first 16 bytes of its
/// SHA-256, in hex. Baselines of secret findings are keyed by it.
///
/// ```
/// use ward_engine::secrets::redact::secret_hash;
/// assert_eq!(secret_hash("a").len(), 32);
/// assert_ne!(secret_hash("a"), secret_hash("b"));
/// ```
pub fn secret_hash(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(Sha256::digest(secret.as_bytes()).get(..16).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redacted_secret_never_contains_more_than_a_quarter_of_it() {
        for length in 0..80 {
            let secret: String = (0..length).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let shown = redact(&secret);
            let visible = shown.split('…').next().unwrap_or_default();
            assert!(visible.chars().count() * 4 <= length.max(1), "{shown}");
            if length >= 8 {
                assert!(!shown.contains(&secret[..length / 2]), "{shown}");
            }
        }
        assert_eq!(redact("ghp_é€aaaaaaaaaaaaaaa"), "ghp_… (21 characters)");
    }
}
