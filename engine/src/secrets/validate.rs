//! Structural validators: checks that a candidate has the inner structure of the real credential
//! — a checksum, a decodable key body, a JSON header — which look-alikes, placeholders and
//! documentation examples almost never have. A validator's verdict beats an entropy guess.
//! Nothing here talks to the network.

use data_encoding::{BASE64, BASE64URL_NOPAD, BASE64_MIME};
use serde_json::Value;

pub(crate) use crate::policy::secret_rule::Validator;

/// Why a candidate is not the real thing, for the rule author debugging a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Invalid(pub &'static str);

/// Checks `candidate` (the secret as the rule captured it) against `validator`.
pub(crate) fn validate(validator: Validator, candidate: &str) -> Result<(), Invalid> {
    match validator {
        Validator::Crc32Base62 => crc32_base62(candidate),
        Validator::PemPrivateKey => pem_private_key(candidate),
        Validator::OpenSshPrivateKey => openssh_private_key(candidate),
        Validator::Jwt => jwt(candidate),
        Validator::AzureStorageKey => azure_storage_key(candidate),
        Validator::AgeSecretKey => age_secret_key(candidate),
        Validator::PgpPrivateKey => pgp_private_key(candidate),
        Validator::DiscordBotToken => discord_bot_token(candidate),
        Validator::BasicAuth => basic_auth(candidate),
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `value` in base62, left-padded with `0` to `width` digits.
pub(crate) fn base62(mut value: u32, width: usize) -> String {
    let mut digits = Vec::new();
    while value > 0 {
        let digit = usize::try_from(value % 62).unwrap_or(0);
        digits.push(BASE62.get(digit).copied().unwrap_or(b'0'));
        value /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.iter().rev().map(|&digit| char::from(digit)).collect()
}

/// The CRC32 of `body` as the 6-character base62 checksum GitHub and npm tokens end with.
pub(crate) fn crc32_checksum(body: &str) -> String {
    base62(crc32fast::hash(body.as_bytes()), 6)
}

fn crc32_base62(candidate: &str) -> Result<(), Invalid> {
    let Some((_, rest)) = candidate.split_once('_') else { return Err(Invalid("no `prefix_`")) };
    if rest.len() != 36 || !rest.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
        return Err(Invalid("not 36 base62 characters after the prefix"));
    }
    let (body, checksum) = rest.split_at(30);
    if crc32_checksum(body) == checksum {
        Ok(())
    } else {
        Err(Invalid("the checksum does not match"))
    }
}

/// The base64 body between a PEM block's BEGIN and END lines, decoded.
fn pem_body(candidate: &str, label_ends_with: &str) -> Result<Vec<u8>, Invalid> {
    // A key pasted into an env file or a JSON string has its line breaks escaped.
    let unescaped;
    let candidate = if candidate.contains("\\n") {
        unescaped = candidate.replace("\\r\\n", "\n").replace("\\n", "\n");
        unescaped.as_str()
    } else {
        candidate
    };
    let begin = candidate.find("-----BEGIN ").ok_or(Invalid("no BEGIN line"))?;
    let after_begin = candidate.get(begin..).unwrap_or("");
    let header_end = after_begin.find("-----\n").or_else(|| after_begin.find("-----\r\n"));
    let header_end = header_end.ok_or(Invalid("the BEGIN line does not end"))?;
    let label = after_begin.get("-----BEGIN ".len()..header_end).unwrap_or("");
    if !label.ends_with(label_ends_with) {
        return Err(Invalid("not a private key block"));
    }
    let body_start = header_end + "-----".len();
    let rest = after_begin.get(body_start..).unwrap_or("");
    let end = rest.find("-----END ").ok_or(Invalid("no END line"))?;
    let body: String = rest
        .get(..end)
        .unwrap_or("")
        .lines()
        // Encrypted PEM blocks carry headers (`Proc-Type: …`) before a blank line.
        .filter(|line| !line.contains(':'))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace() && *c != '\\'))
        .collect();
    if body.len() < 64 {
        return Err(Invalid("the body is too short for a key"));
    }
    BASE64_MIME
        .decode(body.as_bytes())
        .or_else(|_| BASE64.decode(body.as_bytes()))
        .map_err(|_| Invalid("the body is not base64"))
}

