//! YAML as conftest reads it: the text is cut at every `---` line between two line breaks
//! (`\r\n` when the file has any), each piece read on its own — an empty piece is a `null`
//! document, which conftest still checks — and a stream of more than one piece is an array of
//! documents. A file that starts with a `%` directive keeps it with its first document. Scalars
//! follow YAML 1.1, as Kubernetes' `sigs.k8s.io/yaml` reads them.

use serde_json::Value;

use super::ConftestParsed;
use crate::document::Span;
use crate::parse::yaml::{parse_stream, ScalarRules};
use crate::parse::{Limits, ParseError};

pub(super) fn parse(text: &str, limits: &Limits) -> Result<ConftestParsed, ParseError> {
    let pieces = split(text);
    if pieces.len() <= 1 {
        return Ok(ConftestParsed { value: first_document(text, 0, limits)?, document_spans: vec![Span::new(0, 0)] });
    }
    let mut documents = Vec::with_capacity(pieces.len());
    let mut spans = Vec::with_capacity(pieces.len());
    for span in pieces {
        let piece = text.get(span.start..span.end).unwrap_or("");
        documents.push(first_document(piece, span.start, limits)?);
        spans.push(span);
    }
    Ok(ConftestParsed { value: Value::Array(documents), document_spans: spans })
}

/// The first document of `piece` (at byte `offset` of the file), `null` when it has none.
fn first_document(piece: &str, offset: usize, limits: &Limits) -> Result<Value, ParseError> {
    let parsed = parse_stream(piece, ScalarRules::Yaml11, limits).map_err(|mut error| {
        error.span = Span::new(error.span.start + offset, error.span.end + offset);
        error
    })?;
    Ok(match parsed.value {
        Value::Array(mut documents) if !documents.is_empty() => documents.swap_remove(0),
        _ => Value::Null,
    })
}

/// The spans of the pieces conftest reads as documents.
fn split(text: &str) -> Vec<Span> {
    let separator = if text.contains("\r\n") { "\r\n---\r\n" } else { "\n---\n" };
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices(separator) {
        pieces.push(Span::new(start, at));
        start = at + separator.len();
    }
    pieces.push(Span::new(start, text.len()));
    // A directive belongs to the first document, not a document of its own.
    if text.starts_with('%') && pieces.len() > 1 {
        let first = pieces.remove(0);
        if let Some(second) = pieces.first_mut() {
            second.start = first.start;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn streams_are_cut_as_conftest_cuts_them() {
        let parsed = parse("a: 1\n---\nb: yes\n---\n", &Limits::default()).unwrap();
        assert_eq!(parsed.value, serde_json::json!([{"a": 1}, {"b": true}, null]));
        assert_eq!(parsed.document_spans[1], Span::new(9, 15));
        let single = parse("---\nkind: Service\n", &Limits::default()).unwrap();
        assert_eq!(single.value, serde_json::json!({"kind": "Service"}));
        assert_eq!(parse("", &Limits::default()).unwrap().value, Value::Null);
        let directive = parse("%YAML 1.1\n---\na: 1\n---\nb: 2\n", &Limits::default()).unwrap();
        assert_eq!(directive.value, serde_json::json!([{"a": 1}, {"b": 2}]));
    }
}
