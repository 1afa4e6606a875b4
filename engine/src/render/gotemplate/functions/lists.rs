//! Sprig's list functions: `list`, `append`/`push`, `prepend`, `concat`, `first`/`last`/`rest`/
//! `initial`, `reverse`, `uniq`, `has`, `without`, `compact`, `sortAlpha`, `until`/`untilStep`,
//! `seq`, `chunk`, and their `must*` twins (which here fail the same way: nothing panics). Items
//! are compared as Go's `reflect.DeepEqual` does (an int is not a float).

use super::strings::string_slice;
use super::{is_empty, to_string, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &[
    "list",
    "tuple",
    "append",
    "push",
    "mustAppend",
    "mustPush",
    "prepend",
    "mustPrepend",
    "concat",
    "first",
    "mustFirst",
    "last",
    "mustLast",
    "rest",
    "mustRest",
    "initial",
    "mustInitial",
    "reverse",
    "mustReverse",
    "uniq",
    "mustUniq",
    "has",
    "mustHas",
    "without",
    "mustWithout",
    "compact",
    "mustCompact",
    "sortAlpha",
    "until",
    "untilStep",
    "seq",
    "chunk",
    "mustChunk",
];

pub(crate) fn call(name: &str, args: Args<'_>, context: &mut Context<'_>) -> FnResult {
    let name = name.strip_prefix("must").map_or(name.to_owned(), |rest| {
        let mut chars = rest.chars();
        chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
    });
    match name.as_str() {
        "list" | "tuple" => Ok(Value::list(args.args)),
        "append" | "push" => {
            args.exactly(2)?;
            let mut items = list_arg(&args, 0, "append")?;
            items.push(args.get(1)?.clone());
            Ok(Value::list(items))
        }
        "prepend" => {
            args.exactly(2)?;
            let mut items = list_arg(&args, 0, "prepend")?;
            items.insert(0, args.get(1)?.clone());
            Ok(Value::list(items))
        }
        "concat" => {
            let mut items = Vec::new();
            for (index, _) in args.args.iter().enumerate() {
                items.extend(list_arg(&args, index, "concat")?);
            }
            context.spend(items.len())?;
            Ok(Value::list(items))
        }
        "first" | "last" | "rest" | "initial" | "reverse" => {
            args.exactly(1)?;
            let items = list_arg(&args, 0, &name)?;
            Ok(match name.as_str() {
                "first" => items.first().cloned().unwrap_or_else(Value::nil),
                "last" => items.last().cloned().unwrap_or_else(Value::nil),
                "rest" if items.is_empty() => Value::nil(),
                "rest" => Value::list(items.get(1..).unwrap_or(&[]).to_vec()),
                "initial" if items.is_empty() => Value::nil(),
                "initial" => Value::list(items.get(..items.len() - 1).unwrap_or(&[]).to_vec()),
                _ => Value::list(items.into_iter().rev().collect()),
            })
        }
        "uniq" => {
            args.exactly(1)?;
            let mut out: Vec<Value> = Vec::new();
            for item in list_arg(&args, 0, "uniq")? {
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            Ok(Value::list(out))
        }
        "has" => {
            args.exactly(2)?;
            let needle = args.get(0)?;
            let haystack = args.get(1)?;
            if haystack.is_nil() {
                return Ok(Value::bool(false));
            }
            Ok(Value::bool(list_arg(&args, 1, "has")?.contains(needle)))
        }
        "without" => {
            args.at_least(1)?;
            let omit = args.args.get(1..).unwrap_or(&[]);
            let items = list_arg(&args, 0, "without")?;
            Ok(Value::list(items.into_iter().filter(|item| !omit.contains(item)).collect()))
        }
        "compact" => {
            args.exactly(1)?;
            Ok(Value::list(list_arg(&args, 0, "compact")?.into_iter().filter(|item| !is_empty(item)).collect()))
        }
        "sortAlpha" => {
            args.exactly(1)?;
            let mut items: Vec<String> = string_slice(args.get(0)?).iter().map(to_string).collect();
            items.sort();
            Ok(Value::list(items.into_iter().map(Value::string).collect()))
        }
        "until" => {
            args.exactly(1)?;
            let count = args.int(0)?;
            let step = if count < 0 { -1 } else { 1 };
            range_list(0, count, step, context)
        }
        "untilStep" => {
            args.exactly(3)?;
            range_list(args.int(0)?, args.int(1)?, args.int(2)?, context)
        }
        "seq" => {
            let numbers: Vec<i64> = (0..args.len()).map(|index| args.int(index)).collect::<Result<_, _>>()?;
            let items = match numbers.as_slice() {
                [end] => {
                    let step = if *end < 1 { -1 } else { 1 };
                    steps(1, end.saturating_add(step), step, context)?
                }
                [start, end] => {
                    let step = if end < start { -1 } else { 1 };
                    steps(*start, end.saturating_add(step), step, context)?
                }
                [start, step, end] => {
                    let increment = if end < start { -1 } else { 1 };
                    if end < start && *step > 0 {
                        Vec::new()
                    } else {
                        steps(*start, end.saturating_add(increment), *step, context)?
                    }
                }
                _ => Vec::new(),
            };
            Ok(Value::string(items.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")))
        }
        "chunk" => {
            args.exactly(2)?;
            let size = usize::try_from(args.int(0)?).unwrap_or(0);
            let items = list_arg(&args, 1, "chunk")?;
            if size == 0 {
                return Ok(Value::list(Vec::new()));
            }
            Ok(Value::list(items.chunks(size).map(|chunk| Value::list(chunk.to_vec())).collect()))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}

/// A list argument: Sprig accepts any slice, and fails on anything else.
fn list_arg(args: &Args<'_>, index: usize, name: &str) -> Result<Vec<Value>, FnError> {
    let value = args.get(index)?;
    match &value.kind {
        Kind::List(_) | Kind::Nil | Kind::ApiVersions(_) => args.list(index),
        _ => Err(FnError::Call(format!("Cannot {name} on type {}", value.type_name()))),
    }
}

/// Sprig's `untilStep`.
fn steps(start: i64, stop: i64, step: i64, context: &mut Context<'_>) -> Result<Vec<i64>, FnError> {
    let mut out = Vec::new();
    if step == 0 || (stop < start && step > 0) || (stop >= start && step < 0) {
        return Ok(out);
    }
    let mut at = start;
    while (step > 0 && at < stop) || (step < 0 && at > stop) {
        context.spend(1)?;
        out.push(at);
        at = at.saturating_add(step);
    }
    Ok(out)
}

fn range_list(start: i64, stop: i64, step: i64, context: &mut Context<'_>) -> FnResult {
    Ok(Value::list(steps(start, stop, step, context)?.into_iter().map(Value::int).collect()))
}
