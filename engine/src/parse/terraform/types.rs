//! Terraform type constraints: a variable's `type` (`string`, `list(object({…}))`, …) read from
//! its expression, and a value converted to it as Terraform converts a variable's value before
//! the module sees it — above all the object attributes declared with `optional()` (Terraform
//! ≥ 1.3): an attribute the caller leaves out (or sets to `null`) is `null`, or the default the
//! declaration gives (`optional(bool, true)`), at any depth (`list(object(…))`,
//! `map(object(…))`).
//!
//! Conversion never guesses: a value that is unknown (`${…}`) stays as it is, a value that does
//! not fit the type (Terraform would refuse it) is left as written, and a type ward cannot read
//! converts nothing.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use serde_json::{Map, Value};

use super::eval::{is_unknown_text, Evaluator, Scope};

/// How deep a type may nest before ward stops reading it (Terraform has no limit; real ones
/// nest a few levels).
const MAX_TYPE_DEPTH: usize = 32;

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Type {
    /// `any`: the value as it is.
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attribute>),
}

/// One attribute of an `object({…})` type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribute {
    pub name: String,
    pub kind: Type,
    /// Declared with `optional(…)`.
    pub optional: bool,
    /// `optional(T, default)`'s default, converted to `T`.
    pub default: Option<Value>,
}

/// The type written as `text` (a variable's `type` expression), or `None` when it is not a
/// type expression ward reads.
pub(crate) fn parse_type(text: &str) -> Option<Type> {
    if super::super::check_bracket_depth(text, MAX_TYPE_DEPTH).is_err() {
        return None;
    }
    let expression = hcl_edit::parser::parse_expr(text).ok()?;
    read_type(text, &expression, 0)
}

