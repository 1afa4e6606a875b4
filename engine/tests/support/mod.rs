//! Helpers shared by the engine's integration tests: fixture discovery, schema validation and
//! the source-map property.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use serde_json::Value;
use ward_engine::{Document, DocumentKind};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir`, recursively, sorted; hidden files included, `.expect` files not.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
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
pub fn schema_errors(name: &str, value: &Value) -> Vec<String> {
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
pub fn source_map_violations(document: &Document) -> Vec<String> {
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
                walk(document, child, ward_engine::document::pointer_push(&pointer, key), violations, depth + 1);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(document, child, format!("{pointer}/{index}"), violations, depth + 1);
            }
        }
        Value::String(string) if !is_derived(document.kind, &pointer) => {
            let text = document.text.get(span.start..span.end).unwrap_or_default();
            if !appears_in(string, text) {
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
        DocumentKind::Dockerfile => matches!(last, "cmd" | "form"),
        DocumentKind::Dotenv => {
            matches!(last, "quote") || pointer.contains("/references/") || pointer.starts_with("/duplicates/")
        }
        // Resolved values and the block header are derived; `expressions` must match exactly
        // (checked separately by `terraform_expressions_are_verbatim`).
        DocumentKind::Terraform => !pointer.contains("/expressions/"),
        _ => false,
    }
}

fn significant(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\\'))
}

fn appears_in(value: &str, text: &str) -> bool {
    let mut haystack = significant(text);
    significant(value).all(|needle| haystack.any(|c| c == needle))
}

/// Terraform's `expressions` are the source text itself, byte for byte.
pub fn terraform_expressions_are_verbatim(document: &Document) -> Vec<String> {
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
