//! Terraform's built-in functions that configuration commonly passes security-relevant values
//! through (`merge`, `lookup`, `try`, `coalesce`, `format`, `jsonencode`, `cidrsubnet`, …),
//! evaluated statically with Terraform's semantics. A function ward does not know, or one given
//! an unknown argument it needs whole, gives [`Stop::Unknown`]; wrong arguments give
//! [`Stop::Error`], which `try` and `can` observe.

use hcl_edit::expr::Expression;
use serde_json::{Map, Value};

use super::eval::{
    as_f64, cidrsubnet, equal, has_unknown, is_unknown_text, number, to_bool, to_number, to_text, Evaluator, Outcome,
    Stop,
};

/// The most elements a function may build (`range`, `flatten`).
const MAX_ITEMS: usize = 10_000;

pub(crate) fn call(ev: &Evaluator<'_>, name: &str, args: &[&Expression], expand_final: bool, depth: usize) -> Outcome {
    match name {
        // Lazy: each argument's failure is what they observe.
        "try" => {
            for arg in args {
                match ev.eval(arg, depth) {
                    Ok(value) if has_unknown(&value) => return Err(Stop::Unknown),
                    Ok(value) => return Ok(value),
                    Err(Stop::Unknown) => return Err(Stop::Unknown),
                    Err(Stop::Error) => continue,
                }
            }
            Err(Stop::Error)
        }
        "can" => match args {
            [arg] => match ev.eval(arg, depth) {
                Ok(value) if has_unknown(&value) => Err(Stop::Unknown),
                Ok(_) => Ok(Value::Bool(true)),
                Err(Stop::Error) => Ok(Value::Bool(false)),
                Err(Stop::Unknown) => Err(Stop::Unknown),
            },
            _ => Err(Stop::Error),
        },
        _ => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(ev.eval(arg, depth)?);
            }
            if expand_final {
                match values.pop() {
                    Some(Value::Array(last)) => values.extend(last),
                    Some(last) if is_unknown_text(&last) => return Err(Stop::Unknown),
                    _ => return Err(Stop::Error),
                }
            }
            apply(name, values)
        }
    }
}

/// Whether any argument is wholly unknown, or holds an unknown part.
fn any_unknown(values: &[Value]) -> bool {
    values.iter().any(has_unknown)
}

