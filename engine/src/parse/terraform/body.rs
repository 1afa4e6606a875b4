//! Re-resolving a parsed block body under a [`Scope`]: each attribute whose value parsing alone
//! could not know is evaluated again from its expression text, and `dynamic` blocks whose
//! `for_each` is known are expanded into the blocks Terraform would generate.
//!
//! The graph calls this once per environment and per `count`/`for_each` instance; a module
//! call will call it with the module's variables bound to its caller's values.

use serde_json::{Map, Value};

use super::eval::{has_unknown, iteration_pairs, Scope};
use super::{evaluate_text, resolve_text};

/// How deep bodies nest before the rest is left as parsed, and how many blocks one `dynamic`
/// block may generate.
const MAX_DEPTH: usize = 64;
const MAX_DYNAMIC_BLOCKS: usize = 1_000;

/// `config` (as parsed) resolved with what `scope` knows. `expressions` has the same shape as
/// `config`, with the text of each expression. A `dynamic "L"` block whose `for_each` is known
/// gets its generated blocks appended to `config.L` (so a rule reads them like written ones)
/// and listed under the dynamic block as `expanded`, in iteration order; an unknown `for_each`
/// leaves it as written.
pub(crate) fn resolve_body(config: Value, expressions: &Value, scope: &Scope) -> Value {
    resolve(config, expressions, scope, 0)
}

fn resolve(config: Value, expressions: &Value, scope: &Scope, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return config;
    }
    match (config, expressions) {
        (Value::Object(config), Value::Object(expressions)) => {
            let mut out = Map::new();
            for (key, value) in config {
                let value = match expressions.get(&key) {
                    Some(Value::String(text)) if has_unknown(&value) => resolve_text(text, scope).unwrap_or(value),
                    Some(Value::String(_)) | None => value,
                    Some(nested) => resolve(value, nested, scope, depth + 1),
                };
                out.insert(key, value);
            }
            expand_dynamic(&mut out, expressions, scope, depth);
            Value::Object(out)
        }
        (Value::Array(items), Value::Array(texts)) => Value::Array(
            items
                .into_iter()
                .zip(texts.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(item, text)| match text {
                    Some(text) => resolve(item, text, scope, depth + 1),
                    None => item,
                })
                .collect(),
        ),
        (config, _) => config,
    }
}

/// Expands the `dynamic` blocks of one body (`config.dynamic[i].L`, parsed as nested blocks
/// by label) whose `for_each` is known under `scope`.
fn expand_dynamic(out: &mut Map<String, Value>, expressions: &Map<String, Value>, scope: &Scope, depth: usize) {
    let Some(Value::Array(written)) = expressions.get("dynamic") else { return };
    let mut generated: Vec<(String, Vec<Value>)> = Vec::new();
    if let Some(Value::Array(dynamics)) = out.get_mut("dynamic") {
        for (entry, entry_expressions) in dynamics.iter_mut().zip(written) {
            let Value::Object(entry) = entry else { continue };
            for (label, block) in entry.iter_mut() {
                let Some(block_expressions) = entry_expressions.get(label) else { continue };
                let Some(blocks) = expand_one(label, block, block_expressions, scope, depth) else { continue };
                if let Value::Object(block) = block {
                    block.insert("expanded".into(), Value::Array(blocks.clone()));
                }
                generated.push((label.clone(), blocks));
            }
        }
    }
    for (label, blocks) in generated {
        // An attribute of the block's name (not valid Terraform) is left be.
        if let Value::Array(existing) = out.entry(label).or_insert_with(|| Value::Array(Vec::new())) {
            existing.extend(blocks);
        }
    }
}

/// The blocks one `dynamic "label"` generates, or `None` when its `for_each` is not known.
fn expand_one(label: &str, block: &Value, expressions: &Value, scope: &Scope, depth: usize) -> Option<Vec<Value>> {
    let for_each = expressions.get("for_each")?.as_str()?;
    let collection = evaluate_text(for_each, scope).ok()?;
    if has_unknown(&collection) {
        return None;
    }
    let iterator = expressions.get("iterator").and_then(Value::as_str).map_or(label, str::trim).to_owned();
    let content = block.get("content").and_then(|c| c.get(0)).cloned().unwrap_or(Value::Object(Map::new()));
    let content_expressions = expressions.get("content").and_then(|c| c.get(0)).cloned().unwrap_or(Value::Null);
    let pairs = iteration_pairs(collection).ok()?;
    if pairs.len() > MAX_DYNAMIC_BLOCKS {
        return None;
    }
    let mut blocks = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let mut inner = scope.clone();
        let mut item = Map::new();
        item.insert("key".into(), key);
        item.insert("value".into(), value);
        inner.bindings.insert(iterator.clone(), Value::Object(item));
        blocks.push(resolve(content.clone(), &content_expressions, &inner, depth + 1));
    }
    Some(blocks)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `resolve_body`.
    #[test]
    fn resolve_body_example() {
        use crate::parse::terraform::{parse, resolve_body, Scope};
        use crate::parse::Limits;
        use serde_json::json;
        let text = r#"resource "aws_security_group" "web" {
          dynamic "ingress" {
            for_each = [80, 443]
            content {
              from_port = ingress.value
              to_port   = ingress.value
            }
          }
        }"#;
        let parsed = parse(text, &Limits::default()).unwrap();
        let block = &parsed.value["resource"]["aws_security_group"]["web"];
        let config = resolve_body(block["config"].clone(), &block["expressions"], &Scope::default());
        assert_eq!(config["ingress"], json!([{"from_port": 80, "to_port": 80}, {"from_port": 443, "to_port": 443}]));
    }
}