fn pem_private_key(candidate: &str) -> Result<(), Invalid> {
    pem_body(candidate, "PRIVATE KEY").map(|_| ())
}

fn openssh_private_key(candidate: &str) -> Result<(), Invalid> {
    let body = pem_body(candidate, "OPENSSH PRIVATE KEY")?;
    if body.starts_with(b"openssh-key-v1\0") {
        Ok(())
    } else {
        Err(Invalid("the body is not an openssh-key-v1 key"))
    }
}

fn jwt(candidate: &str) -> Result<(), Invalid> {
    let mut parts = candidate.split('.');
    let (Some(header), Some(_payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid("not three dot-separated parts"));
    };
    let header = BASE64URL_NOPAD
        .decode(header.trim_end_matches('=').as_bytes())
        .map_err(|_| Invalid("the header is not base64url"))?;
    let header: Value = serde_json::from_slice(&header).map_err(|_| Invalid("the header is not JSON"))?;
    match header.get("alg") {
        Some(Value::String(_)) => Ok(()),
        _ => Err(Invalid("the header has no `alg`")),
    }
}

fn azure_storage_key(candidate: &str) -> Result<(), Invalid> {
    match BASE64.decode(candidate.as_bytes()) {
        Ok(bytes) if bytes.len() == 64 => Ok(()),
        Ok(_) => Err(Invalid("not 64 bytes")),
        Err(_) => Err(Invalid("not base64")),
    }
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// BIP-173's checksum polynomial over `values`.
fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GENERATOR: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut checksum: u32 = 1;
    for value in values {
        let top = checksum >> 25;
        checksum = ((checksum & 0x01ff_ffff) << 5) ^ u32::from(value);
        for (bit, generator) in GENERATOR.iter().enumerate() {
            if (top >> bit) & 1 == 1 {
                checksum ^= generator;
            }
        }
    }
    checksum
}

/// The human-readable part expanded as BIP-173 feeds it to the checksum.
fn hrp_expanded(hrp: &str) -> impl Iterator<Item = u8> + '_ {
    hrp.bytes().map(|byte| byte >> 5).chain(std::iter::once(0)).chain(hrp.bytes().map(|byte| byte & 31))
}

/// The six 5-bit values that end a bech32 string of `hrp` and `data`.
pub(crate) fn bech32_checksum(hrp: &str, data: &[u8]) -> Vec<u8> {
    let values = hrp_expanded(hrp).chain(data.iter().copied()).chain([0u8; 6]);
    let polymod = bech32_polymod(values) ^ 1;
    (0..6u32).map(|index| u8::try_from((polymod >> (5 * (5 - index))) & 31).unwrap_or(0)).collect()
}

/// An age identity: `AGE-SECRET-KEY-1` and 58 bech32 characters — 32 bytes and a checksum
/// that must hold. Bech32 is one case throughout; age writes it upper-case.
fn age_secret_key(candidate: &str) -> Result<(), Invalid> {
    let lower = candidate.to_ascii_lowercase();
    let data = lower.strip_prefix("age-secret-key-1").ok_or(Invalid("no `AGE-SECRET-KEY-1`"))?;
    if candidate != lower && candidate != candidate.to_ascii_uppercase() {
        return Err(Invalid("bech32 of mixed case"));
    }
    let values: Option<Vec<u8>> =
        data.bytes().map(|byte| BECH32.iter().position(|&c| c == byte).and_then(|at| u8::try_from(at).ok())).collect();
    let values = values.ok_or(Invalid("a character outside bech32's alphabet"))?;
    if values.len() != 58 {
        return Err(Invalid("not 32 bytes and a checksum"));
    }
    if bech32_polymod(hrp_expanded("age-secret-key-").chain(values)) == 1 {
        Ok(())
    } else {
        Err(Invalid("the bech32 checksum does not match"))
    }
}

