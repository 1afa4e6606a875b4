//! INI files as conftest reads them (`go-ini`): an object of sections, each an object of its
//! keys. Keys before the first section (go-ini's `DEFAULT` section) are left out, as conftest
//! leaves them out. A value that reads as a number becomes one, then one that reads as a
//! boolean (`true`, `F`…); everything else stays a string. Unquoted values end at the first
//! `#` or `;`; quoted values lose their quotes. A key set twice keeps its last value.
//!
//! The source map has a section's span from its header to its last key, with the header's name
//! as its key span, and each key's value with its name.

use serde_json::{Map, Value};

use crate::document::{pointer_push, Parsed, SourceMap, Span};
use crate::parse::ParseError;

pub(crate) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut sections: Map<String, Value> = Map::new();
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    let mut current: Option<String> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let line = raw.trim();
        // Where the trimmed line starts and ends in the text.
        let start = at + (raw.len() - raw.trim_start().len());
        let end = start + line.len();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(end) = header.find(']') else {
                return Err(ParseError::new("unclosed section: a `[` without its `]`", Span::new(at, at + raw.len())));
            };
            let name = header.get(..end).unwrap_or("").trim().to_owned();
            current = (name != "DEFAULT").then(|| name.clone());
            if let Some(name) = &current {
                sections.entry(name.clone()).or_insert_with(|| Value::Object(Map::new()));
                let pointer = pointer_push("", name);
                if source_map.get(&pointer).is_none() {
                    source_map.insert(pointer.clone(), Span::new(start, start + line.len()));
                    source_map.insert_key(pointer, Span::new(start + 1, start + 1 + end));
                }
            }
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err(ParseError::new(
                "key-value delimiter not found: expected `key = value`",
                Span::new(at, at + raw.len()),
            ));
        };
        let key = line.get(..split).unwrap_or("").trim().trim_matches('`').to_owned();
        let after = line.get(split + 1..).unwrap_or("");
        let value = value_of(after);
        let Some(section) = &current else { continue };
        if let Some(Value::Object(keys)) = sections.get_mut(section) {
            keys.insert(key.clone(), typed(&value));
            let section_pointer = pointer_push("", section);
            let pointer = pointer_push(&section_pointer, &key);
            let value_start = start + split + 1 + (after.len() - after.trim_start().len());
            source_map.insert(pointer.clone(), Span::new(value_start, end));
            let written = line.get(..split).unwrap_or("").trim_end().len();
            source_map.insert_key(pointer, Span::new(start, start + written));
            if let Some(span) = source_map.get(&section_pointer) {
                source_map.insert(section_pointer, span.cover(Span::new(start, end)));
            }
        }
    }
    Ok(Parsed { value: Value::Object(sections), source_map })
}

/// A value as written after its delimiter: unquoted, or cut at an inline comment.
fn value_of(raw: &str) -> String {
    let raw = raw.trim();
    for quote in ["\"\"\"", "\"", "'", "`"] {
        if let Some(inner) = raw.strip_prefix(quote) {
            if let Some(end) = inner.find(quote) {
                return inner.get(..end).unwrap_or("").to_owned();
            }
        }
    }
    match raw.find(['#', ';']) {
        Some(at) => raw.get(..at).unwrap_or("").trim().to_owned(),
        None => raw.to_owned(),
    }
}

/// A number if Go's `ParseFloat` reads one, then a boolean if `ParseBool` does, else the text.
fn typed(value: &str) -> Value {
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite() && !value.is_empty());
    let plain = value.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_'));
    if let (Some(number), true) = (number, plain) {
        if number.fract() == 0.0 && number.abs() < 1e15 {
            #[allow(clippy::cast_possible_truncation)]
            return Value::from(number as i64);
        }
        if let Some(number) = serde_json::Number::from_f64(number) {
            return Value::Number(number);
        }
    }
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Value::Bool(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Value::Bool(false),
        _ => Value::String(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sections_of_typed_keys() {
        let text = "app_mode = production\n\n[users]\nallow_sign_up = false\nverify_email_enabled = False ; inline\n[server]\nhttp_port = 3000\nratio = 0.5\nroot_url = \"%(protocol)s://x\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.value,
            serde_json::json!({
                "users": {"allow_sign_up": false, "verify_email_enabled": false},
                "server": {"http_port": 3000, "ratio": 0.5, "root_url": "%(protocol)s://x"}
            })
        );
        assert!(parse("[a]\nnovalue\n").is_err());
        let at = |pointer: &str| {
            let span = parsed.source_map.get(pointer).unwrap();
            text.get(span.start..span.end).unwrap().to_owned()
        };
        assert_eq!(at("/server/http_port"), "3000");
        assert_eq!(at("/server"), "[server]\nhttp_port = 3000\nratio = 0.5\nroot_url = \"%(protocol)s://x\"");
        let key = parsed.source_map.key("/users/allow_sign_up").unwrap();
        assert_eq!(text.get(key.start..key.end), Some("allow_sign_up"));
    }
}
