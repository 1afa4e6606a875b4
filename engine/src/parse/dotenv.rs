//! `.env` files, read the way docker compose, python-dotenv and motdotla/dotenv read them:
//! `KEY=value` lines with an optional `export`, comments, single quotes (literal), double quotes
//! (escapes, several lines), inline comments after unquoted values. References (`${X}`, `$X`)
//! are kept as written and listed. Every entry stays, in order, so a duplicate key is visible.

use serde_json::{json, Map, Value};

use super::{Limits, ParseError};
use crate::document::{pointer_push, LineIndex, Parsed, SourceMap, Span};

/// One `KEY=value` line (or several lines, for a quoted value).
struct Entry {
    key: String,
    value: String,
    quote: Option<Quote>,
    export: bool,
    whole: Span,
    key_span: Span,
    value_span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Single,
    Double,
}

/// Parses a dotenv file.
///
/// ```
/// use ward_engine::parse::{dotenv, Limits};
/// let parsed = dotenv::parse("export A=1\nB=\"two\\nlines\" # note\nA=${B}\n", &Limits::default()).unwrap();
/// assert_eq!(parsed.value["entries"][1]["value"], "two\nlines");
/// assert_eq!(parsed.value["entries"][2]["references"][0], "B");
/// assert_eq!(parsed.value["duplicates"][0], "A");
/// ```
pub fn parse(text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at < text.len() {
        at = skip_spaces(text, at);
        match text.as_bytes().get(at) {
            None => break,
            Some(b'\n') => at += 1,
            Some(b'\r') if text.as_bytes().get(at + 1) == Some(&b'\n') => at += 2,
            Some(b'#') => at = end_of_line(text, at),
            Some(_) => {
                let (entry, next) = parse_entry(text, at)?;
                entries.push(entry);
                at = next;
            }
        }
    }
    Ok(build(text, entries))
}

fn parse_entry(text: &str, start: usize) -> Result<(Entry, usize), ParseError> {
    let mut at = start;
    let export =
        text.get(at..).and_then(|rest| rest.strip_prefix("export")).is_some_and(|rest| rest.starts_with([' ', '\t']));
    if export {
        at = skip_spaces(text, at + "export".len());
    }
    let key_end = at + text.get(at..).unwrap_or("").find(|c: char| !is_key_char(c)).unwrap_or(text.len() - at);
    let key = text.get(at..key_end).unwrap_or("");
    if !key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        let found = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
        return Err(ParseError::new(
            format!(
                "expected a variable name (a letter or `_`, then letters, digits, `_`, `.` or `-`), found `{found}`"
            ),
            Span::new(at, at + found.len_utf8().min(text.len() - at)),
        ));
    }
    let key_span = Span::new(at, key_end);
    at = skip_spaces(text, key_end);
    if text.as_bytes().get(at) != Some(&b'=') {
        return Err(ParseError::new(
            format!("expected `=` after `{key}`: a line must be `KEY=value`"),
            Span::new(at, at),
        )
        .with_help("comments start with `#`; a value with spaces or `#` can be quoted"));
    }
    at = skip_spaces(text, at + 1);
    let (value, quote, value_span, next) = match text.as_bytes().get(at) {
        Some(b'\'') => {
            let close = text.get(at + 1..).and_then(|rest| rest.find('\'')).map(|offset| at + 1 + offset);
            let Some(close) = close else { return Err(unterminated(at, '\'')) };
            let value = text.get(at + 1..close).unwrap_or("").to_owned();
            (value, Some(Quote::Single), Span::new(at, close + 1), close + 1)
        }
        Some(b'"') => {
            let (value, close) = double_quoted(text, at)?;
            (value, Some(Quote::Double), Span::new(at, close + 1), close + 1)
        }
        _ => {
            let line_end = end_of_content(text, at);
            let line = text.get(at..line_end).unwrap_or("");
            // ` #` starts a comment; a `#` inside a value (`a#b`) does not. Right after `=` and
            // white space (`A= #c`) it is a comment too.
            let spaced_after_equals = at > key_span.end + 1;
            let comment = line.match_indices('#').map(|(i, _)| i).find(|&i| {
                let before = line.get(..i).unwrap_or("");
                (i == 0 && spaced_after_equals) || before.ends_with([' ', '\t'])
            });
            let value_text = comment.and_then(|i| line.get(..i)).unwrap_or(line);
            let value = value_text.trim_end();
            (value.to_owned(), None, Span::new(at, at + value.len()), at + value.len())
        }
    };
    // After a closing quote only white space and a comment may follow on that line.
    let rest_start = skip_spaces(text, next);
    let line_end = end_of_content(text, rest_start);
    let rest = text.get(rest_start..line_end).unwrap_or("");
    if quote.is_some() && !rest.is_empty() && !rest.starts_with('#') {
        return Err(ParseError::new(
            format!("unexpected `{}` after the closing quote", rest.chars().next().unwrap_or(' ')),
            Span::new(rest_start, rest_start + rest.chars().next().map_or(0, char::len_utf8)),
        )
        .with_help("quote the whole value, or put a `#` before a comment"));
    }
    let entry = Entry {
        key: key.to_owned(),
        value,
        quote,
        export,
        whole: Span::new(start, value_span.end),
        key_span,
        value_span,
    };
    Ok((entry, end_of_line(text, rest_start)))
}

