//! Go `text/template`'s own functions: `not`, `eq`/`ne`/`lt`/`le`/`gt`/`ge` with Go's rules
//! for comparing (an int and a float64 are "incompatible types for comparison"; nil equals only
//! nil), `len`, `index`, `slice`, `print`/`printf`/`println`, `html`, `js`, `urlquery`, and `call`
//! (no function values exist here, so it always fails).

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::{Args, Context, FnError, FnResult};
use crate::render::gotemplate::fmt;
use crate::render::gotemplate::output::Traced;
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &[
    "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "slice", "print", "printf", "println", "html", "js",
    "urlquery", "call",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "not" => {
            args.exactly(1)?;
            Ok(Value::bool(!args.get(0)?.truthy()))
        }
        "eq" => {
            args.at_least(1)?;
            let Some((first, rest)) = args.args.split_first() else { return Ok(Value::bool(false)) };
            if rest.is_empty() {
                return Err(FnError::Call("missing argument for comparison".into()));
            }
            for other in rest {
                if equal(first, other)? {
                    return Ok(Value::bool(true));
                }
            }
            Ok(Value::bool(false))
        }
        "ne" => {
            args.exactly(2)?;
            Ok(Value::bool(!equal(args.get(0)?, args.get(1)?)?))
        }
        "lt" | "le" | "gt" | "ge" => {
            args.exactly(2)?;
            let ordering = order(args.get(0)?, args.get(1)?)?;
            Ok(Value::bool(match name {
                "lt" => ordering == Ordering::Less,
                "le" => ordering != Ordering::Greater,
                "gt" => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            }))
        }
        "len" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            let length = match &value.kind {
                Kind::Str(text) => text.text.len(),
                Kind::List(items) => items.len(),
                Kind::Map(members) => members.len(),
                Kind::Files(files) => files.len(),
                Kind::ApiVersions(versions) => versions.len(),
                Kind::Nil => return Err(FnError::Call("len of nil pointer".into())),
                _ => return Err(FnError::Call(format!("len of type {}", value.type_name()))),
            };
            Ok(Value::int(i64::try_from(length).unwrap_or(i64::MAX)))
        }
        "index" => {
            args.at_least(1)?;
            let mut value = args.get(0)?.clone();
            for key in args.args.iter().skip(1) {
                value = index(&value, key)?;
            }
            Ok(value)
        }
        "slice" => {
            args.at_least(1)?;
            slice(&args)
        }
        "print" => Ok(combined(fmt::sprint(&args.args), &args.args)),
        "println" => Ok(combined(fmt::sprintln(&args.args), &args.args)),
        "printf" => {
            args.at_least(1)?;
            let format = args.str(0)?;
            let rest = args.args.get(1..).unwrap_or(&[]);
            Ok(combined(fmt::sprintf(format, rest), rest))
        }
        "html" => Ok(Value::string(html_escape(&joined(&args.args)))),
        "js" => Ok(Value::string(js_escape(&joined(&args.args)))),
        "urlquery" => Ok(Value::string(query_escape(&joined(&args.args)))),
        _ => Err(FnError::Call("call of nil".into())),
    }
}

/// A string made from `args`, carrying the origin of the first that has one.
pub(crate) fn combined(text: String, args: &[Value]) -> Value {
    let origin = args.iter().find_map(Value::first_origin);
    Value::traced(Traced::from_origin(text, origin))
}

