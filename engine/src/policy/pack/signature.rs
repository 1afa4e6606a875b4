//! Pack signatures: ed25519 over a pack's digest (DESIGN §4), so that a pack — a directory or an
//! archive — can be checked against the keys a project trusts. This module owns the key files,
//! key generation, the signature file and its verification. The formats are small text files,
//! one value a line, so they can be read, diffed and committed:
//!
//! - a public key: `ward-ed25519-public:<64 hex digits>`;
//! - a secret key: `ward-ed25519-secret:<64 hex digits>` (the 32-byte seed);
//! - a signature (`<pack>.sig`, see [`signature_path`]):
//!
//!   ```text
//!   ward-ed25519-signature
//!   key: ed25519:<16 hex digits>
//!   digest: sha256:<64 hex digits>
//!   signature: <128 hex digits>
//!   ```
//!
//!   where `signature` is ed25519 over the ASCII text of `digest` ([`Pack::digest`]), and `key`
//!   is the signer's key id ([`PublicKey::id`]).
//!
//! A secret key never appears in an error, a `Debug` rendering or anything else this module
//! prints: only its key id does.

use std::fmt;
use std::path::{Path, PathBuf};

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

use super::Pack;
use crate::diagnostic::Diagnostic;
use crate::document::Position;

/// How a public key file starts.
pub(crate) const PUBLIC_PREFIX: &str = "ward-ed25519-public:";
/// How a secret key file starts.
pub(crate) const SECRET_PREFIX: &str = "ward-ed25519-secret:";
/// The first line of a signature file.
pub(crate) const SIGNATURE_HEADER: &str = "ward-ed25519-signature";
/// What a signature file's name adds to its pack's.
pub(crate) const SIGNATURE_EXTENSION: &str = ".sig";

/// A key file (or a key's text) that cannot be used; never holds the key's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(String);

/// A public key: what a project trusts, and what verifies a signature.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
}

impl PublicKey {
    /// Reads a public key's text (`ward-ed25519-public:<hex>`, surrounding whitespace allowed).
    ///
    /// ```
    /// use ward_engine::{generate_pack_keys, PackPublicKey};
    /// let (secret, public) = generate_pack_keys().unwrap();
    /// assert_eq!(PackPublicKey::parse(&public.to_string()).unwrap(), public);
    /// assert!(PackPublicKey::parse("ward-ed25519-public:00").is_err());
    /// assert!(PackPublicKey::parse(&secret.to_secret_text()).unwrap_err().to_string().contains("secret key"));
    /// ```
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        if text.starts_with(SECRET_PREFIX) {
            return Err(KeyError("this is a secret key; trust its public key (the `.pub` file) instead".into()));
        }
        let bytes = text.strip_prefix(PUBLIC_PREFIX).and_then(unhex::<32>).ok_or_else(|| {
            KeyError(format!("not a ward public key: expected one line `{PUBLIC_PREFIX}<64 hex digits>`"))
        })?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| KeyError("not a ward public key: not a point of the ed25519 curve".into()))?;
        Ok(PublicKey { key })
    }

    /// Reads the public key file at `path`; `shown` names it in errors.
    pub fn read(path: &Path, shown: &str) -> Result<PublicKey, Diagnostic> {
        read_key_file(path, shown, PublicKey::parse, true)
    }

    /// The key's short name, `ed25519:` and the first 8 bytes of the SHA-256 of the key, in hex:
    /// what signatures and messages name it by.
    pub fn id(&self) -> String {
        let hash = Sha256::digest(self.key.as_bytes());
        format!("ed25519:{}", HEXLOWER.encode(hash.get(..8).unwrap_or_default()))
    }
}

/// The key file's text, one line: `ward-ed25519-public:<hex>`.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PUBLIC_PREFIX}{}", HEXLOWER.encode(self.key.as_bytes()))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicKey").field(&self.id()).finish()
    }
}

