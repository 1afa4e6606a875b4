//! JSON as conftest reads it: one value, or — for newline-delimited JSON — the array of the
//! values one after another.

use serde_json::Value;

use crate::document::{LineIndex, Position, Span};
use crate::parse::ParseError;

/// One JSON value, nothing after it.
pub(super) fn parse_one(text: &str) -> Result<Value, ParseError> {
    serde_json::from_str::<Value>(text).map_err(|error| error_at(text, &error))
}

pub(super) fn parse(text: &str) -> Result<Value, ParseError> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(value),
        Err(single) => {
            let values: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(text).into_iter::<Value>().collect();
            match values {
                Ok(values) if values.len() > 1 => Ok(Value::Array(values)),
                _ => Err(error_at(text, &single)),
            }
        }
    }
}

fn error_at(text: &str, error: &serde_json::Error) -> ParseError {
    let line = u32::try_from(error.line()).unwrap_or(u32::MAX).max(1);
    let column = u32::try_from(error.column()).unwrap_or(u32::MAX).max(1);
    let offset = LineIndex::new(text).offset(text, Position { line, column });
    ParseError::new(format!("invalid JSON: {error}"), Span::new(offset, offset))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn one_value_or_one_per_line() {
        assert_eq!(parse("{\"a\": [1, 2.5]}").unwrap(), serde_json::json!({"a": [1, 2.5]}));
        assert_eq!(parse("{\"a\": 1}\n{\"a\": 2}\n").unwrap(), serde_json::json!([{"a": 1}, {"a": 2}]));
        assert!(parse("{\"a\": }").unwrap_err().message.starts_with("invalid JSON"));
    }
}
