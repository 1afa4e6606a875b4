//! Sprig's arithmetic: the integer family (`add`, `add1`, `sub`, `mul`, `div`, `mod`, `max`,
//! `min`, reading any number or numeric string as Sprig's `toInt64` does, answering `int64`)
//! and the float family (`addf`, `subf`, `mulf`, `divf`, `maxf`, `minf`, `floor`, `ceil`,
//! `round`). Division by zero is the error Go's runtime raises; `randInt` is deterministic (its
//! lower bound).

use super::{to_f64, to_i64, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::Value;

pub(crate) const NAMES: &[&str] = &[
    "add", "add1", "sub", "mul", "div", "mod", "max", "min", "biggest", "addf", "add1f", "subf", "mulf", "divf",
    "maxf", "minf", "floor", "ceil", "round", "randInt",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    let ints = || args.args.iter().map(to_i64).collect::<Vec<i64>>();
    let floats = || args.args.iter().map(to_f64).collect::<Vec<f64>>();
    match name {
        "add" => Ok(Value::int(ints().into_iter().fold(0i64, i64::wrapping_add))),
        "add1" => {
            args.exactly(1)?;
            Ok(Value::int(to_i64(args.get(0)?).wrapping_add(1)))
        }
        "sub" => {
            args.exactly(2)?;
            Ok(Value::int(to_i64(args.get(0)?).wrapping_sub(to_i64(args.get(1)?))))
        }
        "mul" => {
            args.at_least(1)?;
            Ok(Value::int(ints().into_iter().fold(1i64, i64::wrapping_mul)))
        }
        "div" | "mod" => {
            args.exactly(2)?;
            let (a, b) = (to_i64(args.get(0)?), to_i64(args.get(1)?));
            if b == 0 {
                return Err(FnError::Call("runtime error: integer divide by zero".into()));
            }
            Ok(Value::int(if name == "div" { a.wrapping_div(b) } else { a.wrapping_rem(b) }))
        }
        "max" | "biggest" | "min" => {
            args.at_least(1)?;
            let values = ints();
            let chosen = if name == "min" { values.iter().min() } else { values.iter().max() };
            Ok(Value::int(chosen.copied().unwrap_or(0)))
        }
        "addf" => Ok(Value::float(floats().into_iter().sum())),
        "add1f" => {
            args.exactly(1)?;
            Ok(Value::float(to_f64(args.get(0)?) + 1.0))
        }
        "subf" => {
            args.at_least(1)?;
            let values = floats();
            let first = values.first().copied().unwrap_or(0.0);
            Ok(Value::float(values.iter().skip(1).fold(first, |a, b| a - b)))
        }
        "mulf" => {
            args.at_least(1)?;
            Ok(Value::float(floats().into_iter().product()))
        }
        "divf" => {
            args.at_least(1)?;
            let values = floats();
            let first = values.first().copied().unwrap_or(0.0);
            Ok(Value::float(values.iter().skip(1).fold(first, |a, b| a / b)))
        }
        "maxf" | "minf" => {
            args.at_least(1)?;
            let values = floats();
            let first = values.first().copied().unwrap_or(0.0);
            let chosen = values.iter().skip(1).fold(first, |a, &b| if name == "maxf" { a.max(b) } else { a.min(b) });
            Ok(Value::float(chosen))
        }
        "floor" => {
            args.exactly(1)?;
            Ok(Value::float(to_f64(args.get(0)?).floor()))
        }
        "ceil" => {
            args.exactly(1)?;
            Ok(Value::float(to_f64(args.get(0)?).ceil()))
        }
        "round" => {
            args.at_least(2)?;
            let value = to_f64(args.get(0)?);
            let places = i32::try_from(to_i64(args.get(1)?).clamp(-300, 300)).unwrap_or(0);
            let half = args.args.get(2).map_or(0.5, to_f64);
            let scale = 10f64.powi(places);
            let scaled = value * scale;
            let whole = scaled.trunc();
            let rounded = if scaled.fract().abs() >= half { whole + scaled.signum() } else { whole };
            Ok(Value::float(rounded / scale))
        }
        "randInt" => {
            args.exactly(2)?;
            Ok(Value::int(to_i64(args.get(0)?)))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}
