//! Fake credentials with the structure of real ones — valid checksums, decodable key bodies, JWT
//! headers — made at run time, so that tests and pack fixtures can exercise every secret rule
//! without a live-looking token ever being committed. A fixture writes `<<ward:KIND>>` where a
//! secret goes ([`expand`]); each is replaced by a token derived from a seed, so a run is
//! reproducible while the repository holds nothing a scanner would validate.
//!
//! Most kinds are a rule's own `test_token` template ([`recipe`]): a fixture writes
//! `<<ward:SEC-042>>` for the rule's first template, `<<ward:SEC-042:1>>` for its second. The
//! kinds in [`KINDS`] are made in code, for structures a template cannot say.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::validate::{bech32_checksum, crc24, crc32_checksum};
use crate::policy::secret_rule::{RecipePart, SecretRule, TokenRecipe};

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
    "stripe:sk_test",
    "stripe:pk_test",
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
    "age",
    "pgp-private-key",
    "discord-bot",
    "putty",
    "jwt-io-sample",
    "basic-auth",
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
        "stripe" if ["sk_live", "rk_live", "sk_test", "pk_test"].contains(&argument) => format!("{argument}_{}", stream.pick(BASE62, 32)),
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
        // An age X25519 identity: bech32 of 32 bytes under `age-secret-key-`, upper-cased.
        "age" => {
            let data: Vec<u8> = to_five_bits(&stream.bytes(32));
            let checksum = bech32_checksum("age-secret-key-", &data);
            let chars: String =
                data.iter().chain(&checksum).map(|&five| char::from(BECH32.get(usize::from(five)).copied().unwrap_or(b'q'))).collect();
            format!("AGE-SECRET-KEY-1{chars}").to_uppercase()
        }
        // An ASCII-armoured secret key packet (new format, tag 5) with its CRC24 line.
        "pgp-private-key" => {
            let mut packet = vec![0xc5, 0xc0];
            packet.push(4);
            packet.extend(stream.bytes(190));
            let body = data_encoding::BASE64.encode(&packet);
            let checksum = crc24(&packet).to_be_bytes();
            let checksum = data_encoding::BASE64.encode(checksum.get(1..).unwrap_or(&[]));
            let mut text = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n".to_owned();
            for chunk in body.as_bytes().chunks(64) {
                text.push_str(&String::from_utf8_lossy(chunk));
                text.push('\n');
            }
            text.push_str(&format!("={checksum}\n-----END PGP PRIVATE KEY BLOCK-----"));
            text
        }
        // A Discord bot token: the bot's id (a snowflake) in base64, a timestamp, an HMAC.
        "discord-bot" => {
            let id = format!("1{}", stream.pick(b"0123456789", 18));
            let id = data_encoding::BASE64_NOPAD.encode(id.as_bytes());
            format!("{id}.{}.{}", stream.pick(BASE64URL, 6), stream.pick(BASE64URL, 38))
        }
        // An unencrypted PuTTY key file (format 3), its private part one base64 line.
        "putty" => format!(
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy@ci\nPublic-Lines: 2\n{}\n{}\nPrivate-Lines: 1\n{}\nPrivate-MAC: {}",
            data_encoding::BASE64.encode(&stream.bytes(48)),
            data_encoding::BASE64.encode(&stream.bytes(3)),
            data_encoding::BASE64.encode(&stream.bytes(32)),
            data_encoding::HEXLOWER.encode(&stream.bytes(32)),
        ),
        // The sample token of jwt.io's debugger (HS256, "John Doe"), the most pasted JWT in
        // documentation: a hard negative, made here so that no file holds it as it is.
        "jwt-io-sample" => {
            let header = data_encoding::BASE64URL_NOPAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
            let claims = br#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#;
            let claims = data_encoding::BASE64URL_NOPAD.encode(claims);
            format!("{header}.{claims}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
        }
        // HTTP Basic credentials: base64 of `user:password`.
        "basic-auth" => {
            let credentials = format!("deploy:{}", stream.pick(PASSWORD, 20));
            data_encoding::BASE64.encode(credentials.as_bytes())
        }
        _ => return None,
    })
}

