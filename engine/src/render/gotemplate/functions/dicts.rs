//! Sprig's dictionary functions: `dict`, `get`, `set`, `unset`, `hasKey`, `keys` (sorted here —
//! Go's are in random order — so output is deterministic), `values`, `pluck`, `pick`, `omit`,
//! `merge`/`mergeOverwrite` (deep, as Sprig's `mergo`: `merge` keeps what the destination has,
//! `mergeOverwrite` lets the sources win), `deepCopy` and `dig`. `set`, `unset` and the merges
//! change their first map in place, as they do in Go, and return it.

use std::collections::BTreeMap;

use super::{to_string, wrong_type, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::{Kind, MapRef, Value, MAX_DEPTH, MAX_NODES};

pub(crate) const NAMES: &[&str] = &[
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "keys",
    "values",
    "pluck",
    "pick",
    "omit",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
    "deepCopy",
    "mustDeepCopy",
    "dig",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "dict" => {
            let mut members = BTreeMap::new();
            let mut pairs = args.args.chunks(2);
            for pair in &mut pairs {
                match pair {
                    [key, value] => members.insert(to_string(key), value.clone()),
                    [key] => members.insert(to_string(key), Value::string("")),
                    _ => None,
                };
            }
            Ok(Value::map(members))
        }
        "get" => {
            args.exactly(2)?;
            let key = args.str(1)?;
            Ok(map_or_nil(&args, 0)?.and_then(|map| map.get(key)).unwrap_or_else(|| Value::string("")))
        }
        "set" => {
            args.exactly(3)?;
            let map = map_ref(&args, 0)?;
            map.insert(args.str(1)?.to_owned(), args.get(2)?.clone());
            Ok(args.get(0)?.clone())
        }
        "unset" => {
            args.exactly(2)?;
            let map = map_ref(&args, 0)?;
            map.remove(args.str(1)?);
            Ok(args.get(0)?.clone())
        }
        "hasKey" => {
            args.exactly(2)?;
            let key = args.str(1)?;
            Ok(Value::bool(map_or_nil(&args, 0)?.is_some_and(|map| map.contains_key(key))))
        }
        "keys" => {
            let mut keys: Vec<String> = Vec::new();
            for index in 0..args.len() {
                keys.extend(map_or_nil(&args, index)?.map(MapRef::keys).unwrap_or_default());
            }
            keys.sort();
            Ok(Value::list(keys.into_iter().map(Value::string).collect()))
        }
        "values" => {
            args.exactly(1)?;
            Ok(Value::list(map_ref(&args, 0)?.snapshot().into_values().collect()))
        }
        "pluck" => {
            args.at_least(1)?;
            let key = args.str(0)?;
            let mut out = Vec::new();
            for index in 1..args.len() {
                if let Some(value) = map_or_nil(&args, index)?.and_then(|map| map.get(key)) {
                    out.push(value);
                }
            }
            Ok(Value::list(out))
        }
        "pick" | "omit" => {
            args.at_least(1)?;
            let map = map_ref(&args, 0)?;
            let names: Vec<String> =
                (1..args.len()).map(|index| args.str(index).map(str::to_owned)).collect::<Result<_, _>>()?;
            let members =
                map.snapshot().into_iter().filter(|(key, _)| names.contains(key) == (name == "pick")).collect();
            Ok(Value::map(members))
        }
        "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => {
            args.at_least(1)?;
            let overwrite = name.ends_with("Overwrite");
            let destination = map_ref(&args, 0)?.clone();
            for index in 1..args.len() {
                let source = args.get(index)?;
                if source.is_nil() {
                    continue;
                }
                let source = map_ref(&args, index)?.snapshot();
                let mut budget = MAX_NODES;
                merge_into(&destination, &source, overwrite, 0, &mut budget);
            }
            Ok(args.get(0)?.clone())
        }
        "deepCopy" | "mustDeepCopy" => {
            args.exactly(1)?;
            Ok(args.get(0)?.deep_copy())
        }
        "dig" => {
            args.at_least(3)?;
            let Some((map, rest)) = args.args.split_last() else { return Ok(Value::nil()) };
            let Some((default, keys)) = rest.split_last() else { return Ok(Value::nil()) };
            let mut current = map.clone();
            for key in keys {
                let Kind::Str(key) = &key.kind else { return Err(wrong_type("string", key)) };
                let Some(members) = current.as_map_ref() else { return Ok(default.clone()) };
                match members.get(&key.text) {
                    Some(next) => current = next,
                    None => return Ok(default.clone()),
                }
            }
            Ok(current)
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}

fn map_ref<'a>(args: &'a Args<'_>, index: usize) -> Result<&'a MapRef, FnError> {
    let value = args.get(index)?;
    value.as_map_ref().ok_or_else(|| wrong_type("map[string]interface {}", value))
}

/// A map parameter that may be nil (Go's nil map: readable, empty).
fn map_or_nil<'a>(args: &'a Args<'_>, index: usize) -> Result<Option<&'a MapRef>, FnError> {
    if args.get(index)?.is_nil() {
        return Ok(None);
    }
    map_ref(args, index).map(Some)
}

/// mergo's deep merge of `source` into `destination`: maps merge member by member; any other
/// member is set when the destination lacks it or has an empty value (`false`, `0`, `""`), or
/// when `overwrite` and the incoming value is not empty (so `mergeOverwrite` does not turn a
/// `true` into `false` — mergo's known behaviour, kept).
fn merge_into(
    destination: &MapRef,
    source: &BTreeMap<String, Value>,
    overwrite: bool,
    depth: usize,
    budget: &mut usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, incoming) in source {
        *budget = budget.saturating_sub(1);
        if *budget == 0 {
            return;
        }
        match destination.get(key) {
            Some(existing) => {
                if let (Some(existing_map), Some(incoming_map)) = (existing.as_map_ref(), incoming.as_map_ref()) {
                    if !existing_map.same(incoming_map) {
                        merge_into(existing_map, &incoming_map.snapshot(), overwrite, depth + 1, budget);
                    }
                } else if !existing.truthy() || (overwrite && incoming.truthy()) {
                    destination.insert(key.clone(), incoming.clone());
                }
            }
            None => destination.insert(key.clone(), incoming.clone()),
        }
    }
}