/// A double-quoted value from the opening quote at `open`: its text with escapes decoded, and
/// the offset of the closing quote.
fn double_quoted(text: &str, open: usize) -> Result<(String, usize), ParseError> {
    let mut value = String::new();
    let mut chars = text.get(open + 1..).unwrap_or("").char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '"' => return Ok((value, open + 1 + offset)),
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, 't')) => value.push('\t'),
                Some((_, escaped @ ('\\' | '"' | '$'))) => value.push(escaped),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            '\r' if text.as_bytes().get(open + 1 + offset + 1) == Some(&b'\n') => {}
            other => value.push(other),
        }
    }
    Err(unterminated(open, '"'))
}

fn unterminated(open: usize, quote: char) -> ParseError {
    ParseError::new(format!("this `{quote}` is never closed"), Span::new(open, open + 1))
        .with_help(format!("a quoted value ends at the next unescaped `{quote}`, which may be on a later line"))
}

fn build(text: &str, entries: Vec<Entry>) -> Parsed {
    let lines = LineIndex::new(text);
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    source_map.insert("/entries", Span::new(0, text.len()));
    source_map.insert("/duplicates", Span::new(0, text.len()));
    let mut values = Vec::with_capacity(entries.len());
    let mut seen: Vec<&str> = Vec::new();
    let mut duplicates: Vec<(String, Span)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let pointer = pointer_push("/entries", &index.to_string());
        let raw = text.get(entry.value_span.start..entry.value_span.end).unwrap_or("");
        let references = if entry.quote == Some(Quote::Single) { Vec::new() } else { references(raw) };
        for key in ["quoted", "quote", "export", "line", "references"] {
            source_map.insert(pointer_push(&pointer, key), entry.whole);
        }
        for reference in 0..references.len() {
            source_map.insert(pointer_push(&pointer_push(&pointer, "references"), &reference.to_string()), entry.whole);
        }
        source_map.insert(pointer.clone(), entry.whole);
        source_map.insert(pointer_push(&pointer, "key"), entry.key_span);
        source_map.insert(pointer_push(&pointer, "value"), entry.value_span);
        let mut value = Map::new();
        value.insert("key".into(), json!(entry.key));
        value.insert("value".into(), json!(entry.value));
        value.insert("quoted".into(), json!(entry.quote.is_some()));
        value.insert(
            "quote".into(),
            json!(entry.quote.map(|q| match q {
                Quote::Single => "single",
                Quote::Double => "double",
            })),
        );
        value.insert("export".into(), json!(entry.export));
        value.insert("line".into(), json!(lines.position(text, entry.key_span.start).line));
        value.insert("references".into(), json!(references));
        values.push(Value::Object(value));
        if seen.contains(&entry.key.as_str()) {
            if !duplicates.iter().any(|(key, _)| *key == entry.key) {
                duplicates.push((entry.key.clone(), entry.key_span));
            }
        } else {
            seen.push(&entry.key);
        }
    }
    duplicates.sort_by(|a, b| a.0.cmp(&b.0));
    for (index, (_, span)) in duplicates.iter().enumerate() {
        source_map.insert(pointer_push("/duplicates", &index.to_string()), *span);
    }
    let duplicates: Vec<Value> = duplicates.into_iter().map(|(key, _)| Value::String(key)).collect();
    Parsed { value: json!({"entries": values, "duplicates": duplicates}), source_map }
}