const BECH32: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Bytes regrouped in 5-bit groups, the last padded with zeros (bech32's data part).
fn to_five_bits(bytes: &[u8]) -> Vec<u8> {
    let (mut accumulator, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for &byte in bytes {
        accumulator = (accumulator << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(u8::try_from((accumulator >> bits) & 31).unwrap_or(0));
        }
    }
    if bits > 0 {
        out.push(u8::try_from((accumulator << (5 - bits)) & 31).unwrap_or(0));
    }
    out
}

/// A fake credential made by a rule's `test_token` template, derived from `seed`; `None` when
/// the template names a kind [`token`] does not make.
///
/// ```
/// use ward_engine::testing::{recipe, TokenRecipe};
/// let template = TokenRecipe::parse("hf_{alnum:34}").unwrap();
/// let made = recipe(&template, "seed").unwrap();
/// assert!(made.starts_with("hf_") && made.len() == 37);
/// assert_eq!(recipe(&template, "seed"), Some(made));
/// ```
pub fn recipe(recipe: &TokenRecipe, seed: &str) -> Option<String> {
    let mut stream = Stream::new(&format!("{}\0{seed}", recipe.template));
    let mut out = String::new();
    let mut last_random = String::new();
    for part in &recipe.parts {
        match part {
            RecipePart::Literal(text) => out.push_str(text),
            RecipePart::Random { alphabet, count } => {
                last_random = stream.pick(alphabet, *count);
                out.push_str(&last_random);
            }
            RecipePart::Crc32 => out.push_str(&crc32_checksum(&last_random)),
            RecipePart::Kind(kind) => out.push_str(&token(kind, &format!("{}\0{seed}", recipe.template))?),
        }
    }
    Some(out)
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
/// placeholder seeded with `seed` and n. A kind is one of [`KINDS`] or a built-in secret rule's
/// id (`SEC-042`, or `SEC-042:1` for its second template). An unknown kind is an error naming it.
///
/// ```
/// use ward_engine::testing::expand;
/// let text = expand("TOKEN=<<ward:npm>>\n", "fixture").unwrap();
/// assert!(text.starts_with("TOKEN=npm_") && text.len() == "TOKEN=\n".len() + 40);
/// assert!(expand("<<ward:nope>>", "fixture").unwrap_err().to_string().contains("nope"));
/// ```
pub fn expand(text: &str, seed: &str) -> Result<String, ExpandError> {
    expand_with(text, seed, &[])
}

/// The built-in secret rules, loaded once: whose templates `<<ward:SEC-…>>` names.
fn builtin_rules() -> &'static [SecretRule] {
    static RULES: OnceLock<Vec<SecretRule>> = OnceLock::new();
    RULES.get_or_init(crate::policy::builtin_secret_rules)
}

/// A token of the rule `kind` names (`SEC-042`, `SEC-042:1`) among `rules`, then the built-in
/// rules.
fn rule_token(kind: &str, seed: &str, rules: &[SecretRule]) -> Option<String> {
    let (id, index) = match kind.rsplit_once(':') {
        Some((id, index)) => (id, index.parse::<usize>().ok()?),
        None => (kind, 0),
    };
    let rule = rules.iter().chain(builtin_rules()).find(|rule| rule.metadata.id == id)?;
    recipe(rule.test_tokens.get(index)?, seed)
}

/// [`expand`], with the templates of `rules` (a pack's own secret rules) before the built-in
/// ones.
pub fn expand_with(text: &str, seed: &str, rules: &[SecretRule]) -> Result<String, ExpandError> {
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
        let seed = format!("{seed}\0{index}");
        let value = token(kind, &seed)
            .or_else(|| rule_token(kind, &seed, rules))
            .ok_or_else(|| ExpandError::UnknownKind(kind.to_owned()))?;
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
    #[error("unknown token kind `{0}`; the kinds are a secret rule's id with a `test_token` (`SEC-042`, `SEC-042:1` for its second), or {kinds}", kinds = KINDS.join(", "))]
    UnknownKind(String),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
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
            // Every kind but the one fixed sample differs by seed.
            if *kind != "jwt-io-sample" {
                assert_ne!(token(kind, "s"), token(kind, "t"), "{kind}");
            }
        }
        for (kind, validator) in checks {
            let made = token(kind, "s").unwrap();
            if let Some(validator) = validator {
                assert!(validate(validator, &made).is_ok(), "{kind}: {made}");
            }
        }
    }

    /// Every built-in rule's `test_token` makes a token that passes the rule's own checks — its
    /// validator, or its entropy floor — and, where the rule's keyword is part of the token
    /// itself (and it needs no companion), that the rule reports alone on a line: a template that
    /// drifts from its rule fails here, by name. Rules keyed on a name near the value (`DD_API_KEY`)
    /// are proven by their fixtures under `policies/secrets/tests/`.
    #[test]
    fn every_rules_test_token_passes_its_rule() {
        let rules = crate::policy::builtin_secret_rules();
        let mut failures = Vec::new();
        let mut templates = 0;
        for rule in &rules {
            for (index, template) in rule.test_tokens.iter().enumerate() {
                templates += 1;
                let name = format!("{}:{index} `{}`", rule.metadata.id, template.template);
                let Some(made) = recipe(template, "check") else {
                    failures.push(format!("{name}: names an unknown kind"));
                    continue;
                };
                let passes = match rule.validator {
                    Some(validator) => validate(validator, &made).is_ok(),
                    None => rule.entropy.is_none_or(|floor| crate::secrets::scan::entropy(&made) >= floor),
                };
                if !passes {
                    failures.push(format!("{name} made `{made}`, which fails the rule's validator or entropy floor"));
                }
                let lower = made.to_ascii_lowercase();
                if rule.pair.is_none() && rule.keywords.iter().any(|keyword| lower.contains(keyword.as_str())) {
                    let scanner = crate::secrets::scan::SecretScanner::new(vec![rule.clone()]);
                    if scanner.scan("check.txt", &format!("value = \"{made}\"\n")).is_empty() {
                        failures.push(format!("{name} made `{made}`, which its rule does not report"));
                    }
                }
            }
        }
        assert!(templates >= 150, "{templates} templates");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn rule_ids_name_their_templates() {
        let text = expand("A=<<ward:SEC-002>>\nB=<<ward:SEC-002:9>>", "s");
        assert_eq!(text, Err(ExpandError::UnknownKind("SEC-002:9".to_owned())));
        let rules = crate::policy::builtin_secret_rules();
        let id = rules.iter().find(|rule| !rule.test_tokens.is_empty()).map(|rule| rule.metadata.id.clone()).unwrap();
        let made = expand(&format!("<<ward:{id}>>"), "s").unwrap();
        assert!(!made.contains("<<ward:") && !made.is_empty());
        assert_eq!(expand(&format!("<<ward:{id}:0>>"), "s").unwrap(), made);
    }

    #[test]
    fn templates_are_parsed_or_refused_with_a_reason() {
        let cases = [
            ("ghp_{alnum:30}{crc32}", Ok(3)),
            ("a{{b}}c", Ok(1)),
            ("x{alnum:0}", Err("count")),
            ("x{nope:3}", Err("unknown alphabet")),
            ("x{alnum:3", Err("without its `}`")),
            ("x}", Err("without its `{`")),
            ("{what}", Err("is not")),
        ];
        for (template, expected) in cases {
            match (TokenRecipe::parse(template), expected) {
                (Ok(parsed), Ok(parts)) => assert_eq!(parsed.parts.len(), parts, "{template}"),
                (Err(reason), Err(needle)) => assert!(reason.contains(needle), "{template}: {reason}"),
                (other, _) => panic!("{template}: {other:?}"),
            }
        }
        let braces = TokenRecipe::parse("a{{b}}c").unwrap();
        assert_eq!(recipe(&braces, "s").unwrap(), "a{b}c");
        let github = TokenRecipe::parse("ghp_{alnum:30}{crc32}").unwrap();
        assert!(validate(Validator::Crc32Base62, &recipe(&github, "s").unwrap()).is_ok());
    }

    /// The checksum assertion of [`token`]'s documentation, which cannot reach the validators.
    #[test]
    fn a_github_token_carries_a_valid_checksum() {
        let github = token("github:ghp", "seed").unwrap();
        assert!(github.starts_with("ghp_") && github.len() == 40);
        assert!(validate(Validator::Crc32Base62, &github).is_ok());
    }
}