/// A secret key: what signs. Its bytes are wiped when it is dropped; nothing but
/// [`SecretKey::to_secret_text`] shows them.
pub struct SecretKey {
    key: SigningKey,
}

impl SecretKey {
    /// Reads a secret key's text (`ward-ed25519-secret:<hex>`). The error never quotes the text.
    ///
    /// ```
    /// use ward_engine::{generate_pack_keys, PackSecretKey};
    /// let (secret, public) = generate_pack_keys().unwrap();
    /// assert_eq!(PackSecretKey::parse(&secret.to_secret_text()).unwrap().public(), public);
    /// let error = PackSecretKey::parse("ward-ed25519-secret:12345").unwrap_err();
    /// assert!(!error.to_string().contains("12345"));
    /// ```
    pub fn parse(text: &str) -> Result<SecretKey, KeyError> {
        let text = text.trim();
        if text.starts_with(PUBLIC_PREFIX) {
            return Err(KeyError("this is a public key; signing needs the secret key (the `.key` file)".into()));
        }
        let seed = text.strip_prefix(SECRET_PREFIX).and_then(unhex::<32>).ok_or_else(|| {
            KeyError(format!("not a ward secret key: expected one line `{SECRET_PREFIX}<64 hex digits>`"))
        })?;
        Ok(SecretKey { key: SigningKey::from_bytes(&seed) })
    }

    /// Reads the secret key file at `path`; `shown` names it in errors.
    pub fn read(path: &Path, shown: &str) -> Result<SecretKey, Diagnostic> {
        read_key_file(path, shown, SecretKey::parse, false)
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey { key: self.key.verifying_key() }
    }

    /// The key id of the public half ([`PublicKey::id`]).
    pub fn id(&self) -> String {
        self.public().id()
    }

    /// The key file's text, `ward-ed25519-secret:<hex>` and a newline: the one way the secret
    /// leaves this type, for writing the key file.
    pub fn to_secret_text(&self) -> String {
        format!("{SECRET_PREFIX}{}\n", HEXLOWER.encode(self.key.as_bytes()))
    }
}

/// Shows the key id only.
impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey").field("id", &self.id()).finish_non_exhaustive()
    }
}

/// A new key pair, from 32 bytes of the operating system's randomness.
///
/// ```
/// let (secret, public) = ward_engine::generate_pack_keys().unwrap();
/// assert_eq!(secret.public(), public);
/// assert!(!format!("{secret:?}").contains(&secret.to_secret_text()[20..]));
/// ```
pub fn generate() -> Result<(SecretKey, PublicKey), KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError(format!("the operating system gave no randomness: {e}")))?;
    let secret = SecretKey { key: SigningKey::from_bytes(&seed) };
    seed.fill(0);
    let public = secret.public();
    Ok((secret, public))
}

/// The signature file's text for a pack whose digest is `pack_digest` (`sha256:<hex>`).
///
/// ```
/// use ward_engine::{generate_pack_keys, sign_pack};
/// let (secret, _) = generate_pack_keys().unwrap();
/// let text = sign_pack("sha256:00", &secret);
/// assert!(text.starts_with("ward-ed25519-signature\nkey: ed25519:"));
/// assert!(text.contains("\ndigest: sha256:00\n"));
/// ```
pub fn sign(pack_digest: &str, key: &SecretKey) -> String {
    let signature = key.key.sign(pack_digest.as_bytes());
    format!(
        "{SIGNATURE_HEADER}\nkey: {}\ndigest: {pack_digest}\nsignature: {}\n",
        key.id(),
        HEXLOWER.encode(&signature.to_bytes())
    )
}

