//! Helpers shared by the engine's integration tests: fixture discovery, schema validation and
//! the source-map property.

#![allow(dead_code)] // each test binary uses its own subset

pub(crate) mod kustomize;
pub(crate) mod kustomize_cases;
pub(crate) mod mutate;

use std::path::{Path, PathBuf};

use serde_json::Value;
use ward_engine::{Document, DocumentKind};

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir`, recursively, sorted; hidden files included, `.expect` files not.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_none_or(|ext| ext != "expect") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Validates `value` against `schemas/<name>.schema.json`; the errors, as text.
pub(crate) fn schema_errors(name: &str, value: &Value) -> Vec<String> {
    let path = repo_root().join("schemas").join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The source-map property: every value in the document (containers and leaves) has an exact
/// entry, and each string leaf's span holds that string as written. "As written" allows for
/// quotes, escapes, folded lines and line continuations: the value's characters, without
/// whitespace, quotes and backslashes, must appear in order in the span's text. Values that a
/// parser derives rather than copies (a Dockerfile's lower-cased `cmd`, `form`, a Terraform
/// `config` value resolved from a variable) are only required to have an entry.
pub(crate) fn source_map_violations(document: &Document) -> Vec<String> {
    let mut violations = Vec::new();
    walk(document, &document.value, String::new(), &mut violations, 0);
    violations
}

fn walk(document: &Document, value: &Value, pointer: String, violations: &mut Vec<String>, depth: usize) {
    assert!(depth < 512, "value nested too deep at {pointer}");
    let Some(span) = document.source_map.get(&pointer) else {
        violations.push(format!("{}: no source map entry for `{pointer}`", document.path));
        return;
    };
    if span.end > document.text.len() || span.start > span.end {
        violations.push(format!("{}: span {span:?} of `{pointer}` is outside the text", document.path));
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                walk(document, child, ward_engine::pointer_push(&pointer, key), violations, depth + 1);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(document, child, format!("{pointer}/{index}"), violations, depth + 1);
            }
        }
        Value::String(string) if !is_derived(document.kind, &pointer) => {
            let text = document.text.get(span.start..span.end).unwrap_or_default();
            // A value brought in by an alias or a merge key is located where it is used (`*base`,
            // `<<: *base`): that is where a finding about it belongs, not at the anchor.
            let used_through_alias = text.starts_with('*') || text.starts_with("<<");
            // A `!!binary` scalar's value is its decoded content.
            let binary = document.text.get(..span.start).is_some_and(|before| before.trim_end().ends_with("!!binary"));
            // `.Inf`, `+.INF`, `.NaN` are all spellings of the same values.
            let non_finite = matches!(string.as_str(), ".inf" | "-.inf" | ".nan")
                && text.to_ascii_lowercase().trim_start_matches('+') == string.as_str();
            if !used_through_alias && !binary && !non_finite && !appears_in(string, &unescape(strip_tag(text))) {
                violations.push(format!(
                    "{}: `{pointer}` is {string:?} but its span {}..{} holds {text:?}",
                    document.path, span.start, span.end
                ));
            }
        }
        _ => {}
    }
}

fn is_derived(kind: DocumentKind, pointer: &str) -> bool {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    match kind {
        // A stage's `base` has the global ARGs substituted; a package `operation` is ward's
        // word for what the subcommand does (`apk add` installs).
        DocumentKind::Dockerfile => matches!(last, "cmd" | "form" | "operation") || pointer.contains("/base/"),
        DocumentKind::Dotenv => {
            matches!(last, "quote") || pointer.contains("/references/") || pointer.starts_with("/duplicates/")
        }
        // Resolved values and the block header are derived; `expressions` must match exactly,
        // which `terraform_expressions_are_verbatim` checks.
        DocumentKind::Terraform => true,
        // The language comes from the extension, the accessor's name is ward's.
        DocumentKind::Code => pointer == "/language" || last == "via",
        // Operations and directions are ward's words for what the SQL or call does; markers
        // are lower-cased.
        DocumentKind::Migration => {
            matches!(last, "format" | "dialect" | "operation" | "direction" | "via") || pointer.contains("/markers/")
        }
        // Dates are normalised to RFC 3339 UTC.
        DocumentKind::FeatureFlags => matches!(last, "format" | "created" | "updated"),
        _ => false,
    }
}

/// A YAML scalar's text without a leading tag (`!ENV ${HOME}`, `!!str 10`).
fn strip_tag(text: &str) -> &str {
    match text.strip_prefix('!') {
        Some(rest) => rest.split_once(char::is_whitespace).map_or("", |(_, value)| value),
        None => text,
    }
}

/// Decodes the escapes of a double-quoted YAML or JSON string (`\u00e9`, `\t`, `\x41`…).
fn unescape(text: &str) -> String {
    if !text.starts_with('"') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex_value = |chars: &mut std::str::Chars, n: usize| {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16).ok()
        };
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('a') => out.push('\u{7}'),
            Some('v') => out.push('\u{b}'),
            Some('e') => out.push('\u{1b}'),
            Some('u') => {
                let Some(unit) = hex_value(&mut chars, 4) else { continue };
                // JSON writes characters beyond the BMP as a surrogate pair: `\ud83d\ude00`.
                if (0xD800..0xDC00).contains(&unit) {
                    let mut lookahead = chars.clone();
                    if lookahead.next() == Some('\\') && lookahead.next() == Some('u') {
                        if let Some(low) = hex_value(&mut lookahead, 4) {
                            chars = lookahead;
                            out.extend(char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)));
                            continue;
                        }
                    }
                }
                out.extend(char::from_u32(unit));
            }
            Some('U') => out.extend(hex_value(&mut chars, 8).and_then(char::from_u32)),
            Some('x') => out.extend(hex_value(&mut chars, 2).and_then(char::from_u32)),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn significant(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\\'))
}

fn appears_in(value: &str, text: &str) -> bool {
    let mut haystack = significant(text);
    significant(value).all(|needle| haystack.any(|c| c == needle))
}

/// Terraform's `expressions` are the source text itself, byte for byte.
pub(crate) fn terraform_expressions_are_verbatim(document: &Document) -> Vec<String> {
    let mut violations = Vec::new();
    for (pointer, span) in document.source_map.iter() {
        if !pointer.contains("/expressions/") {
            continue;
        }
        if let Some(Value::String(expression)) = document.value.pointer(pointer) {
            let text = document.text.get(span.start..span.end).unwrap_or_default();
            if expression != text {
                violations.push(format!("{}: `{pointer}` is {expression:?}, its span holds {text:?}", document.path));
            }
        }
    }
    violations
}
