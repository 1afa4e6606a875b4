//! Sprig's and Helm's logic and type functions: `default` (which hands back the value it
//! chose, origin and all), `empty`, `coalesce`, `ternary`, `all`/`any`, Helm's `required` and
//! `fail` (the chart author's own error message), and `typeOf`/`typeIs`/`typeIsLike`/`kindOf`/
//! `kindIs`/`deepEqual` with Go's type and kind names.

use super::{is_empty, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &[
    "default",
    "empty",
    "coalesce",
    "ternary",
    "all",
    "any",
    "required",
    "fail",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "default" => {
            args.at_least(1)?;
            let fallback = args.get(0)?;
            match args.args.get(1) {
                Some(given) if !is_empty(given) => Ok(given.clone()),
                _ => Ok(fallback.clone()),
            }
        }
        "empty" => {
            args.exactly(1)?;
            Ok(Value::bool(is_empty(args.get(0)?)))
        }
        "coalesce" => Ok(args.args.iter().find(|value| !is_empty(value)).cloned().unwrap_or_else(Value::nil)),
        "ternary" => {
            args.exactly(3)?;
            Ok(if args.bool(2)? { args.get(0)?.clone() } else { args.get(1)?.clone() })
        }
        "all" => Ok(Value::bool(args.args.iter().all(|value| !is_empty(value)))),
        "any" => Ok(Value::bool(args.args.iter().any(|value| !is_empty(value)))),
        "required" => {
            args.exactly(2)?;
            let message = args.str(0)?;
            let value = args.get(1)?;
            match &value.kind {
                Kind::Nil => Err(FnError::Call(message.to_owned())),
                Kind::Str(text) if text.text.is_empty() => Err(FnError::Call(message.to_owned())),
                _ => Ok(value.clone()),
            }
        }
        "fail" => {
            args.exactly(1)?;
            Err(FnError::Call(args.str(0)?.to_owned()))
        }
        "typeOf" => {
            args.exactly(1)?;
            Ok(Value::string(args.get(0)?.type_name()))
        }
        "typeIs" => {
            args.exactly(2)?;
            Ok(Value::bool(args.str(0)? == args.get(1)?.type_name()))
        }
        "typeIsLike" => {
            args.exactly(2)?;
            let wanted = args.str(0)?;
            let actual = args.get(1)?.type_name();
            Ok(Value::bool(wanted == actual || wanted.strip_prefix('*') == Some(actual)))
        }
        "kindOf" => {
            args.exactly(1)?;
            Ok(Value::string(args.get(0)?.kind_name()))
        }
        "kindIs" => {
            args.exactly(2)?;
            Ok(Value::bool(args.str(0)? == args.get(1)?.kind_name()))
        }
        "deepEqual" => {
            args.exactly(2)?;
            Ok(Value::bool(args.get(0)? == args.get(1)?))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}