/// Checks that `signature_text` signs `pack` — its digest now — with one of the `trusted` keys,
/// and returns that key. The error names the pack (`name@version`) and what is wrong: the
/// signature is malformed, it is for another digest (the pack changed after it was signed),
/// its key is not trusted, or it does not verify (it was altered or forged).
///
/// ```
/// use std::collections::BTreeMap;
/// use ward_engine::{generate_pack_keys, sign_pack, verify_pack_signature, Pack};
/// let mut files = BTreeMap::new();
/// files.insert("pack.toml".to_string(), b"name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \"*\"\n".to_vec());
/// let pack = Pack::from_files("p", files).unwrap();
/// let (secret, public) = generate_pack_keys().unwrap();
/// let text = sign_pack(&pack.digest(), &secret);
/// assert_eq!(verify_pack_signature(&pack, &text, &[public.clone()]).unwrap(), &public);
///
/// let (_, stranger) = generate_pack_keys().unwrap();
/// let error = verify_pack_signature(&pack, &text, &[stranger]).unwrap_err();
/// assert!(error.message.contains("not trusted"), "{error}");
/// ```
pub fn verify<'k>(pack: &Pack, signature_text: &str, trusted: &'k [PublicKey]) -> Result<&'k PublicKey, Diagnostic> {
    let label = pack.manifest.label();
    let refuse = |message: String| {
        Diagnostic::at_position(
            pack.origin.clone(),
            Position { line: 1, column: 1 },
            format!("pack {label}: {message}"),
        )
    };
    let parsed = ParsedSignature::parse(signature_text).map_err(|e| refuse(format!("malformed signature: {e}")))?;
    let digest = pack.digest();
    if parsed.digest != digest {
        return Err(refuse(format!(
            "digest differs from the signed one: the signature is for {}, the pack is {digest} \
             (a file was changed, added, removed or renamed after it was signed)",
            parsed.digest
        )));
    }
    let candidates: Vec<&PublicKey> = trusted.iter().filter(|key| key.id() == parsed.key_id).collect();
    if candidates.is_empty() {
        let known: Vec<String> = trusted.iter().map(PublicKey::id).collect();
        let known = match known.is_empty() {
            true => "no key is trusted".to_owned(),
            false => format!("trusted: {}", known.join(", ")),
        };
        return Err(refuse(format!("signed by key {}, which is not trusted ({known})", parsed.key_id)));
    }
    let signature = Signature::from_bytes(&parsed.signature);
    candidates.into_iter().find(|key| key.key.verify_strict(digest.as_bytes(), &signature).is_ok()).ok_or_else(|| {
        refuse(format!(
            "the signature does not verify with key {}: it was altered, or made with another key",
            parsed.key_id
        ))
    })
}

/// Where the signature of the pack at `pack_path` lives: next to it, its name with `.sig`
/// added — `basics-1.0.0.tar.gz.sig` for an archive, `basics.sig` beside a directory `basics/`
/// (outside the directory, which it would otherwise change). A trailing `/` is ignored; a path
/// that ends in `.` or `..` should be resolved first.
///
/// ```
/// use std::path::Path;
/// use ward_engine::pack_signature_path;
/// assert_eq!(pack_signature_path(Path::new("dist/p-1.0.0.tar.gz")), Path::new("dist/p-1.0.0.tar.gz.sig"));
/// assert_eq!(pack_signature_path(Path::new("packs/p/")), Path::new("packs/p.sig"));
/// ```
pub fn signature_path(pack_path: &Path) -> PathBuf {
    let mut name = pack_path.components().collect::<PathBuf>().into_os_string();
    name.push(SIGNATURE_EXTENSION);
    PathBuf::from(name)
}

/// A signature file, read but not yet checked.
struct ParsedSignature {
    key_id: String,
    digest: String,
    signature: [u8; 64],
}

