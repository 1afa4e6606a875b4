//! Go's `fmt` as templates use it: `%v` of every value (`map[a:1 b:2]`, `[1 2]`, `<nil>`, floats
//! the way `strconv` writes them shortest, `1e+06`), `print`/`println`'s spacing, and `printf`'s
//! verbs with flags, width and precision (`%s %d %v %q %t %f %e %g %x %X %o %b %c %T %%`), bad
//! verbs and missing or extra operands reported inline as Go does (`%!d(string=x)`).

use std::fmt::Write as _;

use super::value::{Kind, Value};

/// `%v` of a value.
pub(crate) fn value(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    write_bounded(out, value, 0);
}

fn write_bounded(out: &mut String, value: &Value, depth: usize) {
    if depth > super::value::MAX_DEPTH || out.len() > super::value::MAX_TEXT {
        out.push_str("...");
        return;
    }
    match &value.kind {
        Kind::Nil => out.push_str("<nil>"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) => out.push_str(&float_g(*f, None, false)),
        Kind::Str(text) => out.push_str(&text.text),
        Kind::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                write_bounded(out, item, depth + 1);
            }
            out.push(']');
        }
        Kind::Map(members) => {
            out.push_str("map[");
            for (index, (key, member)) in members.snapshot().iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                write_bounded(out, member, depth + 1);
            }
            out.push(']');
        }
        Kind::Files(files) => {
            out.push_str("map[");
            for (index, (path, text)) in files.iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{path}:{:?}", text.as_bytes());
            }
            out.push(']');
        }
        Kind::ApiVersions(versions) => {
            let _ = write!(out, "[{}]", versions.join(" "));
        }
    }
}

/// The shortest decimal digits of `f` (no sign) and its decimal exponent: `f = 0.d1d2… × 10^exp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let text = format!("{:e}", f.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_owned(), exponent.parse::<i32>().unwrap_or(0) + 1)
}

/// Go's `%e` from digits: `d.ddde±XX`.
fn exponent_form(negative: bool, digits: &str, point: i32, upper: bool) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    let rest: String = chars.collect();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(&rest);
    }
    let exponent = if digits == "0" { 0 } else { point - 1 };
    let _ =
        write!(out, "{}{}{:02}", if upper { 'E' } else { 'e' }, if exponent < 0 { '-' } else { '+' }, exponent.abs());
    out
}

