//! Sprig's string functions, with Sprig's argument order (the string last, so that it can be
//! piped): `trim*`, `trunc`, `upper`/`lower`/`title`/`untitle`, `replace`, `contains`,
//! `hasPrefix`/`hasSuffix`, `quote`/`squote`, `indent`/`nindent`, `cat`, `nospace`, `repeat`,
//! `substr`, `abbrev`, the case changers, `split`/`splitList`/`splitn`/`join`, `initials`,
//! `plural`, Go's `path` functions (`base`, `dir`, `clean`, `ext`, `isAbs`), and the `rand*` family — which here are deterministic (a run of `x`, or `0` for
//! `randNumeric`), so that a scan renders the same twice. Text that passes through keeps its
//! runs' origins: `{{ .Values.host | quote | nindent 4 }}` still knows the host's line.

use super::{to_string, wrong_type, Args, Context, FnError, FnResult};
use crate::render::gotemplate::output::Traced;
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &[
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "trunc",
    "upper",
    "lower",
    "title",
    "untitle",
    "replace",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "indent",
    "nindent",
    "cat",
    "nospace",
    "repeat",
    "substr",
    "abbrev",
    "abbrevboth",
    "camelcase",
    "snakecase",
    "kebabcase",
    "swapcase",
    "split",
    "splitList",
    "splitn",
    "join",
    "initials",
    "plural",
    "wrap",
    "wrapWith",
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "shuffle",
    "trimall",
    "base",
    "dir",
    "clean",
    "ext",
    "isAbs",
    "osBase",
    "osDir",
    "osClean",
    "osExt",
    "osIsAbs",
];

