//! ward's own TOML files — `pack.toml`, `ward.toml`, `ward.lock` — read with a span for every
//! value ([`TomlFile`]) and checked against the JSON Schemas in `schemas/` (embedded in the
//! binary), with each problem at the line and column of what is wrong: the value, or for a key
//! that should not be there, the key.

use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::{pointer_push, LineIndex, Parsed, Position, SourceMap, Span};

/// One of ward's own TOML files, parsed, able to say where anything in it is.
pub(crate) struct TomlFile<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
    pub parsed: Parsed,
}

impl<'a> TomlFile<'a> {
    /// Parses `text`; `path` names the file in errors.
    pub(crate) fn parse(path: &'a str, text: &'a str) -> Result<TomlFile<'a>, Diagnostic> {
        let lines = LineIndex::new(text);
        match crate::parse::toml::parse(text) {
            Ok(parsed) => Ok(TomlFile { path, text, lines, parsed }),
            Err(error) => {
                Err(Diagnostic::at_position(path, lines.position(text, error.span.start), error.message)
                    .with_source(text))
            }
        }
    }

    pub(crate) fn value(&self) -> &Value {
        &self.parsed.value
    }

    /// The span of the value at `pointer`, or of its nearest ancestor that has one.
    pub(crate) fn locate(&self, pointer: &str) -> Span {
        self.parsed.source_map.lookup(pointer).map_or(Span::new(0, 0), |(_, span)| span)
    }

    pub(crate) fn position(&self, span: Span) -> Position {
        self.lines.position(self.text, span.start)
    }

    /// An error at `span`, with the file's text for its code frame.
    pub(crate) fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_position(self.path, self.position(span), message).with_source(self.text)
    }

    /// An error at the value at `pointer` (or its nearest ancestor).
    pub(crate) fn error_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.error(self.locate(pointer), message)
    }

    /// The first schema violation, as an error at its place; `explain` may reword the
    /// schema's message for a violation.
    pub(crate) fn check(
        &self,
        schema: &EmbeddedSchema,
        explain: impl Fn(&Violation) -> Option<String>,
    ) -> Result<(), Diagnostic> {
        match schema.first_violation(self.value()) {
            None => Ok(()),
            Some(violation) => {
                let message = explain(&violation).unwrap_or_else(|| violation.message.clone());
                Err(self.error(violation.span(&self.parsed.source_map), message))
            }
        }
    }
}

/// A schema compiled on first use.
pub(crate) struct EmbeddedSchema {
    /// The schema's file name, for messages.
    pub name: &'static str,
    pub text: &'static str,
    compiled: OnceLock<Result<(Value, jsonschema::Validator), SchemaLoadError>>,
}

/// An embedded schema that does not load: only a broken build has one.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SchemaLoadError {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Schema(#[from] jsonschema::ValidationError<'static>),
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
    pub(crate) fn span(&self, source_map: &SourceMap) -> Span {
        let value = || source_map.lookup(&self.pointer).map_or(Span::new(0, 0), |(_, span)| span);
        match self.on_key {
            true => source_map.key(&self.pointer).unwrap_or_else(value),
            false => value(),
        }
    }
}

impl EmbeddedSchema {
    pub(crate) const fn new(name: &'static str, text: &'static str) -> EmbeddedSchema {
        EmbeddedSchema { name, text, compiled: OnceLock::new() }
    }

    /// The first violation in pointer order, if any.
    pub(crate) fn first_violation(&self, value: &Value) -> Option<Violation> {
        let compiled = self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.text)?;
            let validator = jsonschema::validator_for(&schema)?;
            Ok::<_, SchemaLoadError>((schema, validator))
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
