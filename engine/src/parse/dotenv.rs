//! `.env` files, read the way docker compose (`env_file`), python-dotenv and motdotla/dotenv read
//! them: `KEY=value` lines with an optional `export`, `#` comments, single quotes (literal),
//! double quotes (a few escapes, several lines), inline comments after unquoted values.
//! References (`${X}`, `$X`) are kept as written and listed. Every entry stays, in order, so a key
//! set twice is visible, and the keys set more than once are listed.
//!
//! The reader is a single forward scan over the bytes, without recursion or regular expressions.
//! The first thing it cannot read is the error for the whole file. Error messages never quote the
//! file's text beyond one character, since the text they are about may be a secret.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::{Limits, ParseError};
use crate::document::{pointer_push, Parsed, SourceMap, Span};

/// One `KEY=value` line (or several lines, for a quoted value).
struct Entry {
    value: String,
    quote: Option<Quote>,
    export: bool,
    /// 1-based line of the key.
    line: usize,
    /// From `export` (or the key) to the end of the value, closing quote included.
    whole: Span,
    key: Span,
    /// The value as written, quotes included; empty right after `=` when the value is empty.
    value_span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Single,
    Double,
}

impl Quote {
    fn name(self) -> &'static str {
        match self {
            Quote::Single => "single",
            Quote::Double => "double",
        }
    }
}

/// Parses a dotenv file.
///
/// The value is `{"entries": [{"key", "value", "quoted", "quote", "export", "line",
/// "references"}…], "duplicates": [KEY…]}`; every part of it has a span in the source map.
pub(crate) fn parse(text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let bytes = text.as_bytes();
    let mut entries = Vec::new();
    // A byte order mark is not part of the first key.
    let mut at = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut line = 1;
    let mut counted_to = 0;
    loop {
        // Blank lines, indentation and stray carriage returns.
        while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            at += 1;
        }
        match bytes.get(at) {
            None => break,
            Some(b'#') => at = next_line(bytes, at),
            Some(_) => {
                line += count_newlines(bytes, counted_to, at);
                counted_to = at;
                let (entry, next) = parse_entry(text, at, line)?;
                entries.push(entry);
                at = next;
            }
        }
    }
    Ok(build(text, entries))
}