fn apply(name: &str, args: Vec<Value>) -> Outcome {
    // Functions that need every argument whole.
    let needs_whole = !matches!(
        name,
        "merge"
            | "concat"
            | "lookup"
            | "coalesce"
            | "coalescelist"
            | "length"
            | "element"
            | "flatten"
            | "keys"
            | "values"
            | "zipmap"
            | "tolist"
            | "toset"
            | "tomap"
            | "one"
            | "compact"
            | "slice"
            | "reverse"
    );
    if needs_whole && any_unknown(&args) {
        return Err(Stop::Unknown);
    }
    // Whole-value unknowns (`"${…}"` at the top of an argument) block every function.
    if args.iter().any(is_unknown_text) {
        return Err(Stop::Unknown);
    }
    match (name, args.as_slice()) {
        ("merge", _) => {
            let mut out = Map::new();
            for arg in args {
                match arg {
                    Value::Object(map) => out.extend(map),
                    Value::Null => {}
                    _ => return Err(Stop::Error),
                }
            }
            Ok(Value::Object(out))
        }
        ("concat", _) => {
            let mut out = Vec::new();
            for arg in args {
                match arg {
                    Value::Array(items) => out.extend(items),
                    _ => return Err(Stop::Error),
                }
                if out.len() > MAX_ITEMS {
                    return Err(Stop::Unknown);
                }
            }
            Ok(Value::Array(out))
        }
        ("lookup", [Value::Object(map), key, rest @ ..]) if rest.len() <= 1 => {
            match (map.get(&to_text(key)?), rest.first()) {
                (Some(value), _) => Ok(value.clone()),
                (None, Some(default)) => Ok(default.clone()),
                (None, None) => Err(Stop::Error),
            }
        }
        ("coalesce", _) => {
            // The first argument that is neither null nor an empty string; an unknown one
            // before it makes the answer unknown.
            for arg in args {
                if has_unknown(&arg) {
                    return Err(Stop::Unknown);
                }
                match arg {
                    Value::Null => continue,
                    Value::String(s) if s.is_empty() => continue,
                    other => return Ok(other),
                }
            }
            Err(Stop::Error)
        }
        ("coalescelist", _) => {
            for arg in args {
                match arg {
                    Value::Array(items) if items.is_empty() => continue,
                    Value::Array(items) => return Ok(Value::Array(items)),
                    _ => return Err(Stop::Error),
                }
            }
            Err(Stop::Error)
        }
        ("format", [Value::String(spec), rest @ ..]) => format(spec, rest).map(Value::String),
        ("formatlist", [Value::String(spec), rest @ ..]) => {
            let length = rest.iter().filter_map(Value::as_array).map(Vec::len).max();
            let Some(length) = length else { return format(spec, rest).map(|s| Value::Array(vec![Value::String(s)])) };
            let mut out = Vec::with_capacity(length);
            for i in 0..length {
                let row: Vec<Value> = rest
                    .iter()
                    .map(|arg| match arg {
                        Value::Array(items) => items.get(i).cloned().ok_or(Stop::Error),
                        other => Ok(other.clone()),
                    })
                    .collect::<Result<_, _>>()?;
                out.push(Value::String(format(spec, &row)?));
            }
            Ok(Value::Array(out))
        }
        ("join", [separator, lists @ ..]) if !lists.is_empty() => {
            let separator = to_text(separator)?;
            let mut parts = Vec::new();
            for list in lists {
                for item in list.as_array().ok_or(Stop::Error)? {
                    parts.push(to_text(item)?);
                }
            }
            Ok(Value::String(parts.join(&separator)))
        }
        ("split", [separator, text]) => {
            let (separator, text) = (to_text(separator)?, to_text(text)?);
            // As Go's `strings.Split`: `split(",", "")` is `[""]` (hence `compact(split(…))`).
            let parts: Vec<Value> = if separator.is_empty() {
                text.chars().map(|c| Value::String(c.to_string())).collect()
            } else {
                text.split(separator.as_str()).map(|s| Value::String(s.to_owned())).collect()
            };
            Ok(Value::Array(parts))
        }
        ("lower", [text]) => Ok(Value::String(to_text(text)?.to_lowercase())),
        ("upper", [text]) => Ok(Value::String(to_text(text)?.to_uppercase())),
        ("trimspace", [text]) => Ok(Value::String(to_text(text)?.trim().to_owned())),
        ("trimprefix", [text, prefix]) => {
            let (text, prefix) = (to_text(text)?, to_text(prefix)?);
            Ok(Value::String(text.strip_prefix(prefix.as_str()).unwrap_or(&text).to_owned()))
        }
        ("trimsuffix", [text, suffix]) => {
            let (text, suffix) = (to_text(text)?, to_text(suffix)?);
            Ok(Value::String(text.strip_suffix(suffix.as_str()).unwrap_or(&text).to_owned()))
        }
        ("startswith", [text, prefix]) => Ok(Value::Bool(to_text(text)?.starts_with(&to_text(prefix)?))),
        ("endswith", [text, suffix]) => Ok(Value::Bool(to_text(text)?.ends_with(&to_text(suffix)?))),
        ("replace", [text, search, replacement]) => {
            let search = to_text(search)?;
            // `/…/` searches are regular expressions; ward does not guess at them.
            if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
                return Err(Stop::Unknown);
            }
            Ok(Value::String(to_text(text)?.replace(&search, &to_text(replacement)?)))
        }
        ("tostring", [value]) => match value {
            Value::Null => Ok(Value::Null),
            other => to_text(other).map(Value::String),
        },
        ("tonumber", [value]) => match value {
            Value::Null => Ok(Value::Null),
            other => to_number(other).map(Value::Number),
        },
        ("tobool", [value]) => match value {
            Value::Null => Ok(Value::Null),
            other => to_bool(other).map(Value::Bool),
        },
        ("tolist" | "toset", [value]) => match value {
            Value::Array(items) if name == "toset" => Ok(Value::Array(as_set(items.clone()))),
            Value::Array(_) => Ok(value.clone()),
            _ => Err(Stop::Error),
        },
        ("tomap", [value]) => match value {
            Value::Object(_) => Ok(value.clone()),
            _ => Err(Stop::Error),
        },
        ("jsonencode", [value]) => serde_json::to_string(value).map(Value::String).map_err(|_| Stop::Error),
        ("jsondecode", [Value::String(text)]) => {
            if text.len() > (1 << 20) {
                return Err(Stop::Unknown);
            }
            serde_json::from_str(text).map_err(|_| Stop::Error)
        }
        ("cidrsubnet", [prefix, newbits, netnum]) => {
            let newbits = whole_number(newbits)?;
            let netnum = whole_number(netnum)?;
            let newbits = u32::try_from(newbits).map_err(|_| Stop::Error)?;
            cidrsubnet(&to_text(prefix)?, newbits, u128::from(netnum)).map(Value::String).ok_or(Stop::Error)
        }
        ("length", [value]) => match value {
            Value::Array(items) => Ok(Value::from(items.len())),
            Value::Object(map) => Ok(Value::from(map.len())),
            Value::String(s) => Ok(Value::from(s.chars().count())),
            _ => Err(Stop::Error),
        },
        ("element", [Value::Array(items), index]) => {
            if items.is_empty() {
                return Err(Stop::Error);
            }
            let index = whole_number(index)?;
            // `element` wraps around.
            let at = usize::try_from(index).map_err(|_| Stop::Error)? % items.len();
            items.get(at).cloned().ok_or(Stop::Error)
        }
        ("flatten", [Value::Array(items)]) => {
            let mut out = Vec::new();
            flatten_into(items, &mut out, 0)?;
            Ok(Value::Array(out))
        }
        ("contains", [Value::Array(items), value]) => Ok(Value::Bool(items.iter().any(|item| equal(item, value)))),
        ("keys", [Value::Object(map)]) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Ok(Value::Array(keys.into_iter().map(|k| Value::String(k.clone())).collect()))
        }
        ("values", [Value::Object(map)]) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Ok(Value::Array(entries.into_iter().map(|(_, v)| v.clone()).collect()))
        }
        ("zipmap", [Value::Array(keys), Value::Array(values)]) if keys.len() == values.len() => {
            let mut map = Map::new();
            for (key, value) in keys.iter().zip(values) {
                if is_unknown_text(key) {
                    return Err(Stop::Unknown);
                }
                map.insert(to_text(key)?, value.clone());
            }
            Ok(Value::Object(map))
        }
        ("distinct", [Value::Array(items)]) => Ok(Value::Array(distinct(items.clone()))),
        ("compact", [Value::Array(items)]) => Ok(Value::Array(
            items.iter().filter(|item| !matches!(item, Value::Null) && item.as_str() != Some("")).cloned().collect(),
        )),
        ("reverse", [Value::Array(items)]) => Ok(Value::Array(items.iter().rev().cloned().collect())),
        ("slice", [Value::Array(items), start, end]) => {
            let start = usize::try_from(whole_number(start)?).map_err(|_| Stop::Error)?;
            let end = usize::try_from(whole_number(end)?).map_err(|_| Stop::Error)?;
            items.get(start..end).map(|part| Value::Array(part.to_vec())).ok_or(Stop::Error)
        }
        ("one", [Value::Array(items)]) => match items.as_slice() {
            [] => Ok(Value::Null),
            [only] => Ok(only.clone()),
            _ => Err(Stop::Error),
        },
        ("range", _) => range(&args),
        ("min" | "max", _) if !args.is_empty() => {
            let mut numbers = Vec::with_capacity(args.len());
            for arg in &args {
                numbers.push(as_f64(&to_number(arg)?)?);
            }
            let pick = if name == "min" { f64::min } else { f64::max };
            let first = numbers.first().copied().ok_or(Stop::Error)?;
            number(numbers.into_iter().fold(first, pick))
        }
        ("abs", [value]) => number(as_f64(&to_number(value)?)?.abs()),
        ("alltrue" | "anytrue", [Value::Array(items)]) => {
            let mut bools = Vec::with_capacity(items.len());
            for item in items {
                bools.push(to_bool(item)?);
            }
            Ok(Value::Bool(if name == "alltrue" { bools.iter().all(|b| *b) } else { bools.iter().any(|b| *b) }))
        }
        ("sort", [Value::Array(items)]) => {
            let mut texts = items.iter().map(to_text).collect::<Result<Vec<_>, _>>()?;
            texts.sort();
            Ok(Value::Array(texts.into_iter().map(Value::String).collect()))
        }
        _ => Err(Stop::Unknown),
    }
}

