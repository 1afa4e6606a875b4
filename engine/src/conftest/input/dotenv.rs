//! `.env` files as conftest reads them (`gotenv`): a flat `{KEY: value}` map, a key set twice
//! keeping its last value, and `${KEY}` / `$KEY` in unquoted and double-quoted values replaced
//! by the value of a key set earlier in the file (an unknown key by the empty string — ward
//! does not read the process environment into a policy's input). Single-quoted values are
//! literal. The lines themselves are read by ward's dotenv parser.

use serde_json::{Map, Value};

use crate::parse::{Limits, ParseError};

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Value, ParseError> {
    let parsed = crate::parse::dotenv::parse(text, limits)?;
    let mut map = Map::new();
    for entry in parsed.value.get("entries").and_then(Value::as_array).into_iter().flatten() {
        let Some(key) = entry.get("key").and_then(Value::as_str) else { continue };
        let value = entry.get("value").and_then(Value::as_str).unwrap_or("");
        let literal = entry.get("quote").and_then(Value::as_str) == Some("single");
        let value = if literal { value.to_owned() } else { expand(value, &map) };
        map.insert(key.to_owned(), Value::String(value));
    }
    Ok(Value::Object(map))
}

/// `value` with `${KEY}` and `$KEY` replaced from `known`; `\$` keeps a literal dollar.
fn expand(value: &str, known: &Map<String, Value>) -> String {
    let lookup = |key: &str| known.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    let mut out = String::with_capacity(value.len());
    let mut chars = value.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|(_, next)| *next == '$') => {
                out.push('$');
                chars.next();
            }
            '$' => {
                let rest = value.get(at + 1..).unwrap_or("");
                if let Some(braced) = rest.strip_prefix('{') {
                    if let Some(end) = braced.find('}') {
                        let name = braced.get(..end).unwrap_or("");
                        out.push_str(&lookup(name));
                        // Past `{`, the name and `}`.
                        for _ in 0..name.chars().count() + 2 {
                            chars.next();
                        }
                        continue;
                    }
                }
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if name.is_empty() {
                    out.push('$');
                } else {
                    out.push_str(&lookup(&name));
                    for _ in 0..name.chars().count() {
                        chars.next();
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_flat_map_with_references_expanded() {
        let text =
            "export HOST=db\nURL=\"postgres://${HOST}:5432\"\nRAW='${HOST}'\nBARE=$HOST/x\nHOST=cache\nPRICE=\\$5\n";
        let value = parse(text, &Limits::default()).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"HOST": "cache", "URL": "postgres://db:5432", "RAW": "${HOST}", "BARE": "db/x", "PRICE": "$5"})
        );
    }
}