/// Names referenced as `$NAME`, `${NAME}` or `${NAME:-default}` in a value as written, in
/// order, each once. An escaped `\$` is not a reference.
fn references(raw: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = raw;
    while let Some(special) = rest.find(['$', '\\']) {
        let escaped = rest.get(special..).is_some_and(|from| from.starts_with('\\'));
        rest = rest.get(special + 1..).unwrap_or("");
        if escaped {
            rest = rest.get(rest.chars().next().map_or(0, char::len_utf8)..).unwrap_or("");
            continue;
        }
        let braced = rest.starts_with('{');
        let name_start = usize::from(braced);
        let name: String = rest
            .get(name_start..)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

fn skip_spaces(text: &str, from: usize) -> usize {
    from + text.get(from..).map_or(0, |rest| rest.len() - rest.trim_start_matches([' ', '\t']).len())
}

/// The offset just past the end of the line that `from` is on.
fn end_of_line(text: &str, from: usize) -> usize {
    text.get(from..).and_then(|rest| rest.find('\n')).map_or(text.len(), |at| from + at + 1)
}

/// The offset of the end of the line's content (before `\r\n` or `\n`).
fn end_of_content(text: &str, from: usize) -> usize {
    let end = text.get(from..).and_then(|rest| rest.find('\n')).map_or(text.len(), |at| from + at);
    if end > from && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<(String, String, Option<&'static str>)> {
        let parsed = parse(text, &Limits::default()).unwrap();
        parsed.value["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let quote = match e["quote"].as_str() {
                    Some("single") => Some("single"),
                    Some("double") => Some("double"),
                    _ => None,
                };
                (e["key"].as_str().unwrap().to_owned(), e["value"].as_str().unwrap().to_owned(), quote)
            })
            .collect()
    }

    #[test]
    fn values_are_read_as_dotenv_tools_read_them() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("A=1", "A", "1", None),
            ("export A=1", "A", "1", None),
            ("A = spaced  ", "A", "spaced", None),
            ("A=", "A", "", None),
            ("A=x # comment", "A", "x", None),
            ("A=a#b", "A", "a#b", None),
            ("A= #only a comment", "A", "", None),
            ("A='lit $X \\n'", "A", "lit $X \\n", Some("single")),
            ("A=\"esc\\t\\\"q\\\" \\$X\"", "A", "esc\t\"q\" $X", Some("double")),
            ("A=\"two\nlines\"", "A", "two\nlines", Some("double")),
            ("A=\"x\" # c", "A", "x", Some("double")),
            ("A=1\r\n", "A", "1", None),
            ("app.name-x=1", "app.name-x", "1", None),
            ("exported=1", "exported", "1", None),
        ];
        for (text, key, value, quote) in cases {
            let got = entries(text);
            assert_eq!(
                got,
                vec![(
                    (*key).to_owned(),
                    (*value).to_owned(),
                    quote.map(|q| if q == "single" { "single" } else { "double" })
                )],
                "{text:?}"
            );
        }
    }

    #[test]
    fn spans_cover_keys_and_values_as_written() {
        let text = "# c\nexport KEY=\"v 1\" # x\nEMPTY=\n";
        let parsed = parse(text, &Limits::default()).unwrap();
        let at = |pointer: &str| {
            let span = parsed.source_map.get(pointer).unwrap();
            &text[span.start..span.end]
        };
        assert_eq!(at("/entries/0/key"), "KEY");
        assert_eq!(at("/entries/0/value"), "\"v 1\"");
        assert_eq!(at("/entries/0"), "export KEY=\"v 1\"");
        assert_eq!(at("/entries/1/value"), "");
        assert_eq!(parsed.value["entries"][0]["line"], 2);
    }

    #[test]
    fn duplicates_and_references_are_listed() {
        let parsed = parse("B=1\nA=${B}-$C-${D:-x}\nB=2\nA='$E'\nF=\"\\$G ${H}\"\n", &Limits::default()).unwrap();
        assert_eq!(parsed.value["duplicates"], json!(["A", "B"]));
        assert_eq!(parsed.value["entries"][1]["references"], json!(["B", "C", "D"]));
        assert_eq!(parsed.value["entries"][3]["references"], json!([]));
        assert_eq!(parsed.value["entries"][4]["references"], json!(["H"]), "an escaped `\\$G` is no reference");
        assert_eq!(parsed.value["entries"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("A=1\nnot a pair\n", (8, 8), "expected `=` after `not`"),
            ("A=1\n=2\n", (4, 5), "expected a variable name"),
            ("A=\"open\nB=1\n", (2, 3), "never closed"),
            ("A='open\n", (2, 3), "never closed"),
            ("A=\"x\"y\n", (5, 6), "after the closing quote"),
            ("1A=x\n", (0, 1), "expected a variable name"),
        ];
        for (text, (start, end), message) in cases {
            let error = parse(text, &Limits::default()).unwrap_err();
            assert_eq!((error.span.start, error.span.end), (*start, *end), "{text:?}: {}", error.message);
            assert!(error.message.contains(message), "{text:?}: {}", error.message);
        }
    }
}