pub(crate) fn call(name: &str, args: Args<'_>, context: &mut Context<'_>) -> FnResult {
    match name {
        "trim" => {
            args.exactly(1)?;
            let text = traced(&args, 0)?;
            let trimmed = text.text.trim_start();
            let start = text.len() - trimmed.len();
            let end = start + trimmed.trim_end().len();
            Ok(Value::traced(text.slice(start..end)))
        }
        "trimAll" | "trimall" => {
            args.exactly(2)?;
            let cutset: Vec<char> = args.str(0)?.chars().collect();
            let text = traced(&args, 1)?;
            let trimmed = text.text.trim_start_matches(cutset.as_slice());
            let start = text.len() - trimmed.len();
            let end = start + trimmed.trim_end_matches(cutset.as_slice()).len();
            Ok(Value::traced(text.slice(start..end)))
        }
        "trimPrefix" => {
            args.exactly(2)?;
            let prefix = args.str(0)?;
            let text = traced(&args, 1)?;
            let start = if text.text.starts_with(prefix) { prefix.len() } else { 0 };
            Ok(Value::traced(text.slice(start..text.len())))
        }
        "trimSuffix" => {
            args.exactly(2)?;
            let suffix = args.str(0)?;
            let text = traced(&args, 1)?;
            let end = if text.text.ends_with(suffix) { text.len() - suffix.len() } else { text.len() };
            Ok(Value::traced(text.slice(0..end)))
        }
        "trunc" => {
            args.exactly(2)?;
            let count = args.int(0)?;
            let text = traced(&args, 1)?;
            let length = i64::try_from(text.len()).unwrap_or(i64::MAX);
            let range = if count < 0 && length.saturating_add(count) > 0 {
                usize::try_from(length.saturating_add(count)).unwrap_or(0)..text.len()
            } else if count >= 0 && length > count {
                0..usize::try_from(count).unwrap_or(0)
            } else {
                0..text.len()
            };
            Ok(Value::traced(floor_slice(&text, range)))
        }
        "upper" => map_text(&args, 0, str::to_uppercase),
        "lower" => map_text(&args, 0, str::to_lowercase),
        "title" => map_text(&args, 0, |text| words(text, |word| capitalize(word, true))),
        "untitle" => map_text(&args, 0, |text| words(text, |word| capitalize(word, false))),
        "swapcase" => {
            map_text(&args, 0, |text| {
                text.chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().collect::<String>()
                        } else {
                            c.to_uppercase().collect()
                        }
                    })
                    .collect()
            })
        }
        "replace" => {
            args.exactly(3)?;
            let (old, new) = (args.str(0)?, args.str(1)?);
            let text = traced(&args, 2)?;
            let replaced = if old.is_empty() { go_replace_empty(&text.text, new) } else { text.text.replace(old, new) };
            Ok(Value::traced(Traced::remapped(replaced, text.first_origin())))
        }
        "contains" => {
            args.exactly(2)?;
            Ok(Value::bool(args.str(1)?.contains(args.str(0)?)))
        }
        "hasPrefix" => {
            args.exactly(2)?;
            Ok(Value::bool(args.str(1)?.starts_with(args.str(0)?)))
        }
        "hasSuffix" => {
            args.exactly(2)?;
            Ok(Value::bool(args.str(1)?.ends_with(args.str(0)?)))
        }
        "quote" | "squote" => {
            let mut out = Traced::new();
            for (index, arg) in args.args.iter().filter(|arg| !arg.is_nil()).enumerate() {
                if index > 0 {
                    out.push_str(" ");
                }
                let inner = as_traced(arg);
                let quoted = if name == "quote" {
                    crate::render::gotemplate::fmt::quote(&inner.text)
                } else {
                    format!("'{}'", inner.text)
                };
                if quoted.len() == inner.len() + 2 {
                    out.push_str(quoted.get(..1).unwrap_or(""));
                    out.push_traced(&inner, None, None);
                    out.push_str(quoted.get(quoted.len() - 1..).unwrap_or(""));
                } else {
                    out.push(&quoted, None, inner.first_origin().or(arg.origin.as_ref()));
                }
            }
            Ok(Value::traced(out))
        }
        "indent" | "nindent" => {
            args.exactly(2)?;
            let spaces = usize::try_from(args.int(0)?).unwrap_or(0).min(1 << 12);
            let text = traced(&args, 1)?;
            let lines = text.text.matches('\n').count() + 1;
            if text.len().saturating_add(spaces.saturating_mul(lines)) > context.limits.max_output_bytes {
                return Err(FnError::Call("the indented text is larger than the output limit".into()));
            }
            Ok(Value::traced(indent(&text, spaces, name == "nindent")))
        }
        "cat" => {
            let mut out = Traced::new();
            for (index, arg) in args.args.iter().filter(|arg| !arg.is_nil()).enumerate() {
                if index > 0 {
                    out.push_str(" ");
                }
                out.push_traced(&as_traced(arg), None, None);
            }
            Ok(Value::traced(out))
        }
        "nospace" => map_text(&args, 0, |text| text.chars().filter(|c| !c.is_whitespace()).collect()),
        "repeat" => {
            args.exactly(2)?;
            let count = usize::try_from(args.int(0)?).unwrap_or(0);
            let text = args.str(1)?;
            if text.len().saturating_mul(count) > context.limits.max_output_bytes {
                return Err(FnError::Call("strings: Repeat output length overflow".into()));
            }
            Ok(Value::string(text.repeat(count)))
        }
        "substr" => {
            args.exactly(3)?;
            let (start, end) = (args.int(0)?, args.int(1)?);
            let text = traced(&args, 2)?;
            let length = text.len();
            let clamp = |at: i64| usize::try_from(at).unwrap_or(0).min(length);
            let range = if start < 0 {
                0..clamp(end)
            } else if end < 0 || clamp(end) >= length {
                clamp(start)..length
            } else {
                clamp(start)..clamp(end)
            };
            if range.start > range.end {
                return Err(FnError::Call(format!("slice bounds out of range [{}:{}]", range.start, range.end)));
            }
            Ok(Value::traced(floor_slice(&text, range)))
        }
        "abbrev" => {
            args.exactly(2)?;
            let width = usize::try_from(args.int(0)?).unwrap_or(0);
            let text = args.str(1)?;
            if width < 4 || text.chars().count() <= width {
                return Ok(Value::string(text));
            }
            Ok(Value::string(format!("{}...", text.chars().take(width - 3).collect::<String>())))
        }
        "abbrevboth" => {
            args.exactly(3)?;
            let (left, width) =
                (usize::try_from(args.int(0)?).unwrap_or(0), usize::try_from(args.int(1)?).unwrap_or(0));
            let text = args.str(2)?;
            let chars: Vec<char> = text.chars().collect();
            if width < 4 || chars.len() <= width {
                return Ok(Value::string(text));
            }
            let left = left.min(chars.len());
            if left <= 4 {
                return Ok(Value::string(format!("{}...", chars.iter().take(width - 3).collect::<String>())));
            }
            if left.saturating_add(width - 3) < chars.len() {
                let inner: String = chars.iter().skip(left).take(width.saturating_sub(6)).collect();
                return Ok(Value::string(format!("...{inner}...")));
            }
            let tail: String = chars.iter().skip(chars.len() - (width - 3)).collect();
            Ok(Value::string(format!("...{tail}")))
        }
        "camelcase" => map_text(&args, 0, camel_case),
        "snakecase" => map_text(&args, 0, |text| delimited(text, '_')),
        "kebabcase" => map_text(&args, 0, |text| delimited(text, '-')),
        "split" | "splitn" => {
            let (separator, text, limit) = if name == "split" {
                args.exactly(2)?;
                (args.str(0)?, args.str(1)?, None)
            } else {
                args.exactly(3)?;
                (args.str(0)?, args.str(2)?, Some(args.int(1)?))
            };
            let parts = go_split(text, separator, limit);
            context.spend(parts.len())?;
            Ok(Value::map(
                parts.into_iter().enumerate().map(|(index, part)| (format!("_{index}"), Value::string(part))).collect(),
            ))
        }
        "splitList" => {
            args.exactly(2)?;
            let parts = go_split(args.str(1)?, args.str(0)?, None);
            context.spend(parts.len())?;
            Ok(Value::list(parts.into_iter().map(Value::string).collect()))
        }
        "join" => {
            args.exactly(2)?;
            let separator = args.str(0)?;
            let items = string_slice(args.get(1)?);
            let mut out = Traced::new();
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(separator);
                }
                out.push_traced(&as_traced(item), None, None);
            }
            Ok(Value::traced(out))
        }
        "initials" => {
            map_text(&args, 0, |text| text.split_whitespace().filter_map(|word| word.chars().next()).collect())
        }
        "plural" => {
            args.exactly(3)?;
            let (one, many, count) = (args.str(0)?, args.str(1)?, args.int(2)?);
            Ok(Value::string(if count == 1 { one } else { many }))
        }
        "wrap" | "wrapWith" => {
            let (width, separator, text) = if name == "wrap" {
                args.exactly(2)?;
                (args.int(0)?, "\n", args.str(1)?)
            } else {
                args.exactly(3)?;
                (args.int(0)?, args.str(1)?, args.str(2)?)
            };
            Ok(Value::string(wrap(text, usize::try_from(width).unwrap_or(1).max(1), separator)))
        }
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" => {
            args.exactly(1)?;
            let count = usize::try_from(args.int(0)?).unwrap_or(0).min(1 << 16);
            Ok(Value::string(if name == "randNumeric" { "0" } else { "x" }.repeat(count)))
        }
        "base" | "osBase" | "dir" | "osDir" | "clean" | "osClean" | "ext" | "osExt" | "isAbs" | "osIsAbs" => {
            args.exactly(1)?;
            let path = args.str(0)?;
            Ok(match name.trim_start_matches("os").to_lowercase().as_str() {
                "base" => Value::string(path_base(path)),
                "dir" => Value::string(path_clean(path_dir_part(path))),
                "clean" => Value::string(path_clean(path)),
                "ext" => Value::string(path_ext(path)),
                _ => Value::bool(path.starts_with('/')),
            })
        }
        "shuffle" => {
            args.exactly(1)?;
            Ok(Value::string(args.str(0)?))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}

