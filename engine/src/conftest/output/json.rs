//! conftest's `json` output: an array with one object per file and namespace —
//! `filename` (empty for standard input), `namespace`, `successes`, and `skipped`, `warnings`,
//! `failures`, `exceptions` when there are any, each result `{msg, loc?, metadata?}` — indented
//! with tabs as Go's `json.Indent` writes it.

use serde_json::{Map, Value};

use super::gojson;
use crate::conftest::check::{CheckMessage, CheckResult};

/// The results as conftest's `json` format writes them.
pub(crate) fn render(results: &[CheckResult]) -> String {
    let array: Vec<Value> = results.iter().map(result_value).collect();
    let mut text = gojson::encode(&Value::Array(array), "\t");
    text.push('\n');
    text
}

/// One result as conftest's JSON holds it.
pub(crate) fn result_value(result: &CheckResult) -> Value {
    let mut object = Map::new();
    let filename = if result.filename == "-" { "" } else { result.filename.as_str() };
    object.insert("filename".into(), Value::from(filename));
    object.insert("namespace".into(), Value::from(result.namespace.as_str()));
    object.insert("successes".into(), Value::from(result.successes));
    for (name, messages) in [
        ("skipped", &result.skipped),
        ("warnings", &result.warnings),
        ("failures", &result.failures),
        ("exceptions", &result.exceptions),
    ] {
        if !messages.is_empty() {
            object.insert(name.into(), Value::Array(messages.iter().map(message_value).collect()));
        }
    }
    Value::Object(object)
}

/// `{msg, loc?, metadata?}`: the metadata sorted by key, as Go writes a map.
pub(crate) fn message_value(message: &CheckMessage) -> Value {
    let mut object = Map::new();
    object.insert("msg".into(), Value::from(message.message.as_str()));
    if let Some(location) = &message.location {
        let mut loc = Map::new();
        loc.insert("file".into(), location.get("file").cloned().unwrap_or(Value::from("")));
        loc.insert("line".into(), location.get("line").cloned().unwrap_or(Value::from(0)));
        object.insert("loc".into(), Value::Object(loc));
    }
    if !message.metadata.is_empty() {
        object.insert("metadata".into(), gojson::sorted(&Value::Object(message.metadata.clone())));
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `render`.
    #[test]
    fn render_example() {
        use crate::conftest::check::CheckResult;
        let text = crate::conftest::output::json::render(&[CheckResult::new("-", "main")]);
        assert_eq!(
            text,
            "[\n\t{\n\t\t\"filename\": \"\",\n\t\t\"namespace\": \"main\",\n\t\t\"successes\": 0\n\t}\n]\n"
        );
    }
}
