//! Conversions and encodings: Helm's `toYaml` (as `sigs.k8s.io/yaml` writes: through JSON, then
//! `yaml.v2`'s style — keys in its natural order, sequences flush with their key, strings that
//! would read as another type double-quoted, multi-line strings as `|-` blocks) keeping a run per
//! scalar with its origin; `fromYaml`/`fromYamlArray`/`fromJson`/`fromJsonArray` (a failure is
//! an `Error` member, as Helm returns it); `toJson`/`toPrettyJson`/`toRawJson` (Go's
//! `encoding/json`: sorted keys, `<>&` escaped except in the raw form); and Sprig's casts
//! `toString`/`toStrings`/`int`/`int64`/`float64`/`atoi`/`toDecimal`.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::strings::as_traced;
use super::{to_f64, to_i64, to_string, Args, Context, FnError, FnResult};
use crate::render::gotemplate::fmt::float_g;
use crate::render::gotemplate::output::Traced;
use crate::render::gotemplate::value::{Kind, Value, MAX_DEPTH, MAX_TEXT};
use crate::render::tracked::Origin;

pub(crate) const NAMES: &[&str] = &[
    "toYaml",
    "mustToYaml",
    "toYamlPretty",
    "fromYaml",
    "fromYamlArray",
    "toJson",
    "mustToJson",
    "toPrettyJson",
    "mustToPrettyJson",
    "toRawJson",
    "mustToRawJson",
    "fromJson",
    "mustFromJson",
    "fromJsonArray",
    "toString",
    "toStrings",
    "int",
    "int64",
    "float64",
    "atoi",
    "toDecimal",
    "toToml",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "toYaml" | "mustToYaml" | "toYamlPretty" => {
            args.exactly(1)?;
            let mut out = Traced::new();
            yaml_document(&mut out, args.get(0)?, name == "toYamlPretty");
            too_large(&out.text)?;
            // Helm trims the final newline.
            if out.text.ends_with('\n') {
                out = out.slice(0..out.len() - 1);
            }
            Ok(Value::traced(out))
        }
        "fromYaml" | "fromYamlArray" => {
            args.exactly(1)?;
            let text = args.str(0)?;
            let parsed = crate::parse::yaml::parse_stream(
                text,
                crate::parse::yaml::ScalarRules::Yaml11,
                &crate::parse::Limits::default(),
            );
            let array = name == "fromYamlArray";
            Ok(match parsed {
                Ok(parsed) => {
                    let document = parsed
                        .value
                        .as_array()
                        .and_then(|documents| documents.first())
                        .cloned()
                        .unwrap_or(serde_json::Value::Null);
                    let value = Value::from_json(&document);
                    match (&value.kind, array) {
                        (Kind::Map(_), false) | (Kind::List(_), true) => value,
                        (Kind::Nil, false) => Value::map(Default::default()),
                        (Kind::Nil, true) => Value::list(Vec::new()),
                        _ => failure(
                            array,
                            &format!(
                                "error unmarshaling JSON: json: cannot unmarshal {} into Go value",
                                value.type_name()
                            ),
                        ),
                    }
                }
                Err(error) => failure(array, &format!("error converting YAML to JSON: yaml: {}", error.message)),
            })
        }
        "fromJson" | "mustFromJson" | "fromJsonArray" => {
            args.exactly(1)?;
            let array = name == "fromJsonArray";
            match serde_json::from_str::<serde_json::Value>(args.str(0)?) {
                Ok(json) => {
                    let value = Value::from_json(&json);
                    Ok(match (&value.kind, array) {
                        (Kind::List(_), true) => value,
                        (_, true) => failure(true, "json: cannot unmarshal into Go value of type []interface {}"),
                        _ => value,
                    })
                }
                Err(error) if name == "mustFromJson" => Err(FnError::Call(error.to_string())),
                Err(error) => Ok(failure(array, &error.to_string())),
            }
        }
        "toJson" | "mustToJson" | "toPrettyJson" | "mustToPrettyJson" | "toRawJson" | "mustToRawJson" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            let mut out = Traced::new();
            let pretty = name.contains("Pretty");
            let escape_html = !name.contains("Raw");
            json(&mut out, value, pretty.then_some(0), escape_html, 0);
            too_large(&out.text)?;
            Ok(Value::traced(out))
        }
        "toToml" => {
            args.exactly(1)?;
            Ok(Value::string(toml(args.get(0)?)))
        }
        "toString" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            Ok(Value::traced(as_traced(value)).with_origin(value.origin.clone()))
        }
        "toStrings" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            let items: Vec<Value> = match &value.kind {
                Kind::List(items) => {
                    items.iter().filter(|item| !item.is_nil()).map(|item| Value::traced(as_traced(item))).collect()
                }
                Kind::Nil => Vec::new(),
                _ => vec![Value::traced(as_traced(value))],
            };
            Ok(Value::list(items))
        }
        "int" | "int64" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            Ok(Value::int(to_i64(value)).with_origin(value.first_origin().cloned()))
        }
        "float64" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            Ok(Value::float(to_f64(value)).with_origin(value.first_origin().cloned()))
        }
        "atoi" => {
            args.exactly(1)?;
            let value = args.get(0)?;
            Ok(Value::int(args.str(0)?.parse::<i64>().unwrap_or(0)).with_origin(value.first_origin().cloned()))
        }
        "toDecimal" => {
            args.exactly(1)?;
            let text = to_string(args.get(0)?);
            Ok(Value::int(i64::from_str_radix(&text, 8).unwrap_or(0)))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}

