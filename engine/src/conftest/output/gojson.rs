//! JSON written byte for byte as Go's `encoding/json` writes it, which conftest's `json` output
//! and `parse` command print: `<`, `>` and `&` as `\u003c`…, U+2028/U+2029 escaped, floats
//! in Go's shortest form (`1e+21`), and `json.Indent`'s layout, where empty arrays and objects
//! stay `[]` and `{}`. Object members are written in the order the value holds them: callers
//! sort the keys of what Go holds as a map ([`sorted`]).

use serde_json::{Map, Value};

/// `value` indented with `indent` per level, as `json.MarshalIndent(value, "", indent)`.
pub fn encode(value: &Value, indent: &str) -> String {
    let mut out = String::new();
    write_value(&mut out, value, indent, 0);
    out
}

/// `value` with the members of every object sorted by key, as Go writes a map.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(members) => {
            let mut keys: Vec<&String> = members.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                if let Some(member) = members.get(key) {
                    out.insert(key.clone(), sorted(member));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn newline(out: &mut String, indent: &str, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str(indent);
    }
}

fn write_value(out: &mut String, value: &Value, indent: &str, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&go_number(number)),
        Value::String(text) => crate::go_text::write_json_string(out, text, true),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_value(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Object(members) => {
            out.push('{');
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                crate::go_text::write_json_string(out, key, true);
                out.push_str(": ");
                write_value(out, member, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

/// A number as Go's `float64` encoding writes it (integers stay integers).
fn go_number(number: &serde_json::Number) -> String {
    if number.is_i64() || number.is_u64() {
        return number.to_string();
    }
    let Some(float) = number.as_f64() else { return number.to_string() };
    let magnitude = float.abs();
    if magnitude != 0.0 && !(1e-6..1e21).contains(&magnitude) {
        // Go: at least two exponent digits, with a sign.
        let formatted = format!("{float:e}");
        return match formatted.split_once('e') {
            Some((mantissa, exponent)) => {
                let (sign, digits) = match exponent.strip_prefix('-') {
                    Some(digits) => ('-', digits),
                    None => ('+', exponent),
                };
                format!("{mantissa}e{sign}{digits:0>2}")
            }
            None => formatted,
        };
    }
    if float.fract() == 0.0 && magnitude < 1e15 {
        return format!("{float:.0}");
    }
    format!("{float}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `encode`.
    #[test]
    fn encode_example() {
        use crate::conftest::output::gojson::encode;
        let value = serde_json::json!({"msg": "a <b> & c", "n": [1, 2.5, 1e21], "e": []});
        assert_eq!(encode(&value, "  "), "{\n  \"msg\": \"a \\u003cb\\u003e \\u0026 c\",\n  \"n\": [\n    1,\n    2.5,\n    1e+21\n  ],\n  \"e\": []\n}");
    }
}
