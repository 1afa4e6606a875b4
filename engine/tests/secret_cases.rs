//! The built-in secret rules against their case tables — `testdata/secrets/cases.yaml` (every
//! kind of secret) and the pack's own `policies/secrets/cases.yaml` (assignments in every file
//! format, placeholders and references): every positive found by the right rule at the right line
//! (and nothing else), every hard negative silent. Tokens are made at run time with valid
//! checksums and key structures; the tables hold none.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use ward_engine::testing::expand;
use ward_engine::{builtin_secret_rules, scan_secrets, SecretScanner};

const TABLES: [&str; 2] = ["testdata/secrets/cases.yaml", "policies/secrets/cases.yaml"];

/// Every case of `section` (`positives`, `negatives`) in every table.
fn cases(section: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for table in TABLES {
        let text = std::fs::read_to_string(support::repo_root().join(table)).unwrap();
        let cases: Value = serde_saphyr::from_str(&text).unwrap();
        all.extend(cases[section].as_array().unwrap().iter().cloned());
    }
    assert!(all.len() > 20, "{section}: {} cases", all.len());
    all
}

/// A case's text as scanned: tokens generated, then `<<base64>>…<</base64>>` encoded.
fn text_of(case: &Value) -> String {
    let name = case["name"].as_str().unwrap();
    encode_base64(&expand(case["text"].as_str().unwrap(), name).unwrap())
}

fn encode_base64(text: &str) -> String {
    let (open, close) = ("<<base64>>", "<</base64>>");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        let end = after.find(close).unwrap();
        out.push_str(&data_encoding::BASE64.encode(&after.as_bytes()[..end]));
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

fn scanner() -> SecretScanner {
    SecretScanner::new(builtin_secret_rules())
}

/// `(rule, line)` of every finding in `text` at `path`, and the texts' secrets for redaction.
fn found(scanner: &SecretScanner, path: &str, text: &str) -> (Vec<(String, u32)>, Vec<String>) {
    let scan = scan_secrets(scanner, &[(path, text)], 1);
    let found = scan.findings.iter().map(|f| (f.rule_id.clone(), f.location.start.line)).collect();
    (found, scan.findings.iter().map(|f| f.message.clone()).collect())
}

#[test]
fn every_positive_is_found_by_its_rule_at_its_line() {
    let scanner = scanner();
    let mut failures = Vec::new();
    for case in cases("positives") {
        let name = case["name"].as_str().unwrap();
        let text = text_of(&case);
        let expected: Vec<(String, u32)> = case["found"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (pair[0].as_str().unwrap().to_owned(), u32::try_from(pair[1].as_u64().unwrap()).unwrap()))
            .collect();
        let (actual, messages) = found(&scanner, case["path"].as_str().unwrap(), &text);
        if actual != expected {
            failures.push(format!("{name}: expected {expected:?}, found {actual:?} {messages:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_hard_negative_is_reported() {
    let scanner = scanner();
    let mut failures = Vec::new();
    for case in cases("negatives") {
        let name = case["name"].as_str().unwrap();
        let (actual, messages) = found(&scanner, case["path"].as_str().unwrap(), &text_of(&case));
        if !actual.is_empty() {
            failures.push(format!("{name}: {actual:?} {messages:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A finding's message and fingerprint never hold the secret: only its first characters and
/// length, and a hash.
#[test]
fn findings_never_hold_a_secret_whole() {
    let scanner = scanner();
    for case in cases("positives") {
        let name = case["name"].as_str().unwrap();
        let template = case["text"].as_str().unwrap();
        let text = expand(template, name).unwrap();
        let scan = scan_secrets(&scanner, &[(case["path"].as_str().unwrap(), &encode_base64(&text))], 1);
        for finding in &scan.findings {
            let rendered = serde_json::to_string(finding).unwrap();
            for secret in generated_values(template, &text) {
                assert!(!rendered.contains(&secret), "{name}: {rendered}");
            }
        }
    }
}

/// The values `expand` put into `template` to make `text`.
fn generated_values(template: &str, text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut template_rest = template;
    let mut text_rest = text;
    while let Some(at) = template_rest.find("<<ward:") {
        text_rest = &text_rest[at..];
        template_rest = &template_rest[at..];
        let close = template_rest.find(">>").unwrap() + 2;
        template_rest = &template_rest[close..];
        let next_literal = template_rest.split("<<ward:").next().unwrap();
        let end = if next_literal.is_empty() { text_rest.len() } else { text_rest.find(next_literal).unwrap() };
        values.push(text_rest[..end].to_owned());
        text_rest = &text_rest[end..];
    }
    values
}

/// A 1 MB minified line full of keyword hits stays linear: every window is bounded.
#[test]
fn a_long_line_full_of_keywords_is_scanned_without_blowing_up() {
    let scanner = scanner();
    let mut line = String::with_capacity(1 << 20);
    while line.len() < (1 << 20) {
        line.push_str("var token=a.token||b;var secret=c.secret;function password(){return\"x\"}");
    }
    let (found, _) = found(&scanner, "dist/app.min.js", &line);
    assert!(found.is_empty(), "{found:?}");
}