/// A string argument with its runs (a value from a values file is one run from it).
fn traced(args: &Args<'_>, index: usize) -> Result<Traced, FnError> {
    let value = args.get(index)?;
    match &value.kind {
        Kind::Str(_) => Ok(value.traced_text().unwrap_or_default()),
        _ => Err(wrong_type("string", value)),
    }
}

/// Any value as text with runs: a string's own, anything else its `%v` from its origin.
pub(crate) fn as_traced(value: &Value) -> Traced {
    value.traced_text().unwrap_or_else(|| Traced::from_origin(to_string(value), value.origin.as_ref()))
}

/// `text` with `range` moved back to char boundaries.
fn floor_slice(text: &Traced, range: std::ops::Range<usize>) -> Traced {
    let floor = |mut at: usize| {
        while at > 0 && !text.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    text.slice(floor(range.start)..floor(range.end))
}

/// A string function that rewrites the text: runs are kept when the length is.
fn map_text(args: &Args<'_>, index: usize, f: impl Fn(&str) -> String) -> FnResult {
    args.exactly(index + 1)?;
    let text = traced(args, index)?;
    let mapped = f(&text.text);
    if mapped.len() == text.len() {
        return Ok(Value::traced(Traced { text: mapped, segments: text.segments }));
    }
    Ok(Value::traced(Traced::remapped(mapped, text.first_origin())))
}

/// Sprig's `indent`: every line prefixed (Go's `strings.Replace(v, "\n", "\n"+pad)` after a
/// first pad), `nindent` with a newline first.
fn indent(text: &Traced, spaces: usize, newline: bool) -> Traced {
    let pad = " ".repeat(spaces);
    let mut out = Traced::new();
    if newline {
        out.push_str("\n");
    }
    let mut start = 0;
    for line in text.text.split_inclusive('\n') {
        out.push_str(&pad);
        out.push_traced(&text.slice(start..start + line.len()), None, None);
        start += line.len();
    }
    if text.text.is_empty() || text.text.ends_with('\n') {
        out.push_str(&pad);
    }
    out
}

/// Go's `strings.Title`: each letter after a separator upper-cased.
fn words(text: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '\'' {
            word.push(c);
        } else {
            out.push_str(&f(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&f(&word));
    out
}

fn capitalize(word: &str, upper: bool) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if upper => first.to_uppercase().chain(chars).collect(),
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// xstrings' `ToCamelCase`: `foo_bar` → `FooBar` (underscores separate words; the first
/// letter of each is upper-cased, the rest kept).
fn camel_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut upper_next = true;
    for c in text.chars() {
        if c == '_' {
            upper_next = true;
            continue;
        }
        if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// xstrings' `ToSnakeCase`/`ToKebabCase`: words split at case changes, spaces, `_` and `-`,
/// lower-cased and joined with `delimiter`.
fn delimited(text: &str, delimiter: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c.is_whitespace() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let next = chars.get(index + 1).copied();
        let boundary = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase() || p.is_ascii_digit() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.join(&delimiter.to_string())
}

/// Go's `strings.Replace` with an empty `old`: `new` around every character.
fn go_replace_empty(text: &str, new: &str) -> String {
    let mut out = String::from(new);
    for c in text.chars() {
        out.push(c);
        out.push_str(new);
    }
    out
}

/// Go's `strings.Split`/`SplitN`: an empty separator splits into characters.
fn go_split(text: &str, separator: &str, limit: Option<i64>) -> Vec<String> {
    let limit = match limit {
        Some(0) => return Vec::new(),
        Some(n) if n > 0 => usize::try_from(n).ok(),
        _ => None,
    };
    if separator.is_empty() {
        let chars: Vec<String> = text.chars().map(String::from).collect();
        return match limit {
            Some(n) if chars.len() > n => {
                let mut head: Vec<String> = chars.iter().take(n - 1).cloned().collect();
                head.push(chars.iter().skip(n - 1).cloned().collect());
                head
            }
            _ => chars,
        };
    }
    match limit {
        Some(n) => text.splitn(n, separator).map(str::to_owned).collect(),
        None => text.split(separator).map(str::to_owned).collect(),
    }
}

/// Sprig's `strslice`: a list's items as strings (nil items dropped), a string as one.
pub(crate) fn string_slice(value: &Value) -> Vec<Value> {
    match &value.kind {
        Kind::List(items) => items.iter().filter(|item| !item.is_nil()).cloned().collect(),
        Kind::Nil => Vec::new(),
        _ => vec![value.clone()],
    }
}

/// goutils' `WrapCustom`: words wrapped at `width`.
fn wrap(text: &str, width: usize, separator: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            } else if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join(separator)
}

/// Go's `path.Clean`: `.`, `..` and doubled slashes resolved lexically.
fn path_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Everything up to the last slash (what `path.Dir` cleans).
fn path_dir_part(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(at) => path.get(..at).unwrap_or(""),
        None => "",
    }
}

/// Go's `path.Base`.
fn path_base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
}

/// Go's `path.Ext`: from the last dot of the last element.
fn path_ext(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rfind('.').and_then(|at| last.get(at..)).unwrap_or("").to_owned()
}
