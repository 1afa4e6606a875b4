//! Java `.properties` files as conftest reads them (`magiconair/properties`): a flat
//! `{key: value}` map of strings. `#` and `!` start comments; a key ends at the first unescaped
//! `=`, `:` or space; a line ending in a backslash goes on on the next line (its leading spaces
//! dropped); `\t`, `\n`, `\r`, `\f` and `\uXXXX` are escapes. A key set twice keeps its last
//! value.

//!
//! The source map has each key's logical line as its value's span, with the key's name.

use serde_json::{Map, Value};

use crate::document::{pointer_push, Parsed, SourceMap, Span};
use crate::parse::ParseError;

pub(crate) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut map = Map::new();
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    // Each line with the offset it starts at, without its line break.
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        lines.push((offset, raw.trim_end_matches(['\n', '\r'])));
        offset += raw.len();
    }
    let mut index = 0;
    while let Some(&(at, first)) = lines.get(index) {
        index += 1;
        let trimmed = first.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        let start = at + (first.len() - trimmed.len());
        let mut end = at + first.len();
        let mut logical = trimmed.to_owned();
        while ends_in_escape(&logical) {
            logical.pop();
            let Some(&(next_at, next)) = lines.get(index) else { break };
            index += 1;
            end = next_at + next.len();
            logical.push_str(next.trim_start());
        }
        let (key, value) = split(&logical);
        let key_span = Span::new(start, start + key.len());
        let key = unescape(key).map_err(|message| ParseError::new(message, Span::new(start, end)))?;
        let value = unescape(value).map_err(|message| ParseError::new(message, Span::new(start, end)))?;
        let pointer = pointer_push("", &key);
        source_map.insert(pointer.clone(), Span::new(start, end));
        source_map.insert_key(pointer, key_span);
        map.insert(key, Value::String(value));
    }
    Ok(Parsed { value: Value::Object(map), source_map })
}

/// Whether a line ends in an odd number of backslashes.
fn ends_in_escape(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// The key and value of a logical line, both still escaped.
fn split(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\u{c}' => {
                let key = line.get(..at).unwrap_or("");
                let rest = line.get(at..).unwrap_or("").trim_start_matches([' ', '\t', '\u{c}']);
                let rest = match rest.strip_prefix(['=', ':']) {
                    Some(after) if c != '=' && c != ':' => after,
                    _ if c == '=' || c == ':' => rest.get(1..).unwrap_or(""),
                    _ => rest,
                };
                return (key, rest.trim_start_matches([' ', '\t', '\u{c}']));
            }
            _ => {}
        }
    }
    (line, "")
}

fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let digits: String = chars.by_ref().take(4).collect();
                let code =
                    u32::from_str_radix(&digits, 16).map_err(|_| format!("invalid unicode escape \\u{digits}"))?;
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_flat_map_of_strings() {
        let text = "# comment\n    SAMPLE_KEY=https://example.com/\n! some comment=not-a-prop\nmy-property=some-value\nspaced : value\nlong = a\\\n    b\nescaped\\ key = \\u0041\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.value,
            serde_json::json!({
                "SAMPLE_KEY": "https://example.com/", "my-property": "some-value", "spaced": "value",
                "long": "ab", "escaped key": "A"
            })
        );
        let at = |pointer: &str| {
            let span = parsed.source_map.get(pointer).unwrap();
            text.get(span.start..span.end).unwrap()
        };
        assert_eq!(at("/SAMPLE_KEY"), "SAMPLE_KEY=https://example.com/");
        assert_eq!(at("/long"), "long = a\\\n    b");
        let crlf = parse("a=1\r\nb=2\r\n").unwrap();
        assert_eq!(crlf.source_map.get("/b"), Some(Span::new(5, 8)));
    }
}