impl ParsedSignature {
    fn parse(text: &str) -> Result<ParsedSignature, MalformedSignature> {
        let mut lines = text.lines().map(str::trim_end).filter(|line| !line.is_empty());
        if lines.next() != Some(SIGNATURE_HEADER) {
            return Err(MalformedSignature::Header);
        }
        let mut field = |name: &str| {
            lines
                .next()
                .and_then(|line| line.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix(": "))
                .map(str::trim)
                .ok_or_else(|| MalformedSignature::Missing(name.to_owned()))
        };
        let key_id = field("key")?.to_owned();
        let digest = field("digest")?.to_owned();
        let signature = field("signature")?;
        if lines.next().is_some() {
            return Err(MalformedSignature::TrailingLines);
        }
        let key_hex = key_id.strip_prefix("ed25519:").unwrap_or_default();
        if key_hex.len() != 16 || unhex::<8>(key_hex).is_none() {
            return Err(MalformedSignature::Key(key_id));
        }
        let digest_hex = digest.strip_prefix("sha256:").unwrap_or_default();
        if unhex::<32>(digest_hex).is_none() {
            return Err(MalformedSignature::Digest(digest));
        }
        let signature = unhex::<64>(signature).ok_or(MalformedSignature::Signature)?;
        Ok(ParsedSignature { key_id, digest, signature })
    }
}

/// Why a signature file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum MalformedSignature {
    #[error("the first line must be `{SIGNATURE_HEADER}`")]
    Header,
    /// The field whose line was expected.
    #[error("expected a line `{0}: …` next")]
    Missing(String),
    #[error("unexpected lines after `signature`")]
    TrailingLines,
    #[error("`key` must be `ed25519:<16 hex digits>`, not `{0}`")]
    Key(String),
    #[error("`digest` must be `sha256:<64 hex digits>`, not `{0}`")]
    Digest(String),
    #[error("`signature` must be 128 hex digits")]
    Signature,
}

/// Reads the key file at `path` (named `shown` in errors) with `parse`. With `frame`, an error
/// shows the file's text: a public key's, never a secret key's.
fn read_key_file<K>(
    path: &Path,
    shown: &str,
    parse: fn(&str) -> Result<K, KeyError>,
    frame: bool,
) -> Result<K, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(shown, format!("cannot be read: {e}")))?;
    parse(&text).map_err(|e| match frame {
        true => file_error(shown, e.0).with_source(&text),
        false => file_error(shown, e.0),
    })
}

fn file_error(shown: &str, message: String) -> Diagnostic {
    Diagnostic::at_position(shown, Position { line: 1, column: 1 }, message)
}

/// Exactly `N` bytes from `2 * N` hex digits (either case); `None` for anything else. Decoded
/// into a stack array, so that a secret key's bytes are not left behind on the heap.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    if text.len() != N * 2 {
        return None;
    }
    HEXLOWER_PERMISSIVE.decode_mut(text.as_bytes(), &mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_anything_else() {
        let bytes = [0x00, 0x7f, 0xab, 0xff];
        assert_eq!(HEXLOWER.encode(&bytes), "007fabff");
        assert_eq!(unhex::<4>("007fABff"), Some(bytes));
        for bad in ["007fab", "007fabff00", "007fabfg", "+07fabff", "0 7fabff"] {
            assert_eq!(unhex::<4>(bad), None, "{bad}");
        }
    }

    #[test]
    fn no_rendering_of_a_secret_key_shows_its_secret() {
        let (secret, public) = generate().unwrap();
        let seed = secret.to_secret_text().trim().trim_start_matches(SECRET_PREFIX).to_owned();
        assert_eq!(seed.len(), 64);
        let shown = [format!("{secret:?}"), format!("{secret:#?}"), format!("{public:?}"), public.to_string()];
        for text in shown {
            assert!(!text.contains(&seed), "{text}");
        }
        let error = PublicKey::parse(&secret.to_secret_text()).unwrap_err().to_string();
        assert!(!error.contains(&seed), "{error}");
    }

    #[test]
    fn keys_are_random() {
        let (a, _) = generate().unwrap();
        let (b, _) = generate().unwrap();
        assert_ne!(a.to_secret_text(), b.to_secret_text());
    }
}
