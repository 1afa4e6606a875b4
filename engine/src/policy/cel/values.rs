//! JSON values as CEL values. ward converts them itself instead of going through `cel`'s serde
//! support, which turns every JSON integer into a `uint` — so that `object.spec.replicas + 1`
//! would fail with "no such overload" against the `int` literal. Here an integer that fits is an
//! `int`, a larger one a `uint`, anything else a `double`.
//!
//! The values are built straight into `cel`'s own containers (`Box<dyn Val>`), once per resource
//! (once per scan for the graph), and lent to every rule by reference.

use std::collections::HashMap;

use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt};
use cel::common::value::Val;
use serde_json::Value;

/// `value` as a CEL value: objects become maps with string keys, arrays lists, integers `int`
/// (or `uint` above `i64::MAX`), other numbers `double`.
///
/// Recursion follows the value's nesting, which the parsers bound (`Limits::max_depth`).
pub(crate) fn to_cel(value: &Value) -> Box<dyn Val> {
    match value {
        Value::Null => Box::new(CelNull),
        Value::Bool(flag) => Box::new(CelBool::from(*flag)),
        Value::Number(number) => match (number.as_i64(), number.as_u64()) {
            (Some(int), _) => Box::new(CelInt::from(int)),
            (None, Some(uint)) => Box::new(CelUInt::from(uint)),
            (None, None) => Box::new(CelDouble::from(number.as_f64().unwrap_or(f64::NAN))),
        },
        Value::String(text) => Box::new(CelString::from(text.clone())),
        Value::Array(items) => Box::new(CelList::from(items.iter().map(to_cel).collect::<Vec<_>>())),
        Value::Object(members) => {
            let map: HashMap<CelMapKey<'static>, Box<dyn Val>> =
                members.iter().map(|(key, value)| (CelMapKey::from(key.clone()), to_cel(value))).collect();
            Box::new(CelMap::from(map))
        }
    }
}

/// A CEL value of a type JSON cannot hold (a duration, a timestamp, bytes, a function), by
/// the name of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {0} has no JSON form")]
pub(crate) struct NoJsonForm(pub String);

/// A value an expression gave, as JSON: for what a rule hands back to ward (a finding's
/// `related` places), not for values that go into CEL. Map keys become strings; durations,
/// timestamps, bytes and functions have no JSON form and are an error naming their type.
///
/// Recursion follows the value's nesting, which the expression (bounded by its input) builds.
pub(crate) fn to_json(value: &cel::Value) -> Result<Value, NoJsonForm> {
    Ok(match value {
        cel::Value::Null => Value::Null,
        cel::Value::Bool(flag) => Value::Bool(*flag),
        cel::Value::Int(int) => Value::from(*int),
        cel::Value::UInt(uint) => Value::from(*uint),
        cel::Value::Float(float) => serde_json::Number::from_f64(*float).map_or(Value::Null, Value::Number),
        cel::Value::String(text) => Value::String(text.to_string()),
        cel::Value::List(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        cel::Value::Map(map) => {
            let mut entries: Vec<(String, Value)> = Vec::with_capacity(map.map.len());
            for (key, value) in map.map.iter() {
                let key = match key {
                    cel::objects::Key::String(text) => text.to_string(),
                    cel::objects::Key::Int(int) => int.to_string(),
                    cel::objects::Key::Uint(uint) => uint.to_string(),
                    cel::objects::Key::Bool(flag) => flag.to_string(),
                };
                entries.push((key, to_json(value)?));
            }
            // `cel` keeps maps in a `HashMap`: sorted, the same value gives the same JSON.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        other => return Err(NoJsonForm(other.type_of().to_string())),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `to_cel`.
    #[test]
    fn to_cel_example() {
        use crate::policy::cel::values::to_cel;
        let value = to_cel(&serde_json::json!({"replicas": 3}));
        assert_eq!(format!("{:?}", value.get_type()), format!("{:?}", cel::common::types::MAP_TYPE));
    }

    /// The example from the documentation of `to_json`.
    #[test]
    fn to_json_example() {
        use crate::policy::cel::values::to_json;
        let list =
            cel::Value::List(std::sync::Arc::new(vec![cel::Value::Int(2), cel::Value::String("a".to_owned().into())]));
        assert_eq!(to_json(&list), Ok(serde_json::json!([2, "a"])));
        assert!(to_json(&cel::Value::Bytes(std::sync::Arc::new(vec![1]))).is_err());
    }
}
