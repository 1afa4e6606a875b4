//! The secret scanner, inline suppressions, baselines and dates never panic, on any text:
//! arbitrary strings made of the pieces that steer them (keywords, quotes, separators, comment
//! markers, multi-byte characters, line breaks), plus mangled real cases.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use proptest::prelude::*;
use ward_engine::{
    builtin_secret_rules, scan_secrets, Baseline, Date, Finding, Location, Position, SecretScanner, Severity,
    Suppressions,
};

const PIECES: &[&str] = &[
    "password",
    "token",
    "secret",
    "api_key",
    "AKIA",
    "ghp_",
    "npm_",
    "eyJ",
    "glpat-",
    "xoxb-",
    "sk_live_",
    "AIza",
    "AccountKey=",
    "postgres://",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "PRIVATE KEY-----",
    "=",
    ": ",
    ":",
    "\"",
    "'",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    "//",
    "/*",
    "*/",
    "<!--",
    "--",
    "ward:ignore",
    "SEC-016",
    ",",
    "${",
    "}",
    "{{",
    "é",
    "€",
    "𝄞",
    "\\n",
    "@",
    "/",
    "+",
    "0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    "abcdefghijklmnopqrstuvwxyz",
    "==",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|pieces| pieces.concat())
}

fn finding_at(line: u32, column: u32) -> Finding {
    let at = Position { line, column };
    Finding {
        rule_id: "SEC-016".into(),
        severity: Severity::High,
        message: "m".into(),
        location: Location { path: "a.env".into(), start: at, end: at },
        resource: "file:a.env".into(),
        pointer: String::new(),
        pack: None,
        fingerprint: "f".into(),
        related: Vec::new(),
        environments: Vec::new(),
        details: Default::default(),
    }
}

/// Built once: compiling the rules for every case would be most of the test's time.
fn scanner() -> &'static SecretScanner {
    static SCANNER: std::sync::OnceLock<SecretScanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(|| SecretScanner::new(builtin_secret_rules()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_scanner_and_suppressions_never_panic(text in text(), line in 0u32..40, column in 0u32..80) {
        let scan = scan_secrets(scanner(), &[("a.env", text.as_str())], 1);
        for finding in &scan.findings {
            prop_assert!(finding.location.start.line >= 1);
        }
        let _ = scan.redactor.mask_text(&text);
        let _ = scan.redactor.redact_text(&text);
        let suppressions = Suppressions { today: Date::parse("2026-11-30"), ..Suppressions::default() };
        let _ = suppressions.apply(vec![finding_at(line, column)], &|_| Some(text.as_str()));
        let _ = Baseline::parse(&text);
        let _ = Date::parse(&text);
    }
}