/// The text of Go's `evalArgs`: one string as is, else `fmt.Sprint` of them all.
fn joined(args: &[Value]) -> String {
    match args {
        [Value { kind: Kind::Str(text), .. }] => text.text.clone(),
        _ => fmt::sprint(args),
    }
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Basic {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn basic(value: &Value) -> Basic {
    match value.kind {
        Kind::Nil => Basic::Invalid,
        Kind::Bool(_) => Basic::Bool,
        Kind::Int(_) => Basic::Int,
        Kind::Float(_) => Basic::Float,
        Kind::Str(_) => Basic::Str,
        _ => Basic::Other,
    }
}

/// Go's `eq` for one pair.
pub(crate) fn equal(a: &Value, b: &Value) -> Result<bool, FnError> {
    let (ka, kb) = (basic(a), basic(b));
    if ka != kb {
        if ka != Basic::Invalid && kb != Basic::Invalid {
            return Err(FnError::Call("incompatible types for comparison".into()));
        }
        return Ok(false);
    }
    Ok(match (&a.kind, &b.kind) {
        (Kind::Nil, Kind::Nil) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Int(x), Kind::Int(y)) => x == y,
        (Kind::Float(x), Kind::Float(y)) => x == y,
        (Kind::Str(x), Kind::Str(y)) => x.text == y.text,
        _ => {
            return Err(FnError::Call(format!("non-comparable type {}: {}", fmt::value(a), a.type_name())));
        }
    })
}

/// Go's ordering for `lt` and the rest.
fn order(a: &Value, b: &Value) -> Result<Ordering, FnError> {
    let (ka, kb) = (basic(a), basic(b));
    if matches!(ka, Basic::Invalid | Basic::Other | Basic::Bool)
        || matches!(kb, Basic::Invalid | Basic::Other | Basic::Bool)
    {
        if ka != kb && !matches!(ka, Basic::Invalid | Basic::Other | Basic::Bool) {
            return Err(FnError::Call("incompatible types for comparison".into()));
        }
        return Err(FnError::Call("invalid type for comparison".into()));
    }
    if ka != kb {
        return Err(FnError::Call("incompatible types for comparison".into()));
    }
    Ok(match (&a.kind, &b.kind) {
        (Kind::Int(x), Kind::Int(y)) => x.cmp(y),
        (Kind::Float(x), Kind::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Kind::Str(x), Kind::Str(y)) => x.text.cmp(&y.text),
        _ => Ordering::Equal,
    })
}

/// An index argument: any integer (Go rejects floats).
fn index_number(key: &Value) -> Result<i64, FnError> {
    match key.kind {
        Kind::Int(i) => Ok(i),
        Kind::Nil => Err(FnError::Call("cannot index slice/array with nil".into())),
        _ => Err(FnError::Call(format!("cannot index slice/array with type {}", key.type_name()))),
    }
}

fn index(value: &Value, key: &Value) -> Result<Value, FnError> {
    match &value.kind {
        Kind::Nil => Err(FnError::Call("index of untyped nil".into())),
        Kind::List(items) => {
            let at = index_number(key)?;
            usize::try_from(at)
                .ok()
                .and_then(|at| items.get(at))
                .cloned()
                .ok_or_else(|| FnError::Call(format!("index out of range: {at}")))
        }
        Kind::Str(text) => {
            let at = index_number(key)?;
            usize::try_from(at)
                .ok()
                .and_then(|at| text.text.as_bytes().get(at))
                .map(|byte| Value::int(i64::from(*byte)))
                .ok_or_else(|| FnError::Call(format!("index out of range: {at}")))
        }
        Kind::Map(members) => match &key.kind {
            Kind::Str(name) => Ok(members.get(&name.text).unwrap_or_else(Value::nil)),
            Kind::Nil => Ok(Value::nil()),
            _ => Err(FnError::Call(format!("value has type {}; should be string", key.type_name()))),
        },
        Kind::Files(files) => match &key.kind {
            Kind::Str(name) => Ok(files.get(&name.text).map_or_else(Value::nil, |text| Value::string(text.as_str()))),
            _ => Err(FnError::Call(format!("value has type {}; should be string", key.type_name()))),
        },
        _ => Err(FnError::Call(format!("can't index item of type {}", value.type_name()))),
    }
}

fn slice(args: &Args<'_>) -> FnResult {
    let value = args.get(0)?;
    let bounds: Vec<i64> = args.args.iter().skip(1).map(index_number).collect::<Result<_, _>>()?;
    let length = match &value.kind {
        Kind::List(items) => items.len(),
        Kind::Str(text) => text.text.len(),
        Kind::Nil => return Err(FnError::Call("slice of untyped nil".into())),
        _ => return Err(FnError::Call(format!("can't slice item of type {}", value.type_name()))),
    };
    if bounds.len() > 2 && matches!(value.kind, Kind::Str(_)) {
        return Err(FnError::Call("cannot 3-index slice a string".into()));
    }
    if bounds.len() > 3 {
        return Err(FnError::Call(format!("too many slice indexes: {}", bounds.len())));
    }
    let to_usize =
        |bound: i64| usize::try_from(bound).map_err(|_| FnError::Call(format!("index out of range: {bound}")));
    let start = bounds.first().copied().map_or(Ok(0), to_usize)?;
    let end = bounds.get(1).copied().map_or(Ok(length), to_usize)?;
    if end > length {
        return Err(FnError::Call(format!("index out of range: {end}")));
    }
    if start > end {
        return Err(FnError::Call(format!("invalid slice index: {start} > {end}")));
    }
    match &value.kind {
        Kind::List(items) => Ok(Value::list(items.get(start..end).unwrap_or(&[]).to_vec())),
        Kind::Str(text) => {
            if text.text.get(start..end).is_none() {
                return Err(FnError::Call("slice splits a character".into()));
            }
            Ok(Value::traced(text.slice(start..end)).with_origin(None))
        }
        _ => Ok(Value::nil()),
    }
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
fn js_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            other => {
                let _ = write!(out, "%{other:02X}");
            }
        }
    }
    out
}