/// `strconv.FormatFloat(f, 'g', precision, 64)` (shortest when `precision` is `None`).
pub(crate) fn float_g(f: f64, precision: Option<usize>, upper: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let negative = f.is_sign_negative() && f != 0.0;
    let (digits, point) = match precision {
        None => shortest_digits(f),
        Some(precision) => {
            let precision = precision.clamp(1, 17);
            let text = format!("{:.*e}", precision - 1, f.abs());
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let trimmed = digits.trim_end_matches('0');
            let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
            (trimmed.to_owned(), exponent.parse::<i32>().unwrap_or(0) + 1)
        }
    };
    let exponent = point - 1;
    // strconv: the exponent form below 1e-4, and from 10^precision — 10^6 for the shortest
    // digits (so `%v` of 1000000.0 is `1e+06`, as in Go).
    let limit = match precision {
        None => 6,
        Some(precision) => {
            let count = i32::try_from(digits.len()).unwrap_or(17);
            let precision = i32::try_from(precision.max(1)).unwrap_or(17);
            if precision > count && count >= point {
                count
            } else {
                precision
            }
        }
    };
    if digits != "0" && (exponent < -4 || exponent >= limit) {
        return exponent_form(negative, &digits, point, upper);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if point <= 0 {
        out.push_str("0.");
        for _ in 0..(-point) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = usize::try_from(point).unwrap_or(0);
        if digits.len() <= point {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
        } else {
            out.push_str(digits.get(..point).unwrap_or(""));
            out.push('.');
            out.push_str(digits.get(point..).unwrap_or(""));
        }
    }
    out
}

/// `fmt.Sprint`: operands joined, a space between two when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut previous_string = true;
    for (index, arg) in args.iter().enumerate() {
        let is_string = matches!(arg.kind, Kind::Str(_));
        if index > 0 && !is_string && !previous_string {
            out.push(' ');
        }
        write_value(&mut out, arg);
        previous_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: operands joined by spaces, and a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut out = args.iter().map(value).collect::<Vec<_>>().join(" ");
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&flag) = chars.peek() {
            match flag {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = read_count(&mut chars, args, &mut next);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(read_count(&mut chars, args, &mut next).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        let body = format_one(verb, &spec, arg);
        out.push_str(&pad(&body, &spec, verb, arg));
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> =
            args.iter().skip(next).map(|arg| format!("{}={}", arg.type_name(), value(arg))).collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn read_count(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, args: &[Value], next: &mut usize) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        let arg = args.get(*next)?;
        *next += 1;
        return match arg.kind {
            Kind::Int(n) => usize::try_from(n).ok().map(|n| n.min(1 << 16)),
            _ => None,
        };
    }
    let mut count: Option<usize> = None;
    while let Some(digit) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        count = Some(count.unwrap_or(0).saturating_mul(10).saturating_add(digit as usize).min(1 << 16));
    }
    count
}

fn bad_verb(verb: char, arg: &Value) -> String {
    match arg.kind {
        Kind::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", arg.type_name(), value(arg)),
    }
}

fn format_one(verb: char, spec: &Spec, arg: &Value) -> String {
    match (&arg.kind, verb) {
        (_, 'v') => match (&arg.kind, spec.plus) {
            (Kind::Float(f), _) => signed(float_g(*f, None, false), spec),
            (Kind::Int(i), _) => signed(i.to_string(), spec),
            _ if spec.sharp => go_syntax(arg),
            _ => value(arg),
        },
        (_, 'T') => arg.type_name().to_owned(),
        (Kind::Str(text), 's') => truncate(&text.text, spec.precision),
        (Kind::Str(text), 'q') => {
            if spec.sharp && !text.text.contains('`') {
                format!("`{}`", text.text)
            } else {
                quote(&text.text)
            }
        }
        (Kind::Str(text), 'x' | 'X') => hex_bytes(text.text.as_bytes(), verb == 'X', spec),
        (Kind::Bool(b), 't') => b.to_string(),
        (Kind::Int(i), 'd') => signed(i.to_string(), spec),
        (Kind::Int(i), 'x') => signed(radix(*i, 16, false, spec.sharp.then_some("0x")), spec),
        (Kind::Int(i), 'X') => signed(radix(*i, 16, true, spec.sharp.then_some("0X")), spec),
        (Kind::Int(i), 'o') => signed(radix(*i, 8, false, spec.sharp.then_some("0")), spec),
        (Kind::Int(i), 'O') => signed(radix(*i, 8, false, Some("0o")), spec),
        (Kind::Int(i), 'b') => signed(radix(*i, 2, false, None), spec),
        (Kind::Int(i), 'c') => u32::try_from(*i).ok().and_then(char::from_u32).unwrap_or('\u{fffd}').to_string(),
        (Kind::Int(i), 'q') => {
            let c = u32::try_from(*i).ok().and_then(char::from_u32).unwrap_or('\u{fffd}');
            format!("{c:?}")
        }
        (Kind::Int(i), 'U') => format!("U+{:04X}", i),
        (Kind::Float(f), 'f' | 'F') => signed(format!("{:.*}", spec.precision.unwrap_or(6), f), spec),
        (Kind::Float(f), 'e' | 'E') => signed(float_e(*f, spec.precision.unwrap_or(6), verb == 'E'), spec),
        (Kind::Float(f), 'g' | 'G') => signed(float_g(*f, spec.precision, verb == 'G'), spec),
        (Kind::List(items), 's' | 'd' | 'q' | 'x' | 'X' | 'f' | 't') => {
            let parts: Vec<String> = items.iter().map(|item| format_one(verb, spec, item)).collect();
            format!("[{}]", parts.join(" "))
        }
        (Kind::Map(members), 's' | 'd' | 'q' | 'x' | 'X' | 'f' | 't') => {
            let parts: Vec<String> = members
                .snapshot()
                .iter()
                .map(|(key, member)| format!("{key}:{}", format_one(verb, spec, member)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        _ => bad_verb(verb, arg),
    }
}

fn go_syntax(arg: &Value) -> String {
    match &arg.kind {
        Kind::Str(text) => quote(&text.text),
        Kind::Nil => "<nil>".into(),
        Kind::List(items) => {
            format!("[]interface {{}}{{{}}}", items.iter().map(go_syntax).collect::<Vec<_>>().join(", "))
        }
        Kind::Map(members) => format!(
            "map[string]interface {{}}{{{}}}",
            members
                .snapshot()
                .iter()
                .map(|(key, member)| format!("{}:{}", quote(key), go_syntax(member)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => value(arg),
    }
}

fn truncate(text: &str, precision: Option<usize>) -> String {
    match precision {
        Some(precision) => text.chars().take(precision).collect(),
        None => text.to_owned(),
    }
}

fn radix(i: i64, base: u32, upper: bool, prefix: Option<&str>) -> String {
    let magnitude = i.unsigned_abs();
    let digits = match base {
        16 if upper => format!("{magnitude:X}"),
        16 => format!("{magnitude:x}"),
        8 => format!("{magnitude:o}"),
        _ => format!("{magnitude:b}"),
    };
    format!("{}{}{digits}", if i < 0 { "-" } else { "" }, prefix.unwrap_or(""))
}

fn hex_bytes(bytes: &[u8], upper: bool, spec: &Spec) -> String {
    let parts: Vec<String> =
        bytes.iter().map(|b| if upper { format!("{b:02X}") } else { format!("{b:02x}") }).collect();
    let joined = if spec.space { parts.join(" ") } else { parts.concat() };
    if spec.sharp {
        format!("{}{joined}", if upper { "0X" } else { "0x" })
    } else {
        joined
    }
}

fn float_e(f: f64, precision: usize, upper: bool) -> String {
    let text = format!("{:.*e}", precision.min(64), f);
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    format!("{mantissa}{}{}{:02}", if upper { 'E' } else { 'e' }, if exponent < 0 { '-' } else { '+' }, exponent.abs())
}

/// The `+` and space flags on a number.
fn signed(text: String, spec: &Spec) -> String {
    if text.starts_with('-') {
        return text;
    }
    if spec.plus {
        format!("+{text}")
    } else if spec.space {
        format!(" {text}")
    } else {
        text
    }
}

fn pad(body: &str, spec: &Spec, verb: char, arg: &Value) -> String {
    let Some(width) = spec.width else { return body.to_owned() };
    let length = body.chars().count();
    if length >= width {
        return body.to_owned();
    }
    let fill = width - length;
    if spec.minus {
        return format!("{body}{}", " ".repeat(fill));
    }
    let numeric = matches!(arg.kind, Kind::Int(_) | Kind::Float(_)) && verb != 'c' && verb != 'q';
    if spec.zero && numeric {
        let (sign, digits) = match body.strip_prefix(['-', '+', ' ']) {
            Some(rest) => (body.get(..1).unwrap_or(""), rest),
            None => ("", body),
        };
        return format!("{sign}{}{digits}", "0".repeat(fill));
    }
    format!("{}{body}", " ".repeat(fill))
}

pub(crate) use crate::go_text::quote;