/// Reads the entry that starts at `start` (its first non-blank byte); returns it and the offset
/// of the line after it.
fn parse_entry(text: &str, start: usize, line: usize) -> Result<(Entry, usize), ParseError> {
    let bytes = text.as_bytes();
    let content_end = end_of_content(bytes, start);
    if !bytes.get(start..content_end).is_some_and(|content| content.contains(&b'=')) {
        return Err(ParseError::new(
            "expected `KEY=value`, found a line without `=`",
            Span::new(start, trim_end(bytes, start, content_end)),
        )
        .with_help("a line is `KEY=value`, a `#` comment or blank; a value that spans lines must be quoted"));
    }

    // `export KEY=…`, but `export=…` and `export = …` set a variable named `export`.
    let mut key_start = start;
    let mut export = false;
    let keyword = "export".len();
    if bytes.get(start..).is_some_and(|rest| rest.starts_with(b"export"))
        && matches!(bytes.get(start + keyword), Some(b' ' | b'\t'))
    {
        let after = skip_spaces(bytes, start + keyword);
        if bytes.get(after) != Some(&b'=') {
            export = true;
            key_start = after;
        }
    }

    let key_end = key_start
        + bytes
            .get(key_start..)
            .map_or(0, |rest| rest.iter().take_while(|b| !matches!(b, b' ' | b'\t' | b'=' | b'\r' | b'\n')).count());
    let key = Span::new(key_start, key_end);
    check_key(text, key)?;

    let equals = skip_spaces(bytes, key_end);
    if bytes.get(equals) != Some(&b'=') {
        let found = char_at(text, equals);
        let error = ParseError::new(
            format!("expected `=` after the variable name, found {}", show(found)),
            Span::new(equals, equals + found.map_or(0, char::len_utf8)),
        );
        return Err(if found.is_some_and(is_key_char) {
            error.with_help("a variable name cannot contain spaces")
        } else {
            error.with_help("a line is `KEY=value`; a value with spaces or `#` can be quoted")
        });
    }

    let value_start = skip_spaces(bytes, equals + 1);
    let (value, quote, value_span) = match bytes.get(value_start) {
        Some(b'\'') => {
            let (value, close) = single_quoted(text, value_start)?;
            (value, Some(Quote::Single), Span::new(value_start, close + 1))
        }
        Some(b'"') => {
            let (value, close) = double_quoted(text, value_start)?;
            (value, Some(Quote::Double), Span::new(value_start, close + 1))
        }
        _ => {
            let line_end = end_of_content(bytes, value_start);
            // ` #` starts a comment, `a#b` does not; nor does `#` right after `=` (`A=#b`).
            let after_blank = value_start > equals + 1;
            let cut = comment_start(bytes, value_start, line_end, after_blank).unwrap_or(line_end);
            let value = text.get(value_start..cut).unwrap_or("").trim_end();
            let span = if value.is_empty() {
                Span::new(equals + 1, equals + 1)
            } else {
                Span::new(value_start, value_start + value.len())
            };
            (value.to_owned(), None, span)
        }
    };

    let mut next_from = value_span.end;
    if quote.is_some() {
        // After the closing quote only blanks and a comment may follow on that line.
        let rest = skip_spaces(bytes, value_span.end);
        let line_end = end_of_content(bytes, rest);
        if rest < line_end && bytes.get(rest) != Some(&b'#') {
            let cut = comment_start(bytes, rest, line_end, false).unwrap_or(line_end);
            let closed_on = line + count_newlines(bytes, value_span.start, value_span.end);
            let help = if closed_on > line {
                format!(
                    "the quote opened on line {line} closes on line {closed_on}; if the value should end on line \
                     {line}, close the quote there"
                )
            } else {
                "quote the whole value, or start a comment with ` #`".to_owned()
            };
            return Err(ParseError::new(
                "unexpected text after the closing quote",
                Span::new(rest, trim_end(bytes, rest, cut)),
            )
            .with_help(help));
        }
        next_from = rest;
    }
    let entry = Entry { value, quote, export, line, whole: Span::new(start, value_span.end), key, value_span };
    Ok((entry, next_line(bytes, next_from)))
}

/// A name is `[A-Za-z_][A-Za-z0-9_.-]*`; the error points at the first character that is not.
fn check_key(text: &str, key: Span) -> Result<(), ParseError> {
    let name = text.get(key.start..key.end).unwrap_or("");
    let mut chars = name.char_indices();
    match chars.next() {
        None => Err(ParseError::new("expected a variable name before `=`", Span::new(key.start, key.start + 1))
            .with_help("a line is `KEY=value`")),
        Some((_, first)) if !(first.is_ascii_alphabetic() || first == '_') => Err(ParseError::new(
            format!("invalid variable name: it starts with {}", show(Some(first))),
            Span::new(key.start, key.start + first.len_utf8()),
        )
        .with_help("a variable name starts with a letter or `_`")),
        Some(_) => match chars.find(|&(_, c)| !is_key_char(c)) {
            Some((offset, bad)) => Err(ParseError::new(
                format!("invalid variable name: {} is not allowed in it", show(Some(bad))),
                Span::new(key.start + offset, key.start + offset + bad.len_utf8()),
            )
            .with_help("a variable name is made of letters, digits, `_`, `.` and `-`")),
            None => Ok(()),
        },
    }
}

/// A single-quoted value from the opening quote at `open`: its text, literally (a `\'` does not
/// close it and stays as written, as in compose, python-dotenv and motdotla/dotenv), and the
/// offset of the closing quote.
fn single_quoted(text: &str, open: usize) -> Result<(String, usize), ParseError> {
    let bytes = text.as_bytes();
    let mut at = open + 1;
    loop {
        match bytes.get(at) {
            None => return Err(unterminated(open, '\'')),
            Some(b'\\') if bytes.get(at + 1) == Some(&b'\'') => at += 2,
            Some(b'\'') => break,
            Some(_) => at += 1,
        }
    }
    let raw = text.get(open + 1..at).unwrap_or("");
    let value = if raw.contains('\r') { raw.replace("\r\n", "\n") } else { raw.to_owned() };
    Ok((value, at))
}