fn read_type(text: &str, expression: &Expression, depth: usize) -> Option<Type> {
    if depth > MAX_TYPE_DEPTH {
        return None;
    }
    match expression {
        Expression::Variable(name) => match name.as_str() {
            "any" => Some(Type::Any),
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "bool" => Some(Type::Bool),
            _ => None,
        },
        Expression::Parenthesis(inner) => read_type(text, inner.inner(), depth + 1),
        Expression::FuncCall(call) if call.name.namespace.is_empty() => {
            let args: Vec<&Expression> = call.args.iter().collect();
            let single = || match args.as_slice() {
                [only] => read_type(text, only, depth + 1).map(Box::new),
                _ => None,
            };
            match call.name.name.as_str() {
                "list" => single().map(Type::List),
                "set" => single().map(Type::Set),
                "map" => single().map(Type::Map),
                "tuple" => match args.as_slice() {
                    [Expression::Array(items)] => items
                        .iter()
                        .map(|item| read_type(text, item, depth + 1))
                        .collect::<Option<Vec<_>>>()
                        .map(Type::Tuple),
                    _ => None,
                },
                "object" => match args.as_slice() {
                    [Expression::Object(object)] => {
                        let mut attributes = Vec::new();
                        for (key, value) in object.iter() {
                            let name = match key {
                                ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                ObjectKey::Expression(_) => return None,
                            };
                            attributes.push(read_attribute(text, name, value.expr(), depth + 1)?);
                        }
                        Some(Type::Object(attributes))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

fn read_attribute(text: &str, name: String, expression: &Expression, depth: usize) -> Option<Attribute> {
    let Expression::FuncCall(call) = expression else {
        return Some(Attribute { name, kind: read_type(text, expression, depth)?, optional: false, default: None });
    };
    if !call.name.namespace.is_empty() || call.name.name.as_str() != "optional" {
        return Some(Attribute { name, kind: read_type(text, expression, depth)?, optional: false, default: None });
    }
    let args: Vec<&Expression> = call.args.iter().collect();
    let (kind, default) = match args.as_slice() {
        [kind] => (read_type(text, kind, depth + 1)?, None),
        [kind, default] => {
            let kind = read_type(text, kind, depth + 1)?;
            // A default is a constant: evaluated with nothing in scope. One ward cannot know
            // makes the type unreadable rather than a wrong default.
            let scope = Scope::default();
            let value = Evaluator::new(text, &scope, MAX_TYPE_DEPTH).eval(default, 0).ok()?;
            if super::eval::has_unknown(&value) {
                return None;
            }
            let value = convert(&kind, value, depth + 1);
            (kind, Some(value))
        }
        _ => return None,
    };
    Some(Attribute { name, kind, optional: true, default })
}

/// Converts each variable of `variables` that one of `files` (parsed Terraform files) declares
/// with a `type` to that type: what the module's expressions see as `var.NAME`.
pub(crate) fn apply_variable_types<'a>(
    variables: &mut BTreeMap<String, Value>,
    files: impl IntoIterator<Item = &'a Value>,
) {
    for file in files {
        for (name, block) in file.get("variable").and_then(Value::as_object).into_iter().flatten() {
            let Some(type_text) = block.pointer("/expressions/type").and_then(Value::as_str) else { continue };
            let Some(value) = variables.remove(name) else { continue };
            let value = match parse_type(type_text) {
                Some(kind) => convert(&kind, value, 0),
                None => value,
            };
            variables.insert(name.clone(), value);
        }
    }
}

/// `value` converted to `kind`, as Terraform converts a variable's value: optional attributes
/// filled in, primitives converted (`"8080"` to a number where a number is declared), the
/// attributes an object type does not declare dropped. A value that is unknown, or that does
/// not fit, is returned unchanged.
pub(crate) fn convert(kind: &Type, value: Value, depth: usize) -> Value {
    if depth > MAX_TYPE_DEPTH || value.is_null() || is_unknown_text(&value) {
        return value;
    }
    match (kind, value) {
        (Type::Any, value) => value,
        (Type::String, Value::Number(n)) => Value::String(n.to_string()),
        (Type::String, Value::Bool(b)) => Value::String(b.to_string()),
        (Type::Number, Value::String(s)) => match s.trim().parse::<serde_json::Number>() {
            Ok(n) if !s.trim().is_empty() => Value::Number(n),
            _ => Value::String(s),
        },
        (Type::Bool, Value::String(s)) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s),
        },
        (Type::List(inner) | Type::Set(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|item| convert(inner, item, depth + 1)).collect())
        }
        (Type::Map(inner), Value::Object(map)) => {
            Value::Object(map.into_iter().map(|(key, item)| (key, convert(inner, item, depth + 1))).collect())
        }
        (Type::Tuple(kinds), Value::Array(items)) if kinds.len() == items.len() => {
            Value::Array(kinds.iter().zip(items).map(|(kind, item)| convert(kind, item, depth + 1)).collect())
        }
        (Type::Object(attributes), Value::Object(mut map)) => {
            // A required attribute that is missing: Terraform refuses the value; left as written.
            if attributes.iter().any(|a| !a.optional && !map.contains_key(&a.name)) {
                return Value::Object(map);
            }
            let mut out = Map::new();
            for attribute in attributes {
                let given = map.remove(&attribute.name).filter(|v| !v.is_null());
                let converted = match (given, &attribute.default) {
                    (Some(given), _) => convert(&attribute.kind, given, depth + 1),
                    (None, Some(default)) => default.clone(),
                    (None, None) => Value::Null,
                };
                out.insert(attribute.name.clone(), converted);
            }
            Value::Object(out)
        }
        (_, value) => value,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    /// Every case of `testdata/parse/terraform-type-cases.yaml`: a type, a value, and the
    /// value Terraform gives the module.
    #[test]
    fn values_are_converted_to_their_variable_types_as_terraform_does() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/parse/terraform-type-cases.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let cases: Value = serde_saphyr::from_str(&text).unwrap();
        let cases = cases["cases"].as_array().unwrap();
        assert!(cases.len() >= 10);
        for case in cases {
            let type_text = case["type"].as_str().unwrap();
            let parsed = parse_type(type_text);
            if case.get("unreadable").is_some() {
                assert_eq!(parsed, None, "{type_text} should not be read");
                continue;
            }
            let kind = parsed.unwrap_or_else(|| panic!("{type_text} is not read"));
            let converted = convert(&kind, case["value"].clone(), 0);
            assert_eq!(converted, case["expected"], "{type_text} with {}", case["value"]);
        }
    }
}