fn whole_number(value: &Value) -> Result<u64, Stop> {
    let f = as_f64(&to_number(value)?)?;
    if f < 0.0 || f.fract() != 0.0 || f > 1e18 {
        return Err(Stop::Error);
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(f as u64)
}

/// A set as Terraform orders it when it is iterated or made a list: strings sorted, anything
/// else in first-seen order (Terraform's own order for those is its hash's; no rule depends
/// on it).
fn as_set(items: Vec<Value>) -> Vec<Value> {
    let mut set = distinct(items);
    if set.iter().all(Value::is_string) {
        set.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    set
}

fn distinct(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !out.iter().any(|seen| equal(seen, &item)) {
            out.push(item);
        }
    }
    out
}

fn flatten_into(items: &[Value], out: &mut Vec<Value>, depth: usize) -> Result<(), Stop> {
    if depth > 64 {
        return Err(Stop::Unknown);
    }
    for item in items {
        match item {
            Value::Array(inner) => flatten_into(inner, out, depth + 1)?,
            other => out.push(other.clone()),
        }
        if out.len() > MAX_ITEMS {
            return Err(Stop::Unknown);
        }
    }
    Ok(())
}

fn range(args: &[Value]) -> Outcome {
    let numbers = args.iter().map(|arg| to_number(arg).and_then(|n| as_f64(&n))).collect::<Result<Vec<_>, _>>()?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if start <= limit { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => return Err(Stop::Error),
    };
    if step == 0.0 {
        return Err(Stop::Error);
    }
    let mut out = Vec::new();
    let mut at = start;
    while (step > 0.0 && at < limit) || (step < 0.0 && at > limit) {
        out.push(number(at)?);
        if out.len() > MAX_ITEMS {
            return Err(Stop::Unknown);
        }
        at += step;
    }
    Ok(Value::Array(out))
}

/// Terraform's `format`: `%s`, `%d`, `%v`, `%q`, `%t`, `%f`/`%.Nf`, `%x`, `%%`, with explicit
/// argument indexes `%[2]s`. Widths and flags other than precision are not supported, and a
/// spec using them is unknown rather than wrongly formatted.
fn format(spec: &str, args: &[Value]) -> Result<String, Stop> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut index = None;
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            index = Some(digits.parse::<usize>().map_err(|_| Stop::Error)?.checked_sub(1).ok_or(Stop::Error)?);
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            precision = Some(digits.parse::<usize>().unwrap_or(0));
        }
        let verb = chars.next().ok_or(Stop::Error)?;
        let at = index.unwrap_or(next_arg);
        next_arg = at + 1;
        let arg = args.get(at).ok_or(Stop::Error)?;
        match verb {
            's' => out.push_str(&to_text(arg)?),
            'd' => {
                let f = as_f64(&to_number(arg)?)?;
                if f.fract() != 0.0 {
                    return Err(Stop::Error);
                }
                out.push_str(&to_text(&number(f)?)?);
            }
            'f' => out.push_str(&format!("{:.*}", precision.unwrap_or(6), as_f64(&to_number(arg)?)?)),
            't' => out.push_str(if to_bool(arg)? { "true" } else { "false" }),
            'q' => out.push_str(&serde_json::to_string(&to_text(arg)?).map_err(|_| Stop::Error)?),
            'v' => match arg {
                Value::Array(_) | Value::Object(_) => {
                    out.push_str(&serde_json::to_string(arg).map_err(|_| Stop::Error)?)
                }
                Value::Null => out.push_str("null"),
                other => out.push_str(&to_text(other)?),
            },
            'x' => {
                let n = whole_number(arg)?;
                out.push_str(&format!("{n:x}"));
            }
            _ => return Err(Stop::Unknown),
        }
        if out.len() > (1 << 20) {
            return Err(Stop::Unknown);
        }
    }
    Ok(out)
}