/// A double-quoted value from the opening quote at `open`: its text with `\n \r \t \\ \" \$`
/// decoded (any other backslash stays as written), and the offset of the closing quote.
fn double_quoted(text: &str, open: usize) -> Result<(String, usize), ParseError> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut chunk = open + 1;
    let mut at = open + 1;
    loop {
        match bytes.get(at) {
            None => return Err(unterminated(open, '"')),
            Some(b'"') => {
                value.push_str(text.get(chunk..at).unwrap_or(""));
                return Ok((value, at));
            }
            Some(b'\\') => {
                value.push_str(text.get(chunk..at).unwrap_or(""));
                let decoded = match bytes.get(at + 1) {
                    Some(b'n') => Some('\n'),
                    Some(b'r') => Some('\r'),
                    Some(b't') => Some('\t'),
                    Some(b'\\') => Some('\\'),
                    Some(b'"') => Some('"'),
                    Some(b'$') => Some('$'),
                    _ => None,
                };
                match decoded {
                    Some(c) => {
                        value.push(c);
                        at += 2;
                    }
                    None => {
                        // Kept as written; what follows is read as usual.
                        value.push('\\');
                        at += 1;
                    }
                }
                chunk = at;
            }
            Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => {
                value.push_str(text.get(chunk..at).unwrap_or(""));
                at += 1;
                chunk = at;
            }
            Some(_) => at += 1,
        }
    }
}

fn unterminated(open: usize, quote: char) -> ParseError {
    let help = match quote {
        '"' => "a double-quoted value ends at the next `\"` not preceded by `\\`, which may be on a later line",
        _ => "a single-quoted value ends at the next `'` not preceded by `\\`, which may be on a later line",
    };
    ParseError::new(format!("this `{quote}` is never closed"), Span::new(open, open + 1)).with_help(help)
}

fn build(text: &str, entries: Vec<Entry>) -> Parsed {
    let all = Span::new(0, text.len());
    let mut source_map = SourceMap::new();
    source_map.insert("", all);
    source_map.insert("/entries", all);
    source_map.insert("/duplicates", all);
    let mut values = Vec::with_capacity(entries.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(entries.len());
    // Key -> the span of its second occurrence; ordered, so the list comes out sorted.
    let mut duplicates: BTreeMap<&str, Span> = BTreeMap::new();
    for (index, entry) in entries.into_iter().enumerate() {
        let key = text.get(entry.key.start..entry.key.end).unwrap_or("");
        let references = match entry.quote {
            Some(Quote::Single) => Vec::new(),
            _ => references(text.get(entry.value_span.start..entry.value_span.end).unwrap_or("")),
        };

        let pointer = pointer_push("/entries", &index.to_string());
        source_map.insert(pointer_push(&pointer, "key"), entry.key);
        source_map.insert(pointer_push(&pointer, "value"), entry.value_span);
        for derived in ["quoted", "quote", "export", "line", "references"] {
            source_map.insert(pointer_push(&pointer, derived), entry.whole);
        }
        let references_pointer = pointer_push(&pointer, "references");
        for reference in 0..references.len() {
            source_map.insert(pointer_push(&references_pointer, &reference.to_string()), entry.whole);
        }
        source_map.insert(pointer, entry.whole);

        let mut value = Map::with_capacity(7);
        value.insert("key".into(), Value::String(key.to_owned()));
        value.insert("value".into(), Value::String(entry.value));
        value.insert("quoted".into(), Value::Bool(entry.quote.is_some()));
        value.insert("quote".into(), entry.quote.map_or(Value::Null, |quote| Value::String(quote.name().into())));
        value.insert("export".into(), Value::Bool(entry.export));
        value.insert("line".into(), Value::from(entry.line));
        value.insert(
            "references".into(),
            Value::Array(references.into_iter().map(|name| Value::String(name.to_owned())).collect()),
        );
        values.push(Value::Object(value));

        if !seen.insert(key) {
            duplicates.entry(key).or_insert(entry.key);
        }
    }
    let mut duplicate_keys = Vec::with_capacity(duplicates.len());
    for (index, (key, span)) in duplicates.into_iter().enumerate() {
        source_map.insert(pointer_push("/duplicates", &index.to_string()), span);
        duplicate_keys.push(Value::String(key.to_owned()));
    }
    let mut root = Map::with_capacity(2);
    root.insert("entries".into(), Value::Array(values));
    root.insert("duplicates".into(), Value::Array(duplicate_keys));
    Parsed { value: Value::Object(root), source_map }
}

/// Names referenced as `$NAME`, `${NAME}` or `${NAME:-default}` in a value as written (unquoted,
/// or double-quoted with its quotes), in order, each once. `\$` and `$$` are a literal `$`.
fn references(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'$' || b == b'\\')) {
        let special = at + found;
        let name_start = match (bytes.get(special), bytes.get(special + 1)) {
            (Some(b'\\'), _) | (Some(b'$'), Some(b'$')) => {
                at = special + 2;
                continue;
            }
            (_, Some(b'{')) => special + 2,
            _ => special + 1,
        };
        let length = bytes
            .get(name_start..)
            .map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count());
        if let Some(name) = raw.get(name_start..name_start + length) {
            if name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                names.push(name);
            }
        }
        at = name_start + length;
    }
    if names.len() > 1 {
        let mut unique = HashSet::with_capacity(names.len());
        names.retain(|name| unique.insert(*name));
    }
    names
}

