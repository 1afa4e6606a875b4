//! `.gitignore` and `.dockerignore` files as conftest's `ignore` parser reads them
//! (shteou/go-ignore): one input, the list of the file's lines, each
//! `{Kind, Value, Original}` — `Kind` is `Path`, `NegatedPath` (a `!` pattern, `Value` without
//! the `!`), `Comment` (`Value` the text after `#`) or `Empty`; `Original` the line as written.

use serde_json::{json, Value};

pub(super) fn parse(text: &str) -> Value {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entries: Vec<Value> = text
        .lines()
        .map(|line| {
            let original = line.trim_end_matches('\r');
            let trimmed = original.trim();
            let (kind, value) = if trimmed.is_empty() {
                ("Empty", "")
            } else if let Some(comment) = trimmed.strip_prefix('#') {
                ("Comment", comment.trim())
            } else if let Some(negated) = trimmed.strip_prefix('!') {
                ("NegatedPath", negated)
            } else {
                ("Path", trimmed)
            };
            json!({"Kind": kind, "Value": value, "Original": original})
        })
        .collect();
    // One input: the list of entries (the outer array is the file's list of inputs).
    Value::Array(vec![Value::Array(entries)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_an_entry_of_its_kind() {
        assert_eq!(
            parse("!bar\n\n# Test\nid_rsa\n"),
            json!([[
                {"Kind": "NegatedPath", "Value": "bar", "Original": "!bar"},
                {"Kind": "Empty", "Value": "", "Original": ""},
                {"Kind": "Comment", "Value": "Test", "Original": "# Test"},
                {"Kind": "Path", "Value": "id_rsa", "Original": "id_rsa"}
            ]])
        );
    }
}