/// A conversion stopped short: its value is too large (or contains itself).
fn too_large(text: &str) -> Result<(), FnError> {
    if text.len() > MAX_TEXT {
        return Err(FnError::Call(format!(
            "the value is larger than {MAX_TEXT} bytes written out (does it contain itself?)"
        )));
    }
    Ok(())
}

/// `toYaml`'s text of a value (without its runs).
pub(crate) fn to_yaml_text(value: &Value) -> String {
    let mut out = Traced::new();
    yaml_document(&mut out, value, false);
    out.text.strip_suffix('\n').map(str::to_owned).unwrap_or(out.text)
}

/// Helm's value for a failed `fromYaml`/`fromJson`: `{Error: …}` (a list with it for arrays).
fn failure(array: bool, message: &str) -> Value {
    let error = Value::map([("Error".to_owned(), Value::string(message))].into_iter().collect());
    if array {
        Value::list(vec![Value::string(message)])
    } else {
        error
    }
}

/// `yaml.v2`'s key order: runs of digits compare as numbers, a non-letter sorts before a letter.
fn yaml_key_order(a: &str, b: &str) -> Ordering {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut i = 0;
    while let (Some(&ac), Some(&bc)) = (ar.get(i), br.get(i)) {
        if ac == bc {
            i += 1;
            continue;
        }
        let (al, bl) = (ac.is_alphabetic(), bc.is_alphabetic());
        if al && bl {
            return ac.cmp(&bc);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ac == '0' || bc == '0' {
            let mut j = i;
            while j > 0 {
                j -= 1;
                match ar.get(j) {
                    Some(c) if c.is_ascii_digit() => {
                        if *c != '0' {
                            an = 1;
                            bn = 1;
                            break;
                        }
                    }
                    _ => break,
                }
            }
        }
        let mut ai = i;
        while let Some(d) = ar.get(ai).and_then(|c| c.to_digit(10)) {
            an = an.saturating_mul(10).saturating_add(i64::from(d));
            ai += 1;
        }
        let mut bi = i;
        while let Some(d) = br.get(bi).and_then(|c| c.to_digit(10)) {
            bn = bn.saturating_mul(10).saturating_add(i64::from(d));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ac.cmp(&bc);
    }
    ar.len().cmp(&br.len())
}

/// A map's members in `yaml.v2`'s order.
fn yaml_members(value: &Value) -> Vec<(String, Value)> {
    let mut members: Vec<(String, Value)> = match &value.kind {
        Kind::Map(members) => members.snapshot().into_iter().collect(),
        Kind::Files(files) => files.iter().map(|(path, text)| (path.clone(), Value::string(text.as_str()))).collect(),
        _ => Vec::new(),
    };
    members.sort_by(|(a, _), (b, _)| yaml_key_order(a, b));
    members
}

fn yaml_items(value: &Value) -> Vec<Value> {
    match &value.kind {
        Kind::List(items) => items.as_ref().clone(),
        Kind::ApiVersions(versions) => versions.iter().map(|v| Value::string(v.as_str())).collect(),
        _ => Vec::new(),
    }
}

fn is_collection(value: &Value) -> Option<bool> {
    match &value.kind {
        Kind::Map(members) => Some(members.is_empty()),
        Kind::Files(files) => Some(files.is_empty()),
        Kind::List(items) => Some(items.is_empty()),
        Kind::ApiVersions(versions) => Some(versions.is_empty()),
        _ => None,
    }
}

/// One YAML document for `value`, ending with a newline.
fn yaml_document(out: &mut Traced, value: &Value, pretty: bool) {
    match is_collection(value) {
        Some(false) => yaml_block(out, value, 0, pretty, 0),
        _ => {
            yaml_scalar(out, value, 0);
            out.push_str("\n");
        }
    }
}

/// A non-empty map or list as block lines at `indent`.
fn yaml_block(out: &mut Traced, value: &Value, indent: usize, pretty: bool, depth: usize) {
    if depth > MAX_DEPTH || out.len() > MAX_TEXT {
        out.push_str(&" ".repeat(indent));
        out.push_str("null\n");
        return;
    }
    let pad = " ".repeat(indent);
    if let Kind::List(_) | Kind::ApiVersions(_) = value.kind {
        for item in yaml_items(value) {
            out.push_str(&pad);
            out.push_str("-");
            match is_collection(&item) {
                Some(false) if matches!(item.kind, Kind::List(_) | Kind::ApiVersions(_)) => {
                    // `- - a`: the nested list starts on the same line.
                    out.push_str(" ");
                    let mut nested = Traced::new();
                    yaml_block(&mut nested, &item, indent + 2, pretty, depth + 1);
                    out.push_traced(&nested.slice(indent + 2..nested.len()), None, None);
                }
                Some(false) => {
                    out.push_str(" ");
                    let mut nested = Traced::new();
                    yaml_block(&mut nested, &item, indent + 2, pretty, depth + 1);
                    out.push_traced(&nested.slice(indent + 2..nested.len()), None, None);
                }
                _ => {
                    out.push_str(" ");
                    yaml_scalar(out, &item, indent + 2);
                    out.push_str("\n");
                }
            }
        }
        return;
    }
    for (key, member) in yaml_members(value) {
        out.push_str(&pad);
        out.push(&yaml_string(&key, true).0, None, member.origin.as_ref());
        out.push_str(":");
        match is_collection(&member) {
            Some(false) => {
                out.push_str("\n");
                let is_list = matches!(member.kind, Kind::List(_) | Kind::ApiVersions(_));
                let child_indent = if is_list && !pretty { indent } else { indent + 2 };
                yaml_block(out, &member, child_indent, pretty, depth + 1);
            }
            _ => {
                out.push_str(" ");
                yaml_scalar(out, &member, indent + 2);
                out.push_str("\n");
            }
        }
    }
}

/// A scalar (or an empty collection) in flow position, its text one run from its origin.
fn yaml_scalar(out: &mut Traced, value: &Value, indent: usize) {
    let origin = value.first_origin();
    match &value.kind {
        Kind::Nil => out.push("null", None, origin),
        Kind::Bool(b) => out.push(if *b { "true" } else { "false" }, None, origin),
        Kind::Int(i) => out.push(&i.to_string(), None, origin),
        Kind::Float(f) => out.push(&yaml_float(*f), None, origin),
        Kind::Str(_) => {
            let traced = value.traced_text().unwrap_or_default();
            let (text, plain) = yaml_string(&traced.text, false);
            let column = out.text.rsplit('\n').next().map_or(0, |line| line.chars().count());
            let pad = " ".repeat(indent);
            if plain {
                // yaml.v2 folds a long plain scalar at a space past column 80.
                let mut start = 0;
                for fold in fold_points(&traced.text, column, indent, Fold::Plain) {
                    out.push_traced(&traced.slice(start..fold), None, None);
                    out.push_str("\n");
                    out.push_str(&pad);
                    start = fold + 1;
                }
                out.push_traced(&traced.slice(start..traced.len()), None, None);
            } else if text.starts_with('|') {
                // A literal block: the header, then each line indented.
                let pad = " ".repeat(indent.max(2));
                let header_end = text.find('\n').unwrap_or(text.len());
                out.push_str(text.get(..header_end).unwrap_or(""));
                let mut start = 0;
                for line in traced.text.split('\n') {
                    let line_range = start..start + line.len();
                    start += line.len() + 1;
                    if line_range.end > traced.text.len().saturating_sub(usize::from(traced.text.ends_with('\n')))
                        && line.is_empty()
                    {
                        continue;
                    }
                    out.push_str("\n");
                    if !line.is_empty() {
                        out.push_str(&pad);
                    }
                    out.push_traced(&traced.slice(line_range), None, None);
                }
            } else {
                let style = if text.starts_with('"') { Fold::Double } else { Fold::Single };
                let body = text.get(1..text.len() - 1).unwrap_or("");
                let mut folded = text.get(..1).unwrap_or("").to_owned();
                let mut start = 0;
                for fold in fold_points(body, column + 1, indent, style) {
                    folded.push_str(body.get(start..fold).unwrap_or(""));
                    folded.push('\n');
                    folded.push_str(&pad);
                    if style == Fold::Double && body.get(fold + 1..).is_some_and(|rest| rest.starts_with(' ')) {
                        folded.push('\\');
                    }
                    start = fold + 1;
                }
                folded.push_str(body.get(start..).unwrap_or(""));
                folded.push_str(text.get(text.len() - 1..).unwrap_or(""));
                out.push(&folded, None, origin);
            }
        }
        Kind::Map(_) | Kind::Files(_) => out.push("{}", None, origin),
        Kind::List(_) | Kind::ApiVersions(_) => out.push("[]", None, origin),
    }
}

/// The scalar styles that fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    Plain,
    Single,
    Double,
}

/// Where libyaml's emitter (as `yaml.v2` configures it: 80 columns) breaks a scalar written
/// from `column` on: at a space, once past column 80, when the previous character was not a
/// space (and, for plain and single-quoted text, the next is not one either). The byte offsets
/// of the spaces that become a line break and `indent` spaces.
fn fold_points(text: &str, mut column: usize, indent: usize, style: Fold) -> Vec<usize> {
    const WIDTH: usize = 80;
    let mut folds = Vec::new();
    let mut previous_space = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|&(_, next)| next == ' ');
        let inner = at > 0 && chars.peek().is_some();
        if c == ' ' {
            let allowed = match style {
                Fold::Plain => !next_is_space,
                Fold::Single => inner && !next_is_space,
                Fold::Double => inner,
            };
            if !previous_space && column > WIDTH && allowed {
                folds.push(at);
                column = indent;
            } else {
                column += 1;
            }
            previous_space = true;
        } else {
            column += 1;
            previous_space = false;
        }
    }
    folds
}