/// Where a comment starts between `from` and `end`: a `#` after a blank, or at `from` itself when
/// `blank_before_from`.
fn comment_start(bytes: &[u8], from: usize, end: usize, blank_before_from: bool) -> Option<usize> {
    let mut previous_blank = blank_before_from;
    for at in from..end {
        match bytes.get(at) {
            Some(b'#') if previous_blank => return Some(at),
            Some(b) => previous_blank = matches!(b, b' ' | b'\t'),
            None => return None,
        }
    }
    None
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// A character for an error message: itself in backticks when printable, else its code point.
fn show(c: Option<char>) -> String {
    match c {
        None => "the end of the file".to_owned(),
        Some(c) if c.is_control() || (c.is_whitespace() && c != ' ') => format!("U+{:04X}", u32::from(c)),
        Some(c) => format!("`{c}`"),
    }
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

fn skip_spaces(bytes: &[u8], from: usize) -> usize {
    from + bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|b| matches!(b, b' ' | b'\t')).count())
}

/// `end` moved back over spaces and tabs, not before `start`.
fn trim_end(bytes: &[u8], start: usize, end: usize) -> usize {
    start
        + bytes
            .get(start..end)
            .map_or(0, |part| part.len() - part.iter().rev().take_while(|b| matches!(b, b' ' | b'\t')).count())
}

fn count_newlines(bytes: &[u8], from: usize, to: usize) -> usize {
    bytes.get(from..to).map_or(0, |part| part.iter().filter(|&&b| b == b'\n').count())
}

/// The offset just past the end of the line that `from` is on.
fn next_line(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |at| from + at + 1)
}