/// OpenPGP's CRC-24 (RFC 4880 §6.1), of an armoured block's binary body.
pub(crate) fn crc24(bytes: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in bytes {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
}

/// An ASCII-armoured OpenPGP private key: a body that decodes, begins with a secret-key packet
/// (tag 5, old or new format), and matches its `=XXXX` CRC-24 line when there is one.
fn pgp_private_key(candidate: &str) -> Result<(), Invalid> {
    let candidate = candidate.replace("\\r\\n", "\n").replace("\\n", "\n");
    let begin = candidate.find("-----BEGIN PGP PRIVATE KEY BLOCK-----").ok_or(Invalid("no BEGIN line"))?;
    let after = candidate.get(begin + "-----BEGIN PGP PRIVATE KEY BLOCK-----".len()..).unwrap_or("");
    let end = after.find("-----END PGP PRIVATE KEY BLOCK-----").ok_or(Invalid("no END line"))?;
    let mut body = String::new();
    let mut checksum = None;
    for line in after.get(..end).unwrap_or("").lines().map(str::trim) {
        if line.contains(':') {
            continue; // an armour header (`Version: …`, `Comment: …`)
        }
        match line.strip_prefix('=') {
            Some(crc) if crc.len() == 4 => checksum = Some(crc.to_owned()),
            _ => body.push_str(line),
        }
    }
    let bytes = BASE64.decode(body.as_bytes()).map_err(|_| Invalid("the body is not base64"))?;
    let first = *bytes.first().ok_or(Invalid("the body is empty"))?;
    let tag = match first {
        _ if first & 0x80 == 0 => return Err(Invalid("the body is not an OpenPGP packet")),
        _ if first & 0x40 != 0 => first & 0x3f,
        _ => (first >> 2) & 0x0f,
    };
    if tag != 5 {
        return Err(Invalid("the first packet is not a secret key"));
    }
    if bytes.len() < 64 {
        return Err(Invalid("the body is too short for a key"));
    }
    if let Some(checksum) = checksum {
        let expected = BASE64.decode(checksum.as_bytes()).map_err(|_| Invalid("the checksum is not base64"))?;
        let actual = crc24(&bytes).to_be_bytes();
        if expected.as_slice() != actual.get(1..).unwrap_or(&[]) {
            return Err(Invalid("the CRC-24 does not match"));
        }
    }
    Ok(())
}

/// A Discord bot token: its first part is the bot's user id — a decimal snowflake of 17 to 20
/// digits — in base64; then a timestamp and an HMAC.
fn discord_bot_token(candidate: &str) -> Result<(), Invalid> {
    let (id, rest) = candidate.split_once('.').ok_or(Invalid("no `.` after the id"))?;
    if rest.split('.').count() != 2 {
        return Err(Invalid("not three dot-separated parts"));
    }
    let id = data_encoding::BASE64_NOPAD
        .decode(id.trim_end_matches('=').as_bytes())
        .map_err(|_| Invalid("the id is not base64"))?;
    if (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit) && id.first() != Some(&b'0') {
        Ok(())
    } else {
        Err(Invalid("the id is not a snowflake"))
    }
}

/// HTTP Basic credentials as Docker's `config.json`, `.npmrc`'s `_auth` and `Authorization: Basic`
/// carry them: base64 of `user:password`, both present and printable, the password not a
/// placeholder's shape (`user:pass` is what documentation writes; a real one is longer).
fn basic_auth(candidate: &str) -> Result<(), Invalid> {
    let decoded = BASE64
        .decode(candidate.as_bytes())
        .or_else(|_| data_encoding::BASE64_NOPAD.decode(candidate.trim_end_matches('=').as_bytes()))
        .map_err(|_| Invalid("not base64"))?;
    let text = String::from_utf8(decoded).map_err(|_| Invalid("not text"))?;
    let (user, password) = text.split_once(':').ok_or(Invalid("no `user:password`"))?;
    if user.is_empty() || text.chars().any(|c| c.is_control()) {
        return Err(Invalid("not a user and a password"));
    }
    let lower = password.to_ascii_lowercase();
    let placeholder = ["password", "passwd", "changeme", "secret", "token", "example"];
    if password.chars().count() < 6
        || password.starts_with(['$', '<', '{', '%'])
        || placeholder.iter().any(|word| lower.contains(word))
    {
        return Err(Invalid("the password is a placeholder"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// A token of `prefix` with a valid checksum, made here so that no live-looking token is
    /// ever committed: the body is a fixed, obviously fake pattern.
    fn token(prefix: &str, body: &str) -> String {
        assert_eq!(body.len(), 30);
        format!("{prefix}{body}{}", crc32_checksum(body))
    }

    #[test]
    fn checksummed_tokens_are_told_from_look_alikes() {
        let body = "wardtestwardtestwardtestwardte";
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"] {
            let valid = token(prefix, body);
            assert_eq!(validate(Validator::Crc32Base62, &valid), Ok(()), "{prefix}");
            // One character changed anywhere breaks the checksum.
            let mut tampered = valid.clone().into_bytes();
            tampered[10] = if tampered[10] == b'a' { b'b' } else { b'a' };
            let tampered = String::from_utf8(tampered).unwrap();
            assert_eq!(validate(Validator::Crc32Base62, &tampered), Err(Invalid("the checksum does not match")));
        }
        for look_alike in ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_<your-token>", "ghp_short", "npm_"] {
            assert!(validate(Validator::Crc32Base62, look_alike).is_err(), "{look_alike}");
        }
    }

    #[test]
    fn key_bodies_must_decode() {
        let body = BASE64.encode(&[7u8; 96]);
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----\n",
            &body[..64],
            &body[64..]
        );
        assert_eq!(validate(Validator::PemPrivateKey, &pem), Ok(()));
        let placeholder = "-----BEGIN PRIVATE KEY-----\n<your key here, pasted from the console, and nothing else>\n-----END PRIVATE KEY-----\n";
        assert!(validate(Validator::PemPrivateKey, placeholder).is_err());
        let public = pem.replace("PRIVATE", "PUBLIC");
        assert_eq!(validate(Validator::PemPrivateKey, &public), Err(Invalid("not a private key block")));

        let mut openssh = b"openssh-key-v1\0".to_vec();
        openssh.extend([1u8; 80]);
        let openssh = format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
            BASE64.encode(&openssh)
        );
        assert_eq!(validate(Validator::OpenSshPrivateKey, &openssh), Ok(()));
        let not_openssh = openssh.replace(&BASE64.encode(b"openssh-key-v1\0")[..8], "AAAAAAAA");
        assert!(validate(Validator::OpenSshPrivateKey, &not_openssh).is_err());
    }

    #[test]
    fn jwts_need_a_json_header_with_alg() {
        let encode = |text: &str| BASE64URL_NOPAD.encode(text.as_bytes());
        let jwt =
            format!("{}.{}.{}", encode(r#"{"alg":"HS256","typ":"JWT"}"#), encode(r#"{"sub":"x"}"#), encode("sig"));
        assert_eq!(validate(Validator::Jwt, &jwt), Ok(()));
        let no_alg = format!("{}.{}.{}", encode(r#"{"typ":"JWT"}"#), encode("{}"), encode("sig"));
        assert_eq!(validate(Validator::Jwt, &no_alg), Err(Invalid("the header has no `alg`")));
        assert!(validate(Validator::Jwt, "eyJhbGciOiJIUzI1NiJ9.e30").is_err());
        assert!(validate(Validator::Jwt, "version.1.2").is_err());
    }

    proptest::proptest! {
        /// Candidates are whatever a regex captured from any file: no input may panic.
        #[test]
        fn validators_never_panic(
            candidate in "(-----BEGIN [A-Z ]{0,24}-----\r?\n)?[A-Za-z0-9+/=_.:\\\n-]{0,300}(-----END [A-Z ]{0,24}-----)?|.{0,200}",
        ) {
            for validator in [
                Validator::Crc32Base62,
                Validator::PemPrivateKey,
                Validator::OpenSshPrivateKey,
                Validator::Jwt,
                Validator::AzureStorageKey,
                Validator::AgeSecretKey,
                Validator::PgpPrivateKey,
                Validator::DiscordBotToken,
                Validator::BasicAuth,
            ] {
                let _ = validate(validator, &candidate);
            }
        }
    }

    #[test]
    fn azure_keys_are_64_bytes() {
        assert_eq!(validate(Validator::AzureStorageKey, &BASE64.encode(&[3u8; 64])), Ok(()));
        assert_eq!(validate(Validator::AzureStorageKey, &BASE64.encode(&[3u8; 32])), Err(Invalid("not 64 bytes")));
        assert_eq!(validate(Validator::AzureStorageKey, "changeme"), Err(Invalid("not 64 bytes")));
        assert_eq!(validate(Validator::AzureStorageKey, "<your-storage-key>"), Err(Invalid("not base64")));
    }

    #[test]
    fn age_keys_carry_a_bech32_checksum() {
        let made = crate::secrets::generate::token("age", "s").unwrap();
        assert_eq!(validate(Validator::AgeSecretKey, &made), Ok(()), "{made}");
        assert_eq!(validate(Validator::AgeSecretKey, &made.to_lowercase()), Ok(()));
        let mut tampered = made.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'Q' { b'P' } else { b'Q' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(validate(Validator::AgeSecretKey, &tampered), Err(Invalid("the bech32 checksum does not match")));
        assert!(validate(
            Validator::AgeSecretKey,
            "AGE-SECRET-KEY-1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
        )
        .is_err());
        // BIP-173's own valid test vector, to pin the polynomial.
        let values: Vec<u8> = "qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
            .bytes()
            .map(|byte| u8::try_from(BECH32.iter().position(|&c| c == byte).unwrap()).unwrap())
            .collect();
        assert_eq!(bech32_polymod(hrp_expanded("bc").chain(values)), 1);
    }

    #[test]
    fn pgp_blocks_need_a_secret_key_packet_and_their_crc() {
        let made = crate::secrets::generate::token("pgp-private-key", "s").unwrap();
        assert_eq!(validate(Validator::PgpPrivateKey, &made), Ok(()), "{made}");
        assert_eq!(validate(Validator::PgpPrivateKey, &made.replace('\n', "\\n")), Ok(()));
        let crc_line = made.lines().find(|line| line.starts_with('=')).unwrap();
        let wrong = made.replace(crc_line, "=AAAA");
        assert_eq!(validate(Validator::PgpPrivateKey, &wrong), Err(Invalid("the CRC-24 does not match")));
        let placeholder =
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n...your key...\n-----END PGP PRIVATE KEY BLOCK-----";
        assert!(validate(Validator::PgpPrivateKey, placeholder).is_err());
        // RFC 4880's CRC-24 of nothing is its initial value.
        assert_eq!(crc24(b""), 0x00b7_04ce);
    }

    #[test]
    fn discord_tokens_start_with_a_snowflake() {
        let made = crate::secrets::generate::token("discord-bot", "s").unwrap();
        assert_eq!(validate(Validator::DiscordBotToken, &made), Ok(()), "{made}");
        let (_, rest) = made.split_once('.').unwrap();
        let not_an_id = format!("{}.{rest}", BASE64.encode(b"abcdefghijklmnopqr").trim_end_matches('='));
        assert_eq!(validate(Validator::DiscordBotToken, &not_an_id), Err(Invalid("the id is not a snowflake")));
        assert!(validate(Validator::DiscordBotToken, "MTIz.abc").is_err());
    }

    #[test]
    fn basic_credentials_decode_to_a_user_and_a_password() {
        let encode = |text: &str| BASE64.encode(text.as_bytes());
        assert_eq!(validate(Validator::BasicAuth, &encode("deploy:Zq8#rT2vLm")), Ok(()));
        assert_eq!(
            validate(Validator::BasicAuth, &crate::secrets::generate::token("basic-auth", "s").unwrap()),
            Ok(())
        );
        assert_eq!(validate(Validator::BasicAuth, &encode("user:pass")), Err(Invalid("the password is a placeholder")));
        assert_eq!(
            validate(Validator::BasicAuth, &encode("deploy:${TOKEN}")),
            Err(Invalid("the password is a placeholder"))
        );
        assert_eq!(
            validate(Validator::BasicAuth, &encode("username:password")),
            Err(Invalid("the password is a placeholder"))
        );
        assert_eq!(validate(Validator::BasicAuth, &encode("no colon here")), Err(Invalid("no `user:password`")));
        assert_eq!(validate(Validator::BasicAuth, "not base64!"), Err(Invalid("not base64")));
    }

    /// The example from the documentation of `validate`.
    #[test]
    fn validate_example() {
        use crate::secrets::validate::{validate, Validator};
        assert!(validate(Validator::Jwt, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln").is_ok());
        assert!(validate(Validator::Jwt, "not.a.jwt").is_err());
    }

    /// The example from the documentation of `base62`.
    #[test]
    fn base62_example() {
        use crate::secrets::validate::base62;
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 2), "10");
    }
}
