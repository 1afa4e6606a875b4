//! The functions templates call: Go's built-ins ([`builtins`]) and Sprig's and Helm's, one file
//! per theme. Each theme lists its names (so that an unknown name is a parse error, as in Go)
//! and dispatches its calls; arguments are checked the way Go's reflection checks them, with
//! Go's wording (`wrong number of args for quote: want 1 got 2`, `wrong type for value; expected
//! string; got float64`). `include` and `tpl`, which run templates, and `and`/`or`, which
//! short-circuit, are the evaluator's.

pub(crate) mod builtins;
pub(crate) mod convert;
pub(crate) mod crypto;
pub(crate) mod dates;
pub(crate) mod dicts;
pub(crate) mod helm;
pub(crate) mod lists;
pub(crate) mod logic;
pub(crate) mod math;
pub(crate) mod regex;
pub(crate) mod semver;
pub(crate) mod strings;

use super::value::{Kind, Value};
use super::TemplateLimits;

/// What a function may use besides its arguments: the execution's budgets.
pub(crate) struct Context<'a> {
    pub(crate) limits: &'a TemplateLimits,
    /// Iterations spent so far (lists a function builds count too).
    pub(crate) iterations: &'a mut usize,
}

impl Context<'_> {
    /// Spends `count` iterations of the budget.
    pub(crate) fn spend(&mut self, count: usize) -> Result<(), FnError> {
        *self.iterations = self.iterations.saturating_add(count);
        if *self.iterations > self.limits.max_range_iterations {
            return Err(FnError::Call("the list is longer than the iteration limit".into()));
        }
        Ok(())
    }
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FnError {
    /// The function failed: `error calling NAME: message`.
    Call(String),
    /// The call itself is wrong (arity, types): the message as is.
    Args(String),
}

impl FnError {
    /// The message as Go words it, for the function `name`.
    pub(crate) fn message(&self, name: &str) -> String {
        match self {
            FnError::Call(message) => format!("error calling {name}: {message}"),
            FnError::Args(message) => message.clone(),
        }
    }
}

pub(crate) type FnResult = Result<Value, FnError>;

/// The names the evaluator itself implements.
const EVALUATOR: &[&str] = &["and", "or", "include", "tpl"];

/// Whether `name` is a function templates may call.
pub(crate) fn is_defined(name: &str) -> bool {
    EVALUATOR.contains(&name)
        || builtins::NAMES.contains(&name)
        || convert::NAMES.contains(&name)
        || crypto::NAMES.contains(&name)
        || dates::NAMES.contains(&name)
        || dicts::NAMES.contains(&name)
        || helm::NAMES.contains(&name)
        || lists::NAMES.contains(&name)
        || logic::NAMES.contains(&name)
        || math::NAMES.contains(&name)
        || regex::NAMES.contains(&name)
        || semver::NAMES.contains(&name)
        || strings::NAMES.contains(&name)
}

/// Calls function `name`.
pub(crate) fn call(name: &str, args: Vec<Value>, context: &mut Context<'_>) -> FnResult {
    let args = Args { name, args };
    if builtins::NAMES.contains(&name) {
        return builtins::call(name, args, context);
    }
    if strings::NAMES.contains(&name) {
        return strings::call(name, args, context);
    }
    if lists::NAMES.contains(&name) {
        return lists::call(name, args, context);
    }
    if dicts::NAMES.contains(&name) {
        return dicts::call(name, args, context);
    }
    if convert::NAMES.contains(&name) {
        return convert::call(name, args, context);
    }
    if logic::NAMES.contains(&name) {
        return logic::call(name, args, context);
    }
    if math::NAMES.contains(&name) {
        return math::call(name, args, context);
    }
    if crypto::NAMES.contains(&name) {
        return crypto::call(name, args, context);
    }
    if dates::NAMES.contains(&name) {
        return dates::call(name, args, context);
    }
    if regex::NAMES.contains(&name) {
        return regex::call(name, args, context);
    }
    if semver::NAMES.contains(&name) {
        return semver::call(name, args, context);
    }
    if helm::NAMES.contains(&name) {
        return helm::call(name, args, context);
    }
    Err(FnError::Args(format!("function {name:?} not defined")))
}

/// A call's arguments, read with Go's checks.
pub(crate) struct Args<'n> {
    pub(crate) name: &'n str,
    pub(crate) args: Vec<Value>,
}