/// The offset of the end of the content of the line `from` is on (before `\r\n` or `\n`).
fn end_of_content(bytes: &[u8], from: usize) -> usize {
    let end =
        bytes.get(from..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |at| from + at);
    if end > from && bytes.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use serde_json::json;

    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{text:?}: {} at {:?}", e.message, e.span))
    }

    #[test]
    fn entries_are_read_as_dotenv_tools_read_them() {
        // (input, key, value, quote, export)
        let cases: &[(&str, &str, &str, Option<&str>, bool)] = &[
            ("A=1", "A", "1", None, false),
            ("A=1\n", "A", "1", None, false),
            ("export A=1", "A", "1", None, true),
            ("export\tA=1", "A", "1", None, true),
            ("  export   A = 1", "A", "1", None, true),
            ("export=1", "export", "1", None, false),
            ("export = 1", "export", "1", None, false),
            ("exported=1", "exported", "1", None, false),
            ("A = spaced  ", "A", "spaced", None, false),
            ("\tA\t=\tx", "A", "x", None, false),
            ("A=", "A", "", None, false),
            ("A=   ", "A", "", None, false),
            ("A= #only a comment", "A", "", None, false),
            ("A=#not a comment", "A", "#not a comment", None, false),
            ("A=x # comment", "A", "x", None, false),
            ("A=x\t# comment", "A", "x", None, false),
            ("A=a#b", "A", "a#b", None, false),
            ("A=a b  c", "A", "a b  c", None, false),
            ("A=it's \"fine\"", "A", "it's \"fine\"", None, false),
            ("A=x=y==", "A", "x=y==", None, false),
            ("A=1\r\n", "A", "1", None, false),
            ("A=1\r", "A", "1", None, false),
            ("A=x #c\r\n", "A", "x", None, false),
            ("app.name-x=1", "app.name-x", "1", None, false),
            ("_A=1", "_A", "1", None, false),
            ("A=héllo wörld", "A", "héllo wörld", None, false),
            ("A='lit $X \\n \\t'", "A", "lit $X \\n \\t", Some("single"), false),
            ("A='# not a comment'", "A", "# not a comment", Some("single"), false),
            ("A='it\\'s'", "A", "it\\'s", Some("single"), false),
            ("A='two\nlines'", "A", "two\nlines", Some("single"), false),
            ("A='two\r\nlines'\r\n", "A", "two\nlines", Some("single"), false),
            ("A=''", "A", "", Some("single"), false),
            ("A=\"\"", "A", "", Some("double"), false),
            ("A=\"esc\\t\\\"q\\\" \\$X \\\\\"", "A", "esc\t\"q\" $X \\", Some("double"), false),
            ("A=\"\\n\\r\"", "A", "\n\r", Some("double"), false),
            ("A=\"keep \\q \\\\n\"", "A", "keep \\q \\n", Some("double"), false),
            ("A=\"two\nlines\"", "A", "two\nlines", Some("double"), false),
            ("A=\"two\r\nlines\"\r\n", "A", "two\nlines", Some("double"), false),
            ("A=\"  padded  \"", "A", "  padded  ", Some("double"), false),
            ("A=\"# not a comment\"", "A", "# not a comment", Some("double"), false),
            ("A=\"x\" # c", "A", "x", Some("double"), false),
            ("A=\"x\"# c", "A", "x", Some("double"), false),
            ("A = 'x'   ", "A", "x", Some("single"), false),
            ("export A=\"é\"", "A", "é", Some("double"), true),
            ("\u{feff}A=1", "A", "1", None, false),
        ];
        for (text, key, value, quote, export) in cases {
            let parsed = parse_ok(text);
            let entries = parsed.value["entries"].as_array().unwrap();
            assert_eq!(entries.len(), 1, "{text:?}");
            let expected = json!({
                "key": key,
                "value": value,
                "quoted": quote.is_some(),
                "quote": quote,
                "export": export,
                "line": 1,
                "references": entries[0]["references"],
            });
            assert_eq!(entries[0], expected, "{text:?}");
        }
    }

    #[test]
    fn comments_blank_lines_and_line_numbers() {
        let text = "# header\n\n   \nA=1\r\n\t# indented comment\r\nB=\"x\ny\nz\"\n\nC='p\nq' # c\nD=4";
        let parsed = parse_ok(text);
        let lines: Vec<(&str, u64)> = parsed.value["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["key"].as_str().unwrap(), e["line"].as_u64().unwrap()))
            .collect();
        assert_eq!(lines, [("A", 4), ("B", 6), ("C", 10), ("D", 12)]);
        for text in ["", "\n", "# only a comment", "  \r\n\t\n#x\n", "\u{feff}"] {
            assert_eq!(parse_ok(text).value, json!({"entries": [], "duplicates": []}), "{text:?}");
        }
    }

    #[test]
    fn spans_are_exact() {
        // (input, pointer, (start, end) of the span, its text)
        let cases: &[(&str, &str, (usize, usize), &str)] = &[
            ("A=1\n", "", (0, 4), "A=1\n"),
            ("A=1\n", "/entries", (0, 4), "A=1\n"),
            ("A=1\n", "/duplicates", (0, 4), "A=1\n"),
            ("A=1\n", "/entries/0", (0, 3), "A=1"),
            ("A=1\n", "/entries/0/key", (0, 1), "A"),
            ("A=1\n", "/entries/0/value", (2, 3), "1"),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0", (4, 20), "export KEY=\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/key", (11, 14), "KEY"),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/value", (15, 20), "\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/quoted", (4, 20), "export KEY=\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/quote", (4, 20), "export KEY=\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/export", (4, 20), "export KEY=\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/line", (4, 20), "export KEY=\"v 1\""),
            ("# c\nexport KEY=\"v 1\" # x\n", "/entries/0/references", (4, 20), "export KEY=\"v 1\""),
            ("  K = spaced value  # c\n", "/entries/0", (2, 18), "K = spaced value"),
            ("  K = spaced value  # c\n", "/entries/0/value", (6, 18), "spaced value"),
            ("E=\n", "/entries/0/value", (2, 2), ""),
            ("E=\n", "/entries/0", (0, 2), "E="),
            ("E =   # c\n", "/entries/0/value", (3, 3), ""),
            ("E =   # c\n", "/entries/0", (0, 3), "E ="),
            ("E=  \r\n", "/entries/0/value", (2, 2), ""),
            ("S='a\nb'\n", "/entries/0/value", (2, 7), "'a\nb'"),
            ("D=\"a\\\"b\"\r\n", "/entries/0/value", (2, 8), "\"a\\\"b\""),
            ("U=é # c\n", "/entries/0/value", (2, 4), "é"),
            ("R=$X-${Y}\n", "/entries/0/references/0", (0, 9), "R=$X-${Y}"),
            ("R=$X-${Y}\n", "/entries/0/references/1", (0, 9), "R=$X-${Y}"),
            ("A=1\nB=2\nA=3\nA=4\n", "/duplicates/0", (8, 9), "A"),
            ("\u{feff}A=1", "/entries/0/key", (3, 4), "A"),
        ];
        for (text, pointer, (start, end), expected) in cases {
            let parsed = parse_ok(text);
            let span = parsed.source_map.get(pointer).unwrap_or_else(|| panic!("{text:?}: no span for {pointer}"));
            assert_eq!((span.start, span.end), (*start, *end), "{text:?} {pointer}");
            assert_eq!(&text[span.start..span.end], *expected, "{text:?} {pointer}");
        }
    }

    /// Every value in the tree has a span, and every span lies on character boundaries.
    #[test]
    fn every_value_has_a_span() {
        let text = "export A=\"x\ny\" # c\r\nB='$Z'\nC=${A}$B\nA=\nB=2\n";
        let parsed = parse_ok(text);
        let mut stack = vec![(String::new(), &parsed.value)];
        let mut count = 0;
        while let Some((pointer, value)) = stack.pop() {
            count += 1;
            let span = parsed.source_map.get(&pointer).unwrap_or_else(|| panic!("no span for {pointer:?}"));
            assert!(text.get(span.start..span.end).is_some(), "{pointer}: {span:?}");
            match value {
                Value::Object(map) => stack.extend(map.iter().map(|(k, v)| (pointer_push(&pointer, k), v))),
                Value::Array(items) => {
                    stack.extend(items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{i}"), v)))
                }
                _ => {}
            }
        }
        assert_eq!(count, parsed.source_map.len(), "no span without a value");
    }

    #[test]
    fn references_are_listed_as_written() {
        // (input, references of the first entry)
        let cases: &[(&str, &[&str])] = &[
            ("A=plain", &[]),
            ("A=${B}", &["B"]),
            ("A=$B", &["B"]),
            ("A=$B$C", &["B", "C"]),
            ("A=${B}-$C-${D:-x}", &["B", "C", "D"]),
            ("A=${B:-${C}}", &["B", "C"]),
            ("A=${B?required}", &["B"]),
            ("A=$B and $B again", &["B"]),
            ("A=$lower_case1", &["lower_case1"]),
            ("A=$1 ${2} $ ${} $-", &[]),
            ("A=\\$B $$C ${D}", &["D"]),
            ("A=\"\\$G ${H}\"", &["H"]),
            ("A=\"\\\\$G\"", &["G"]),
            ("A='$E ${F}'", &[]),
            ("A=x # $NOT_IN_A_COMMENT", &[]),
            ("A=$é", &[]),
        ];
        for (text, expected) in cases {
            let parsed = parse_ok(text);
            assert_eq!(parsed.value["entries"][0]["references"], json!(expected), "{text:?}");
            assert!(parsed.value["entries"][0]["value"].as_str().unwrap().contains('$') || expected.is_empty());
        }
    }

    #[test]
    fn duplicates_are_kept_and_listed() {
        let parsed = parse_ok("B=1\nA=2\nB=3\nA=4\nB=5\nC=6\n");
        assert_eq!(parsed.value["duplicates"], json!(["A", "B"]));
        let keys: Vec<&str> =
            parsed.value["entries"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["B", "A", "B", "A", "B", "C"]);
        let span = parsed.source_map.get("/duplicates/1").unwrap();
        assert_eq!((span.start, span.end), (8, 9), "the second `B`");
        // Exported or not, it is the same variable.
        assert_eq!(parse_ok("export A=1\nA=2").value["duplicates"], json!(["A"]));
    }

    #[test]
    fn errors_point_at_the_problem() {
        // (input, span, part of the message)
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("A=1\nnot a pair\n", (4, 14), "expected `KEY=value`"),
            ("A=1\nnot a pair  \r\n", (4, 14), "expected `KEY=value`"),
            ("A=1\n  BARE", (6, 10), "expected `KEY=value`"),
            ("export KEY\n", (0, 10), "expected `KEY=value`"),
            ("-----BEGIN KEY-----\n", (0, 19), "expected `KEY=value`"),
            ("A=1\n=2\n", (4, 5), "expected a variable name before `=`"),
            ("1A=x\n", (0, 1), "invalid variable name: it starts with `1`"),
            ("A=1\n  9LIVES=cat\n", (6, 7), "invalid variable name"),
            ("MY$KEY=x\n", (2, 3), "`$` is not allowed"),
            ("CAFÉ=1\n", (3, 5), "`É` is not allowed"),
            ("\"A\"=1\n", (0, 1), "it starts with `\"`"),
            ("MY KEY=x\n", (3, 4), "expected `=` after the variable name, found `K`"),
            ("A\r=1\n", (1, 2), "found U+000D"),
            ("A=\"open\nB=1\n", (2, 3), "this `\"` is never closed"),
            ("A='open\n", (2, 3), "this `'` is never closed"),
            ("A='it\\'s\n", (2, 3), "never closed"),
            ("A=\"ends in a backslash\\", (2, 3), "never closed"),
            ("A=\"x\"y\n", (5, 6), "unexpected text after the closing quote"),
            ("NAME='quoted'trailing  # c\r\n", (13, 21), "after the closing quote"),
            ("A=\"x\" y z\n", (6, 9), "after the closing quote"),
            ("A=\"open\nB=\"x\"\n", (11, 13), "after the closing quote"),
        ];
        for (text, (start, end), message) in cases {
            let error = parse(text, &Limits::default()).unwrap_err();
            assert_eq!((error.span.start, error.span.end), (*start, *end), "{text:?}: {}", error.message);
            assert!(error.message.contains(message), "{text:?}: {}", error.message);
        }
    }

    #[test]
    fn an_unclosed_quote_found_late_is_explained() {
        let error = parse("A=\"open\nB=\"x\"\n", &Limits::default()).unwrap_err();
        assert!(error.help.unwrap().contains("opened on line 1 closes on line 2"));
    }

    #[test]
    fn errors_do_not_repeat_the_text() {
        let secret = "s3cr3t-example-not-a-secret";
        for text in [
            format!("{secret}\n"),
            format!("A=\"x\"{secret}\n"),
            format!("{secret}/x=1\n"),
            format!("A=\"{secret}"),
            format!("{secret} x=1"),
        ] {
            let error = parse(&text, &Limits::default()).unwrap_err();
            let said = format!("{} {}", error.message, error.help.unwrap_or_default());
            assert!(!said.contains("s3cr3t"), "{text:?}: {said}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_in_the_text(text in "[A-Za-z_0-9 =#'\"\\\\${}:.\\-\t\r\né]{0,80}") {
            if let Ok(parsed) = parse(&text, &Limits::default()) {
                for (pointer, span) in parsed.source_map.iter() {
                    proptest::prop_assert!(text.get(span.start..span.end).is_some(), "{pointer}: {span:?}");
                }
            }
        }

        #[test]
        fn never_panics_on_any_text(text in proptest::prelude::any::<String>()) {
            let _ = parse(&text, &Limits::default());
        }
    }

    /// The example from the documentation of `parse`.
    #[test]
    fn parse_example() {
        use crate::parse::{dotenv, Limits};
        let parsed = dotenv::parse("export A=1\nB=\"two\\nlines\" # note\nA=${B}\n", &Limits::default()).unwrap();
        assert_eq!(parsed.value["entries"][1]["value"], "two\nlines");
        assert_eq!(parsed.value["entries"][2]["references"][0], "B");
        assert_eq!(parsed.value["duplicates"][0], "A");
    }
}
