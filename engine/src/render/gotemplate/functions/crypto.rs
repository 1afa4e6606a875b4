//! Encodings, digests and Sprig's crypto functions: `b64enc`/`b64dec`/`b32enc`/`b32dec`,
//! `sha256sum`/`sha512sum`/`sha1sum`/`adler32sum` (real digests of the text), and the functions
//! that would mint secrets — `genCA`, `genSelfSignedCert`, `genSignedCert`, `genPrivateKey`,
//! `derivePassword`, `htpasswd`, `bcrypt`, `encryptAES`, `uuidv4`, `randBytes` — which render a
//! fixed placeholder that names itself and is nothing a scanner could take for a credential, so
//! that rendering is deterministic and never prints key material.

use data_encoding::{BASE32, BASE64};
use sha2::{Digest, Sha256, Sha512};

use super::builtins::combined;
use super::{Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::Value;

pub(crate) const NAMES: &[&str] = &[
    "b64enc",
    "b64dec",
    "b32enc",
    "b32dec",
    "sha256sum",
    "sha512sum",
    "sha1sum",
    "adler32sum",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "genPrivateKey",
    "derivePassword",
    "htpasswd",
    "bcrypt",
    "encryptAES",
    "decryptAES",
    "uuidv4",
    "randBytes",
    "buildCustomCert",
];

/// What stands in for a certificate or a key.
const PLACEHOLDER: &str = "ward-placeholder-not-a-secret";

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "b64enc" | "b32enc" => {
            args.exactly(1)?;
            let text = args.str(0)?;
            let encoded =
                if name == "b64enc" { BASE64.encode(text.as_bytes()) } else { BASE32.encode(text.as_bytes()) };
            Ok(combined(encoded, &args.args))
        }
        "b64dec" | "b32dec" => {
            args.exactly(1)?;
            let text = args.str(0)?;
            let decoded =
                if name == "b64dec" { BASE64.decode(text.as_bytes()) } else { BASE32.decode(text.as_bytes()) };
            // Sprig returns the error's text in place of the value.
            let decoded = match decoded {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(error) => format!("illegal base64 data at input byte {}", error.position),
            };
            Ok(combined(decoded, &args.args))
        }
        "sha256sum" => digest_hex(&args, |bytes| Sha256::digest(bytes).to_vec()),
        "sha512sum" => digest_hex(&args, |bytes| Sha512::digest(bytes).to_vec()),
        "sha1sum" => digest_hex(&args, |bytes| sha1(bytes).to_vec()),
        "adler32sum" => {
            args.exactly(1)?;
            Ok(Value::string(adler32(args.str(0)?.as_bytes()).to_string()))
        }
        "genCA"
        | "genCAWithKey"
        | "genSelfSignedCert"
        | "genSelfSignedCertWithKey"
        | "genSignedCert"
        | "genSignedCertWithKey"
        | "buildCustomCert" => Ok(Value::map(
            [
                ("Cert".to_owned(), Value::string(format!("{PLACEHOLDER}: certificate from {name}"))),
                ("Key".to_owned(), Value::string(format!("{PLACEHOLDER}: key from {name}"))),
            ]
            .into_iter()
            .collect(),
        )),
        "genPrivateKey" => Ok(Value::string(format!("{PLACEHOLDER}: private key"))),
        "derivePassword" | "htpasswd" | "bcrypt" | "encryptAES" | "decryptAES" => {
            Ok(Value::string(format!("{PLACEHOLDER}: {name}")))
        }
        "uuidv4" => Ok(Value::string("00000000-0000-4000-8000-000000000000")),
        "randBytes" => {
            args.exactly(1)?;
            let count = usize::try_from(args.int(0)?).unwrap_or(0).min(1 << 16);
            Ok(Value::string(BASE64.encode(&vec![0u8; count])))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}

fn digest_hex(args: &Args<'_>, digest: impl Fn(&[u8]) -> Vec<u8>) -> FnResult {
    args.exactly(1)?;
    let text = args.str(0)?;
    Ok(Value::string(data_encoding::HEXLOWER.encode(&digest(text.as_bytes()))))
}

/// Adler-32, as Go's `hash/adler32`.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// SHA-1 (FIPS 180-4), for Sprig's `sha1sum`; a checksum here, not a security measure.
fn sha1(bytes: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut message = bytes.to_vec();
    let bit_length = u64::try_from(bytes.len()).unwrap_or(u64::MAX).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (word, chunk) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([
                chunk.first().copied().unwrap_or(0),
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
                chunk.get(3).copied().unwrap_or(0),
            ]);
        }
        for i in 16..80 {
            let x = w.get(i - 3).copied().unwrap_or(0)
                ^ w.get(i - 8).copied().unwrap_or(0)
                ^ w.get(i - 14).copied().unwrap_or(0)
                ^ w.get(i - 16).copied().unwrap_or(0);
            if let Some(slot) = w.get_mut(i) {
                *slot = x.rotate_left(1);
            }
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, add) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(add);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}
