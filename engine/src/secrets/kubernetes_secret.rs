//! The values of a Kubernetes `Secret` manifest, as the cluster will hold them: `data` entries
//! decoded from base64 (a base64 `changeme` is a placeholder, a base64 random string a
//! password), `stringData` entries as written. Each keeps the span of its raw value, so a
//! finding points at the key's line. Read from the YAML text by indentation, one document
//! (between `---` lines) at a time, at bounded cost: only documents whose top-level `kind` is
//! `Secret`, and only their top-level `data` and `stringData` blocks.

use std::borrow::Cow;

use super::assignment::{read_line, Assignment, Format, Line};
use crate::document::Span;

/// How many entries of one file are read, at most.
const MAX_ENTRIES: usize = 1000;

/// One entry of a Secret's `data` or `stringData`, its value decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecretEntry<'t> {
    pub key: &'t str,
    pub value: String,
    /// Where the raw (encoded) value is.
    pub span: Span,
    /// The block the entry is in: every line of it is read here, not as plain YAML.
    pub block: Span,
}

/// Whether `text` may hold a Secret manifest: the cheap test before [`entries`].
pub(crate) fn may_hold_secret(text: &str) -> bool {
    text.contains("kind: Secret") || text.contains("kind: \"Secret\"") || text.contains("kind: 'Secret'")
}

/// The entries of every Secret manifest in the YAML `text`, in text order. A `data` value that is
/// not base64 of UTF-8 text (a binary keystore) is left out: it is no password to judge.
pub(crate) fn entries(text: &str) -> Vec<SecretEntry<'_>> {
    let mut found = Vec::new();
    let mut document_start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            read_document(text, document_start, offset, &mut found);
            document_start = offset + line.len();
        }
        offset += line.len();
        if found.len() >= MAX_ENTRIES {
            return found;
        }
    }
    read_document(text, document_start, text.len(), &mut found);
    found
}

fn read_document<'t>(text: &'t str, start: usize, end: usize, found: &mut Vec<SecretEntry<'t>>) {
    let Some(document) = text.get(start..end) else { return };
    let is_secret = document
        .lines()
        .any(|line| line.strip_prefix("kind:").is_some_and(|kind| kind.trim().trim_matches(['"', '\'']) == "Secret"));
    if !is_secret {
        return;
    }
    let mut offset = start;
    // The block being read: whether its values are base64, and where it started.
    let mut block: Option<(bool, usize)> = None;
    let mut pending: Vec<(Line<'t>, bool, usize)> = Vec::new();
    for line in document.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let top_level = !content.starts_with([' ', '\t']) && !content.is_empty() && !content.starts_with('#');
        if top_level {
            block = match content.split(':').next().map(str::trim) {
                Some("data") => Some((true, line_start)),
                Some("stringData") => Some((false, line_start)),
                _ => None,
            };
            continue;
        }
        if let Some((encoded, block_start)) = block {
            let line = Line { text, start: line_start, end: line_start + content.len() };
            pending.push((line, encoded, block_start));
        }
    }
    let block_end = |block_start: usize| {
        pending
            .iter()
            .filter(|(_, _, start)| *start == block_start)
            .map(|(line, _, _)| line.end)
            .max()
            .unwrap_or(block_start)
    };
    let mut assignments = Vec::new();
    for (line, encoded, block_start) in &pending {
        assignments.clear();
        read_line(Format::Yaml, *line, &mut assignments);
        let Some(Assignment { key, value, span }) = assignments.first().cloned() else { continue };
        let value = if *encoded { decode(&value) } else { Some(value.into_owned()) };
        let Some(value) = value else { continue };
        found.push(SecretEntry { key, value, span, block: Span::new(*block_start, block_end(*block_start)) });
    }
}

/// `value` decoded from base64 (padded or not), if it is base64 of UTF-8 text.
fn decode(value: &str) -> Option<String> {
    let value: Cow<str> = if value.contains(char::is_whitespace) {
        Cow::Owned(value.split_whitespace().collect())
    } else {
        Cow::Borrowed(value)
    };
    let bytes = data_encoding::BASE64
        .decode(value.as_bytes())
        .or_else(|_| data_encoding::BASE64_NOPAD.decode(value.as_bytes()))
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn data_is_decoded_and_string_data_kept_at_their_lines() {
        let text = "apiVersion: v1\ndata:\n  password: Y2hhbmdlbWU=\n  blob: //79\nkind: Secret\nstringData:\n  token: as-is\n---\nkind: ConfigMap\ndata:\n  password: Y2hhbmdlbWU=\n";
        let entries = entries(text);
        let read: Vec<(&str, &str, &str)> =
            entries.iter().map(|e| (e.key, e.value.as_str(), &text[e.span.start..e.span.end])).collect();
        assert_eq!(read, [("password", "changeme", "Y2hhbmdlbWU="), ("token", "as-is", "as-is")]);
        assert!(may_hold_secret(text));
        assert!(entries[0].block.start < entries[0].span.start && entries[0].span.end <= entries[0].block.end);
    }
}