/// A float as `yaml.v2` writes what JSON made of it: integral values as ints.
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    float_g(f, None, false)
}

/// Whether `yaml.v2` (YAML 1.1) would read the plain text as something other than a string.
fn resolves_to_other(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
        "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf",
        "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if WORDS.contains(&text) {
        return true;
    }
    let first = text.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    let plain = text.replace('_', "");
    let body = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if body.is_empty() {
        return false;
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(binary) = body.strip_prefix("0b") {
        return !binary.is_empty() && binary.chars().all(|c| c == '0' || c == '1');
    }
    if body.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // Base 60 (`1:20`), which yaml.v2 also quotes.
    if body.contains(':') && body.split(':').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())) {
        return true;
    }
    body.parse::<f64>().is_ok() && !body.ends_with(['e', 'E']) && body.chars().any(|c| c.is_ascii_digit())
}

/// The text `yaml.v2` writes for a string, and whether that is the text itself (plain).
fn yaml_string(text: &str, key: bool) -> (String, bool) {
    if resolves_to_other(text) {
        return (double_quoted(text), false);
    }
    let printable = text.chars().all(|c| c == '\n' || c == '\t' || !(c.is_control() || c == '\u{feff}'));
    if !key && text.contains('\n') && printable && !text.lines().any(|line| line.ends_with([' ', '\t'])) {
        let header = match text.strip_suffix('\n') {
            Some(rest) if rest.ends_with('\n') || rest.is_empty() => "|+",
            Some(_) => "|",
            None => "|-",
        };
        let indicator = if text.starts_with([' ', '\n']) { "2" } else { "" };
        let header = format!("{}{indicator}{}", header.get(..1).unwrap_or("|"), header.get(1..).unwrap_or(""));
        return (format!("{header}\n{text}"), false);
    }
    if !printable || text.contains('\n') {
        return (double_quoted(text), false);
    }
    if plain_allowed(text) {
        return (text.to_owned(), true);
    }
    (format!("'{}'", text.replace('\'', "''")), false)
}

