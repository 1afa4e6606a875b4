//! ward's own files — `pack.toml`, `ward.toml` — checked against the JSON Schemas in `schemas/`
//! (embedded in the binary), with each violation at the line and column of what is wrong: the
//! value, or for a key that should not be there, the key.

use std::sync::OnceLock;

use serde_json::Value;

use crate::document::{pointer_push, SourceMap, Span};

/// A schema compiled on first use.
pub(crate) struct EmbeddedSchema {
    /// The schema's file name, for messages.
    pub name: &'static str,
    pub text: &'static str,
    compiled: OnceLock<Result<(Value, jsonschema::Validator), String>>,
}

/// Where a value breaks its schema, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Violation {
    pub pointer: String,
    /// The fault is the key itself (one that should not be there), not its value.
    pub on_key: bool,
    pub message: String,
}

impl Violation {
    /// Where it is in the source.
    pub fn span(&self, source_map: &SourceMap) -> Span {
        let value = || source_map.lookup(&self.pointer).map_or(Span::new(0, 0), |(_, span)| span);
        match self.on_key {
            true => source_map.key(&self.pointer).unwrap_or_else(value),
            false => value(),
        }
    }
}

impl EmbeddedSchema {
    pub const fn new(name: &'static str, text: &'static str) -> EmbeddedSchema {
        EmbeddedSchema { name, text, compiled: OnceLock::new() }
    }

    /// The first violation in pointer order, if any.
    pub fn first_violation(&self, value: &Value) -> Option<Violation> {
        let compiled = self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.text).map_err(|e| e.to_string())?;
            let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
            Ok((schema, validator))
        });
        let (schema, validator) = match compiled {
            Ok(compiled) => compiled,
            // The schemas are part of the binary and tested; only a broken build gets here.
            Err(error) => {
                return Some(Violation {
                    pointer: String::new(),
                    on_key: false,
                    message: format!("ward's schema {} does not load: {error}", self.name),
                })
            }
        };
        let mut violations: Vec<Violation> = validator
            .iter_errors(value)
            .map(|error| {
                let at = error.instance_path().as_str().to_owned();
                match error.kind() {
                    jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                        let key = unexpected.first().cloned().unwrap_or_default();
                        // The keys allowed are the `properties` beside the failing keyword.
                        let keyword = error.schema_path().as_str();
                        let parent = keyword.rsplit_once('/').map_or("", |(parent, _)| parent);
                        let allowed: Vec<&str> = schema
                            .pointer(&format!("{parent}/properties"))
                            .and_then(Value::as_object)
                            .map(|properties| properties.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        let message = match allowed.is_empty() {
                            true => format!("unknown key `{key}`"),
                            false => format!("unknown key `{key}`; expected one of {}", allowed.join(", ")),
                        };
                        Violation { pointer: pointer_push(&at, &key), on_key: true, message }
                    }
                    _ => Violation { pointer: at, on_key: false, message: error.to_string() },
                }
            })
            .collect();
        violations.sort();
        violations.into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unknown_keys_name_the_keys_allowed_there() {
        static SCHEMA: EmbeddedSchema = EmbeddedSchema::new(
            "test",
            r#"{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "object", "additionalProperties": false, "properties": {"b": {}, "c": {}}}}}"#,
        );
        let violation = SCHEMA.first_violation(&serde_json::json!({"a": {"d": 1}})).unwrap();
        assert_eq!(violation.pointer, "/a/d");
        assert!(violation.on_key);
        assert_eq!(violation.message, "unknown key `d`; expected one of b, c");
        assert_eq!(SCHEMA.first_violation(&serde_json::json!({"a": {"b": 1}})), None);
    }
}
