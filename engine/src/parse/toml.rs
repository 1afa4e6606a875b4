//! TOML — ward's own configuration files (`pack.toml`, `ward.toml`) — read into the same shape
//! as every other input: a JSON value and a [`SourceMap`] with the span of every key and value,
//! so that a schema violation deep in a manifest is reported at its line and column.
//!
//! `toml_edit` keeps the spans (the `toml` crate's serde path loses them) and bounds nesting
//! itself. Dates and times become strings as written.

use serde_json::{Map, Value};
use toml_edit::{Item, Table};

use super::ParseError;
use crate::document::{pointer_push, Parsed, SourceMap, Span};

/// Parses a TOML document.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let document = toml_edit::Document::parse(text).map_err(|error| {
        let span = error.span().map_or(Span::new(0, 0), |range| Span::new(range.start, range.end));
        ParseError::new(error.message().trim().to_owned(), span)
    })?;
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    let value = table(document.as_table(), "", &mut source_map);
    Ok(Parsed { value, source_map })
}

fn span_of(range: Option<std::ops::Range<usize>>) -> Option<Span> {
    range.map(|range| Span::new(range.start, range.end))
}

fn table(table: &Table, pointer: &str, source_map: &mut SourceMap) -> Value {
    let mut members = Map::new();
    for (key, item) in table.iter() {
        let child = pointer_push(pointer, key);
        if let Some(span) = span_of(table.key(key).and_then(toml_edit::Key::span)) {
            source_map.insert_key(child.clone(), span);
        }
        members.insert(key.to_owned(), self::item(item, &child, source_map));
    }
    Value::Object(members)
}

fn item(item: &Item, pointer: &str, source_map: &mut SourceMap) -> Value {
    // A table header's span is the `[header]` line; implicit tables (`[a.b]` makes `a`) have
    // none and fall back to their key.
    if let Some(span) = span_of(item.span()) {
        source_map.insert(pointer, span);
    }
    match item {
        Item::None => Value::Null,
        Item::Value(value) => self::value(value, pointer, source_map),
        Item::Table(inner) => table(inner, pointer, source_map),
        Item::ArrayOfTables(tables) => Value::Array(
            tables
                .iter()
                .enumerate()
                .map(|(index, inner)| {
                    let child = pointer_push(pointer, &index.to_string());
                    if let Some(span) = span_of(inner.span()) {
                        source_map.insert(child.clone(), span);
                    }
                    table(inner, &child, source_map)
                })
                .collect(),
        ),
    }
}

fn value(value: &toml_edit::Value, pointer: &str, source_map: &mut SourceMap) -> Value {
    use toml_edit::Value as Toml;
    if let Some(span) = span_of(value.span()) {
        source_map.insert(pointer, span);
    }
    match value {
        Toml::String(text) => Value::String(text.value().clone()),
        Toml::Integer(number) => Value::from(*number.value()),
        Toml::Float(number) => serde_json::Number::from_f64(*number.value()).map_or(Value::Null, Value::Number),
        Toml::Boolean(flag) => Value::Bool(*flag.value()),
        Toml::Datetime(moment) => Value::String(moment.value().to_string()),
        Toml::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| self::value(item, &pointer_push(pointer, &index.to_string()), source_map))
                .collect(),
        ),
        Toml::InlineTable(inline) => {
            let mut members = Map::new();
            for (key, item) in inline.iter() {
                let child = pointer_push(pointer, key);
                if let Some(span) = span_of(inline.key(key).and_then(toml_edit::Key::span)) {
                    source_map.insert_key(child.clone(), span);
                }
                members.insert(key.to_owned(), self::value(item, &child, source_map));
            }
            Value::Object(members)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn every_key_and_value_has_a_span() {
        let text = "name = \"core\"\nversion = \"1.2.3\"\n\n[dependencies]\nbase = { version = \"^1\" }\n\n[[rules]]\nid = \"A\"\n[[rules]]\nid = \"B\"\n";
        let parsed = parse(text).unwrap();
        let at = |pointer: &str| parsed.source_map.get(pointer).map(|span| &text[span.start..span.end]);
        assert_eq!(at("/name"), Some("\"core\""));
        assert_eq!(at("/dependencies/base/version"), Some("\"^1\""));
        assert_eq!(at("/rules/1/id"), Some("\"B\""));
        assert_eq!(parsed.source_map.key("/dependencies/base").map(|span| &text[span.start..span.end]), Some("base"));
        assert_eq!(parsed.value["rules"][0]["id"], "A");
    }

    #[test]
    fn errors_have_a_span_and_nesting_is_bounded() {
        assert!(parse("a = [1,\n").is_err());
        assert!(parse("a = \"x\"\na = \"y\"\n").is_err(), "duplicate keys are an error");
        let deep = format!("a = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_err());
    }

    /// The example from the documentation of `parse`.
    #[test]
    fn parse_example() {
        let parsed = crate::parse::toml::parse("name = \"core\"\n[deps]\nbase = \"^1\"\n").unwrap();
        assert_eq!(parsed.value["deps"]["base"], "^1");
        assert_eq!(parsed.source_map.get("/deps/base").map(|span| span.start), Some(28));
        let error = crate::parse::toml::parse("name = \n").unwrap_err();
        assert_eq!(error.span.start, 7);
    }
}
