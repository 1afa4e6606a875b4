//! Fake credentials with the structure of real ones — valid checksums, decodable key bodies, JWT
//! headers — made at run time, so that tests and pack fixtures can exercise every secret rule
//! without a live-looking token ever being committed. A fixture writes `<<ward:KIND>>` where a
//! secret goes ([`expand`]); each is replaced by a token derived from a seed, so a run is
//! reproducible while the repository holds nothing a scanner would validate.

use sha2::{Digest, Sha256};

use super::validate::crc32_checksum;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const AWS_SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const PASSWORD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%^&*-_+";

/// The kinds [`token`] makes, as fixtures name them.
pub const KINDS: &[&str] = &[
    "github:ghp",
    "github:gho",
    "github:ghu",
    "github:ghs",
    "github:ghr",
    "github-fine-grained",
    "gitlab",
    "slack:xoxb",
    "slack:xoxp",
    "slack-webhook",
    "stripe:sk_live",
    "stripe:rk_live",
    "google-api-key",
    "pem:RSA PRIVATE KEY",
    "pem:EC PRIVATE KEY",
    "pem:PRIVATE KEY",
    "pem-escaped:PRIVATE KEY",
    "openssh",
    "jwt",
    "npm",
    "pypi",
    "azure-storage-key",
    "aws-key-id",
    "aws-secret",
    "password",
];

/// A deterministic stream of bytes from a seed: SHA-256 in counter mode.
struct Stream {
    seed: Vec<u8>,
    counter: u64,
    buffer: Vec<u8>,
}

impl Stream {
    fn new(seed: &str) -> Stream {
        Stream { seed: seed.as_bytes().to_vec(), counter: 0, buffer: Vec::new() }
    }

    fn byte(&mut self) -> u8 {
        if self.buffer.is_empty() {
            let mut hasher = Sha256::new();
            hasher.update(&self.seed);
            hasher.update(self.counter.to_le_bytes());
            self.counter += 1;
            self.buffer = hasher.finalize().to_vec();
        }
        self.buffer.pop().unwrap_or(0)
    }

    fn bytes(&mut self, count: usize) -> Vec<u8> {
        (0..count).map(|_| self.byte()).collect()
    }

    /// `count` characters from `alphabet` (unbiased enough for test data).
    fn pick(&mut self, alphabet: &[u8], count: usize) -> String {
        (0..count)
            .map(|_| {
                let index = usize::from(self.byte()) % alphabet.len().max(1);
                char::from(alphabet.get(index).copied().unwrap_or(b'A'))
            })
            .collect()
    }
}

/// A fake credential of `kind` (one of [`KINDS`]) derived from `seed`; `None` for an unknown
/// kind.
///
/// ```
/// use ward_engine::testing::token;
/// let github = token("github:ghp", "seed").unwrap();
/// assert!(github.starts_with("ghp_") && github.len() == 40);
/// assert_eq!(token("github:ghp", "seed"), Some(github));
/// assert_eq!(token("nonsense", "seed"), None);
/// ```
pub fn token(kind: &str, seed: &str) -> Option<String> {
    let mut stream = Stream::new(&format!("{kind}\0{seed}"));
    let (name, argument) = kind.split_once(':').unwrap_or((kind, ""));
    Some(match name {
        "github" if ["ghp", "gho", "ghu", "ghs", "ghr"].contains(&argument) => checksummed(argument, &mut stream),
        "npm" => checksummed("npm", &mut stream),
        "github-fine-grained" => {
            format!("github_pat_{}_{}", stream.pick(BASE62, 22), stream.pick(BASE62, 59))
        }
        "gitlab" => format!("glpat-{}", stream.pick(BASE64URL, 20)),
        "slack" if ["xoxb", "xoxp", "xoxa", "xoxr", "xoxs"].contains(&argument) => format!(
            "{argument}-{}-{}-{}",
            stream.pick(b"123456789", 12),
            stream.pick(b"123456789", 13),
            stream.pick(BASE62, 24)
        ),
        "slack-webhook" => format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            stream.pick(UPPER_ALNUM, 8),
            stream.pick(UPPER_ALNUM, 10),
            stream.pick(BASE62, 24)
        ),
        "stripe" if ["sk_live", "rk_live"].contains(&argument) => format!("{argument}_{}", stream.pick(BASE62, 32)),
        "google-api-key" => format!("AIza{}", stream.pick(BASE64URL, 35)),
        "pem" if argument.ends_with("PRIVATE KEY") => {
            let body = data_encoding::BASE64.encode(&stream.bytes(640));
            pem(argument, &body)
        }
        // A key pasted into an env file or JSON string, its line breaks written `\n`.
        "pem-escaped" if argument.ends_with("PRIVATE KEY") => {
            let body = data_encoding::BASE64.encode(&stream.bytes(640));
            pem(argument, &body).replace('\n', "\\n")
        }
        "openssh" => {
            let mut body = b"openssh-key-v1\0".to_vec();
            body.extend(stream.bytes(400));
            pem("OPENSSH PRIVATE KEY", &data_encoding::BASE64.encode(&body))
        }
        "jwt" => {
            let header = data_encoding::BASE64URL_NOPAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
            let claims = format!(r#"{{"sub":"{}","iat":1700000000}}"#, stream.pick(BASE62, 12));
            let claims = data_encoding::BASE64URL_NOPAD.encode(claims.as_bytes());
            format!("{header}.{claims}.{}", stream.pick(BASE64URL, 43))
        }
        "pypi" => format!("pypi-AgEIcHlwaS5vcmc{}", stream.pick(BASE64URL, 70)),
        "azure-storage-key" => data_encoding::BASE64.encode(&stream.bytes(64)),
        "aws-key-id" => format!("AKIA{}", stream.pick(BASE32, 16)),
        "aws-secret" => stream.pick(AWS_SECRET, 40),
        // Starting with a letter, as a password in a config file usually does.
        "password" => format!("{}{}", stream.pick(BASE62.get(10..).unwrap_or(BASE62), 1), stream.pick(PASSWORD, 19)),
        _ => return None,
    })
}

