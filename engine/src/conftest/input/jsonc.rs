//! JSON with comments (`.jsonc`, `--parser jsonc`), as conftest reads it: `//` and `/* */`
//! comments outside strings are dropped, then the text is read as JSON.

use serde_json::Value;

use crate::parse::ParseError;

pub(super) fn parse(text: &str) -> Result<Value, ParseError> {
    super::json::parse_one(&strip_comments(text))
}

/// `text` with its comments replaced by spaces (line breaks kept), so that positions in errors
/// stay those of the file.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        out.push(escaped);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek().copied()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                out.push_str("  ");
                chars.next();
                while let Some(&next) = chars.peek() {
                    if next == '\n' {
                        break;
                    }
                    out.push(if next.is_whitespace() { next } else { ' ' });
                    chars.next();
                }
            }
            ('/', Some('*')) => {
                out.push_str("  ");
                chars.next();
                let mut last = ' ';
                for next in chars.by_ref() {
                    out.push(if next == '\n' { '\n' } else { ' ' });
                    if last == '*' && next == '/' {
                        break;
                    }
                    last = next;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn comments_are_dropped_outside_strings() {
        let text = "{\n  // a comment\n  \"url\": \"http://x//y\", /* block\n */ \"n\": 1\n}\n";
        assert_eq!(parse(text).unwrap(), serde_json::json!({"url": "http://x//y", "n": 1}));
        let error = parse("{\n// c\n\"a\": }").unwrap_err();
        assert!(error.message.starts_with("invalid JSON"), "{}", error.message);
    }
}
