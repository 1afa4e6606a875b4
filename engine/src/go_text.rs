//! Strings written the way Go writes them, for output that must match Go tools byte for byte:
//! `strconv.Quote` (`%q` in templates, conftest's queries and annotations) and the string
//! escaping of `encoding/json` (Helm's `toJson`, kustomize's name hashes, conftest's JSON
//! output). One copy of each, below every module that imitates a Go tool.

use std::fmt::Write as _;

/// Go's `strconv.Quote`: double quotes; `"` and `\` escaped; control characters as `\n`, `\t`,
/// `\a`… or `\x1b`.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Appends `text` as a JSON string the way Go's `encoding/json` (1.22 and later) writes it:
/// `\b` and `\f` by name, other control characters and U+2028/U+2029 as `\u00XX`, and with
/// `escape_html` (`json.Marshal`'s default) `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`.
pub(crate) fn write_json_string(out: &mut String, text: &str, escape_html: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// [`write_json_string`] into a new string.
pub(crate) fn json_string(text: &str, escape_html: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_json_string(&mut out, text, escape_html);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_go_writes_them() {
        assert_eq!(quote("run_as_root"), "\"run_as_root\"");
        assert_eq!(quote("a\"b\n\u{7}\u{1b}"), "\"a\\\"b\\n\\a\\x1b\"");
        assert_eq!(json_string("<a>&\u{8}\u{1}\u{2028}", true), "\"\\u003ca\\u003e\\u0026\\b\\u0001\\u2028\"");
        assert_eq!(json_string("<a>", false), "\"<a>\"");
    }
}