impl Args<'_> {
    pub(crate) fn len(&self) -> usize {
        self.args.len()
    }

    /// Exactly `count` arguments.
    pub(crate) fn exactly(&self, count: usize) -> Result<(), FnError> {
        if self.args.len() != count {
            return Err(FnError::Args(format!(
                "wrong number of args for {}: want {count} got {}",
                self.name,
                self.args.len()
            )));
        }
        Ok(())
    }

    /// At least `count` arguments (a variadic function).
    pub(crate) fn at_least(&self, count: usize) -> Result<(), FnError> {
        if self.args.len() < count {
            return Err(FnError::Args(format!(
                "wrong number of args for {}: want at least {count} got {}",
                self.name,
                self.args.len()
            )));
        }
        Ok(())
    }

    pub(crate) fn get(&self, index: usize) -> Result<&Value, FnError> {
        self.args.get(index).ok_or_else(|| FnError::Args(format!("wrong number of args for {}", self.name)))
    }

    /// A `string` parameter.
    pub(crate) fn str(&self, index: usize) -> Result<&str, FnError> {
        let value = self.get(index)?;
        match &value.kind {
            Kind::Str(text) => Ok(&text.text),
            _ => Err(wrong_type("string", value)),
        }
    }

    /// An `int` parameter: an int, or a float64 with no fraction (Helm's values are float64).
    pub(crate) fn int(&self, index: usize) -> Result<i64, FnError> {
        let value = self.get(index)?;
        match value.kind {
            Kind::Int(i) => Ok(i),
            #[allow(clippy::cast_possible_truncation)]
            Kind::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(f as i64),
            _ => Err(wrong_type("int", value)),
        }
    }

    /// A `bool` parameter.
    pub(crate) fn bool(&self, index: usize) -> Result<bool, FnError> {
        let value = self.get(index)?;
        match value.kind {
            Kind::Bool(b) => Ok(b),
            _ => Err(wrong_type("bool", value)),
        }
    }

    /// A `[]interface{}` parameter (Sprig's list functions also take nil as an empty list).
    pub(crate) fn list(&self, index: usize) -> Result<Vec<Value>, FnError> {
        let value = self.get(index)?;
        match &value.kind {
            Kind::List(items) => Ok(items.as_ref().clone()),
            Kind::Nil => Ok(Vec::new()),
            Kind::ApiVersions(versions) => Ok(versions.iter().map(|v| Value::string(v.as_str())).collect()),
            _ => Err(wrong_type("[]interface {}", value)),
        }
    }
}

/// Go's error for an argument of the wrong type (nil, for a type that cannot be nil, is an
/// invalid value: `{{ .Values.missing | upper }}` fails in Helm).
pub(crate) fn wrong_type(expected: &str, value: &Value) -> FnError {
    if value.is_nil() {
        return FnError::Args(format!("invalid value; expected {expected}"));
    }
    FnError::Args(format!("wrong type for value; expected {expected}; got {}", value.type_name()))
}

/// Sprig's `toString` (`strval`): a string as is, anything else as `%v` prints it.
pub(crate) fn to_string(value: &Value) -> String {
    match &value.kind {
        Kind::Str(text) => text.text.clone(),
        _ => super::fmt::value(value),
    }
}

/// Sprig's `cast.ToInt64`-like reading of a number: ints, floats (truncated), numeric strings
/// (base prefixes allowed), bools; anything else 0.
pub(crate) fn to_i64(value: &Value) -> i64 {
    match &value.kind {
        Kind::Int(i) => *i,
        #[allow(clippy::cast_possible_truncation)]
        Kind::Float(f) => *f as i64,
        Kind::Bool(b) => i64::from(*b),
        // spf13/cast's `ToInt64`: `12.000` is 12, `3.5` and ` 42` are not integers, so 0.
        Kind::Str(text) => parse_int_text(trim_zero_decimal(&text.text)).unwrap_or(0),
        _ => 0,
    }
}

/// `12.000` → `12`, as spf13/cast's `trimZeroDecimal` does before parsing an integer; any other
/// text as it is.
fn trim_zero_decimal(text: &str) -> &str {
    let Some((whole, decimals)) = text.rsplit_once('.') else { return text };
    match !decimals.is_empty() && decimals.bytes().all(|b| b == b'0') {
        true => whole,
        false => text,
    }
}

/// An integer as `strconv.ParseInt(s, 0, 0)` reads it.
pub(crate) fn parse_int_text(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = digits.replace('_', "");
    let lower = digits.to_ascii_lowercase();
    let value = if let Some(body) = lower.strip_prefix("0x") {
        i64::from_str_radix(body, 16).ok()?
    } else if let Some(body) = lower.strip_prefix("0o") {
        i64::from_str_radix(body, 8).ok()?
    } else if let Some(body) = lower.strip_prefix("0b") {
        i64::from_str_radix(body, 2).ok()?
    } else if lower.len() > 1 && lower.starts_with('0') {
        i64::from_str_radix(lower.get(1..)?, 8).ok()?
    } else {
        lower.parse().ok()?
    };
    Some(if negative { -value } else { value })
}

/// Sprig's `toFloat64`.
pub(crate) fn to_f64(value: &Value) -> f64 {
    match &value.kind {
        #[allow(clippy::cast_precision_loss)]
        Kind::Int(i) => *i as f64,
        Kind::Float(f) => *f,
        Kind::Bool(b) => f64::from(u8::from(*b)),
        // `strconv.ParseFloat`: no surrounding spaces.
        Kind::Str(text) => text.text.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Sprig's `empty`: nil, false, 0, and empty strings, lists and maps.
pub(crate) fn is_empty(value: &Value) -> bool {
    !value.truthy()
}