/// `prefix_`, 30 base62 characters and their CRC32 checksum: GitHub's and npm's shape.
fn checksummed(prefix: &str, stream: &mut Stream) -> String {
    let body = stream.pick(BASE62, 30);
    format!("{prefix}_{body}{}", crc32_checksum(&body))
}

fn pem(label: &str, body: &str) -> String {
    let mut text = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        text.push_str(&String::from_utf8_lossy(chunk));
        text.push('\n');
    }
    text.push_str(&format!("-----END {label}-----"));
    text
}

/// Replaces every `<<ward:KIND>>` in `text` with a fresh token of that kind, the n-th
/// placeholder seeded with `seed` and n. An unknown kind is an error naming it.
///
/// ```
/// use ward_engine::testing::expand;
/// let text = expand("TOKEN=<<ward:npm>>\n", "fixture").unwrap();
/// assert!(text.starts_with("TOKEN=npm_") && text.len() == "TOKEN=\n".len() + 40);
/// assert!(expand("<<ward:nope>>", "fixture").unwrap_err().to_string().contains("nope"));
/// ```
pub fn expand(text: &str, seed: &str) -> Result<String, ExpandError> {
    const OPEN: &str = "<<ward:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut index = 0;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + OPEN.len()..).unwrap_or("");
        let Some(close) = after.find(">>") else {
            return Err(ExpandError::Unclosed);
        };
        let kind = after.get(..close).unwrap_or("");
        let value =
            token(kind, &format!("{seed}\0{index}")).ok_or_else(|| ExpandError::UnknownKind(kind.to_owned()))?;
        out.push_str(&value);
        index += 1;
        rest = after.get(close + 2..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// A placeholder [`expand`] cannot fill.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// A `<<ward:` without its closing `>>`.
    #[error("`<<ward:` without its closing `>>`")]
    Unclosed,
    /// A kind [`token`] does not make.
    #[error("unknown token kind `{0}`; the kinds are {kinds}", kinds = KINDS.join(", "))]
    UnknownKind(String),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::secrets::validate::{validate, Validator};

    #[test]
    fn every_kind_is_made_and_passes_its_validator() {
        let checks = [
            ("github:ghs", Some(Validator::Crc32Base62)),
            ("npm", Some(Validator::Crc32Base62)),
            ("pem:RSA PRIVATE KEY", Some(Validator::PemPrivateKey)),
            ("openssh", Some(Validator::OpenSshPrivateKey)),
            ("jwt", Some(Validator::Jwt)),
            ("azure-storage-key", Some(Validator::AzureStorageKey)),
        ];
        for kind in KINDS {
            let made = token(kind, "s").unwrap();
            assert!(made.len() >= 20, "{kind}: {made}");
            assert_ne!(token(kind, "s"), token(kind, "t"), "{kind}");
        }
        for (kind, validator) in checks {
            let made = token(kind, "s").unwrap();
            if let Some(validator) = validator {
                assert!(validate(validator, &made).is_ok(), "{kind}: {made}");
            }
        }
    }

    /// The checksum assertion of [`token`]'s documentation, which cannot reach the validators.
    #[test]
    fn a_github_token_carries_a_valid_checksum() {
        let github = token("github:ghp", "seed").unwrap();
        assert!(github.starts_with("ghp_") && github.len() == 40);
        assert!(validate(Validator::Crc32Base62, &github).is_ok());
    }
}