/// libyaml's test for a plain scalar in block context.
fn plain_allowed(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if text.starts_with([' ', '\t']) || text.ends_with([' ', '\t']) {
        return false;
    }
    if text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    let second = text.chars().nth(1);
    let followed_by_space = second.is_none_or(|c| c == ' ' || c == '\t');
    match first {
        '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => return false,
        '-' | '?' | ':' if followed_by_space => return false,
        _ => {}
    }
    !(text.contains(": ") || text.contains(" #") || text.ends_with(':'))
}

/// A YAML double-quoted scalar.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{feff}' => {
                let code = c as u32;
                if code <= 0xff {
                    let _ = write!(out, "\\x{code:02X}");
                } else {
                    let _ = write!(out, "\\u{code:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `encoding/json` float: `%f`-like between 1e-6 and 1e21, else an exponent (`1e+21`).
fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        return format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
            .replace("e-0", "e-")
            .replace("e+0", "e+");
    }
    let shortest = format!("{f}");
    shortest
}

/// `json.Marshal` (or `MarshalIndent` with two spaces, when `indent` is given), a run per scalar.
fn json(out: &mut Traced, value: &Value, indent: Option<usize>, escape_html: bool, depth: usize) {
    let origin: Option<&Origin> = value.first_origin();
    if depth > MAX_DEPTH || out.len() > MAX_TEXT {
        out.push_str("null");
        return;
    }
    let newline = |out: &mut Traced, level: usize| {
        if indent.is_some() {
            out.push_str("\n");
            out.push_str(&"  ".repeat(level));
        }
    };
    let level = indent.unwrap_or(0);
    match &value.kind {
        Kind::Nil => out.push("null", None, origin),
        Kind::Bool(b) => out.push(if *b { "true" } else { "false" }, None, origin),
        Kind::Int(i) => out.push(&i.to_string(), None, origin),
        Kind::Float(f) => out.push(&json_float(*f), None, origin),
        Kind::Str(text) => {
            let quoted = crate::go_text::json_string(&text.text, escape_html);
            let traced = value.traced_text().unwrap_or_default();
            if quoted.len() == traced.len() + 2 {
                out.push_str("\"");
                out.push_traced(&traced, None, None);
                out.push_str("\"");
            } else {
                out.push(&quoted, None, origin);
            }
        }
        Kind::List(_) | Kind::ApiVersions(_) => {
            let items = yaml_items(value);
            if items.is_empty() {
                out.push("[]", None, origin);
                return;
            }
            out.push_str("[");
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(",");
                }
                newline(out, level + 1);
                json(out, item, indent.map(|level| level + 1), escape_html, depth + 1);
            }
            newline(out, level);
            out.push_str("]");
        }
        Kind::Map(_) | Kind::Files(_) => {
            let mut members = yaml_members(value);
            members.sort_by(|(a, _), (b, _)| a.cmp(b));
            if members.is_empty() {
                out.push("{}", None, origin);
                return;
            }
            out.push_str("{");
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(",");
                }
                newline(out, level + 1);
                out.push(&crate::go_text::json_string(key, escape_html), None, member.origin.as_ref());
                out.push_str(if indent.is_some() { ": " } else { ":" });
                json(out, member, indent.map(|level| level + 1), escape_html, depth + 1);
            }
            newline(out, level);
            out.push_str("}");
        }
    }
}

/// Helm's `toToml` for the common case: a table of scalars and nested tables.
fn toml(value: &Value) -> String {
    let mut out = String::new();
    toml_table(&mut out, value, "", 0);
    out
}

fn toml_table(out: &mut String, value: &Value, prefix: &str, depth: usize) {
    if depth > MAX_DEPTH || out.len() > MAX_TEXT {
        return;
    }
    let members = yaml_members(value);
    let mut mut_tables = Vec::new();
    for (key, member) in &members {
        if member.as_map_ref().is_some() {
            mut_tables.push((key.clone(), member.clone()));
            continue;
        }
        let _ = writeln!(out, "{key} = {}", toml_value(member));
    }
    for (key, member) in mut_tables {
        let name = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
        let _ = writeln!(out, "\n[{name}]");
        toml_table(out, &member, &name, depth + 1);
    }
}

fn toml_value(value: &Value) -> String {
    match &value.kind {
        Kind::Str(text) => crate::go_text::json_string(&text.text, false),
        Kind::List(items) => format!("[{}]", items.iter().map(toml_value).collect::<Vec<_>>().join(", ")),
        Kind::Float(f) => yaml_float(*f),
        _ => to_string(value),
    }
}
