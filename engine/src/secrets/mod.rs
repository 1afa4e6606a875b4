//! Secret-leak detection (DESIGN §6). What is here so far: the validators that tell a real
//! credential from a look-alike by its structure ([`validate`]) and the redaction every output
//! uses so that no secret is ever printed whole ([`redact`]). The keyword-prefiltered scanner
//! and the `secrets` pack's rules build on them.

pub mod redact;
pub mod validate;
