//! How the stages of a Dockerfile hang together: the earlier stage a `FROM` builds on (by name,
//! also through a global `ARG`: `ARG BASE=build` … `FROM ${BASE}`), the base image a stage
//! starts from with the global `ARG`s' defaults substituted, the stages a stage copies files
//! from (`COPY --from=build`), and the chain of stages the final image is made of.

use serde_json::{json, Value};

use super::{Builder, StageHead};
use crate::document::{pointer_push, SourceMap, Span};

/// How deep `${A:-${B}}` defaults may nest before a reference counts as unknown.
const MAX_SUBSTITUTION_DEPTH: usize = 8;

/// What the final image's chain needs to know of a stage once it is built.
pub(super) struct StageLinks {
    /// `AS name`, lower case (stage names are case-insensitive).
    pub name: Option<String>,
    pub parent: Option<usize>,
    pub copies: Vec<usize>,
    pub span: Span,
    pub shell: Option<(Vec<String>, Span)>,
}

impl StageLinks {
    pub(super) fn of(head: &StageHead) -> StageLinks {
        StageLinks {
            name: head.name.as_deref().map(str::to_ascii_lowercase),
            parent: head.parent,
            copies: head.copies.iter().map(|(stage, _)| *stage).collect(),
            span: head.span,
            shell: head.shell.clone(),
        }
    }
}

/// The earlier stage `reference` names: by `AS` name (case-insensitive; the latest of two
/// with one name), or by index for `COPY --from=0`.
pub(super) fn stage_named(earlier: &[StageLinks], reference: &str) -> Option<usize> {
    let by_name = earlier
        .iter()
        .rposition(|stage| stage.name.as_deref().is_some_and(|name| name.eq_ignore_ascii_case(reference)));
    by_name.or_else(|| reference.parse::<usize>().ok().filter(|index| *index < earlier.len()))
}

/// The earlier stage a `COPY --from=…` or `ADD --from=…` copies from, with where it says so;
/// `None` for other instructions and for `--from` an image.
pub(super) fn copied_from(
    instruction: &Value,
    pointer: &str,
    earlier: &[StageLinks],
    source_map: &SourceMap,
) -> Option<(usize, Span)> {
    let cmd = instruction.get("cmd").and_then(Value::as_str)?;
    if cmd != "copy" && cmd != "add" {
        return None;
    }
    let flags = instruction.get("flags").and_then(Value::as_array)?;
    let (at, flag) =
        flags.iter().enumerate().find(|(_, flag)| flag.get("name").and_then(Value::as_str) == Some("from"))?;
    let reference = flag.get("value").and_then(Value::as_str)?;
    let stage = stage_named(earlier, reference)?;
    let span = source_map.get(&format!("{pointer}/flags/{at}/value"))?;
    Some((stage, span))
}

/// Records the `ARG`s of a global `ARG` instruction, each default with the earlier ones
/// substituted (`ARG A=1` `ARG B=${A}.2`).
pub(super) fn declare_global_args(args: &mut Vec<(String, Option<String>)>, instruction: &Value) {
    let pairs = instruction.get("pairs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for pair in pairs {
        let Some(key) = pair.get("key").and_then(Value::as_str) else { continue };
        let default = pair.get("value").and_then(Value::as_str).and_then(|value| substitute(value, args));
        args.push((key.to_owned(), default));
    }
}

/// `text` with `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
/// `${NAME+alt}` replaced by the global ARGs' defaults; `None` when a reference has no known
/// value (an ARG without default, a build-time platform argument).
pub(super) fn substitute(text: &str, args: &[(String, Option<String>)]) -> Option<String> {
    substitute_at(text, args, 0)
}

fn substitute_at(text: &str, args: &[(String, Option<String>)], depth: usize) -> Option<String> {
    if depth > MAX_SUBSTITUTION_DEPTH {
        return None;
    }
    let lookup = |name: &str| args.iter().rev().find(|(key, _)| key == name).and_then(|(_, value)| value.clone());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['$', '\\']) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at..).unwrap_or("");
        if let Some(escaped) = tail.strip_prefix("\\$") {
            out.push('$');
            rest = escaped;
            continue;
        }
        if let Some(after) = tail.strip_prefix('\\') {
            out.push('\\');
            rest = after;
            continue;
        }
        let after = tail.get(1..).unwrap_or("");
        if let Some(braced) = after.strip_prefix('{') {
            let close = closing_brace(braced)?;
            let inner = braced.get(..close).unwrap_or("");
            out.push_str(&expand(inner, args, depth, &lookup)?);
            rest = braced.get(close + 1..).unwrap_or("");
        } else {
            let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            if len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(&lookup(after.get(..len).unwrap_or(""))?);
            rest = after.get(len..).unwrap_or("");
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The index of the `}` closing a `${`, nested braces counted.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The value of `NAME`, `NAME:-default`, `NAME-default`, `NAME:+alt` or `NAME+alt`.
fn expand(
    inner: &str,
    args: &[(String, Option<String>)],
    depth: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let name_len = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    let name = inner.get(..name_len).unwrap_or("");
    let operator = inner.get(name_len..).unwrap_or("");
    let value = lookup(name);
    let word = |prefix: &str| operator.strip_prefix(prefix).map(|word| substitute_at(word, args, depth + 1));
    if let Some(default) = word(":-") {
        return value.filter(|v| !v.is_empty()).or(default);
    }
    if let Some(default) = word("-") {
        return value.or(default);
    }
    if let Some(alternative) = word(":+") {
        return match value {
            Some(v) if !v.is_empty() => alternative,
            _ => Some(String::new()),
        };
    }
    if let Some(alternative) = word("+") {
        return match value {
            Some(_) => alternative,
            None => Some(String::new()),
        };
    }
    if operator.is_empty() {
        value
    } else {
        None
    }
}

impl Builder<'_> {
    /// The final image: its stage, the chain of stages it is made of (the final stage, then the
    /// stage it builds `FROM`, and so on), and the other stages the chain copies files from.
    pub(super) fn final_image(&mut self, stages: &[StageLinks]) -> Value {
        let Some(last) = stages.len().checked_sub(1) else { return Value::Null };
        let mut chain = vec![last];
        let mut at = last;
        // Parents are always earlier stages, so the walk ends.
        while let Some(parent) = stages.get(at).and_then(|stage| stage.parent) {
            chain.push(parent);
            at = parent;
        }
        let mut copied: Vec<usize> = chain
            .iter()
            .filter_map(|index| stages.get(*index))
            .flat_map(|stage| stage.copies.iter().copied())
            .filter(|index| !chain.contains(index))
            .collect();
        copied.sort_unstable();
        copied.dedup();
        let span_of = |index: usize| stages.get(index).map_or(Span::new(0, 0), |stage| stage.span);
        self.map("/final", span_of(last));
        self.map("/final/stage", span_of(last));
        self.map("/final/chain", span_of(last));
        for (at, index) in chain.iter().enumerate() {
            self.map(&pointer_push("/final/chain", &at.to_string()), span_of(*index));
        }
        self.map("/final/copied_from", span_of(last));
        for (at, index) in copied.iter().enumerate() {
            self.map(&pointer_push("/final/copied_from", &at.to_string()), span_of(*index));
        }
        json!({"stage": last, "chain": chain, "copied_from": copied})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example that was in the documentation of `substitute`.
    #[test]
    fn substitute_example() {
        use crate::parse::{dockerfile, Limits};
        // Reached through the Dockerfile parser: `FROM python:${PY}-slim` with `ARG PY=3.12`.
        let parsed = dockerfile::parse(
            "ARG PY=3.12\nARG DIGEST\nFROM python:${PY}-slim\nFROM python:3@${DIGEST}\n",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(parsed.value["stages"][0]["base"]["tag"], "3.12-slim");
        assert!(parsed.value["stages"][1]["base"].is_null());
    }

    #[test]
    fn global_args_substitute_the_way_buildkit_does() {
        let args = vec![
            ("PY".to_owned(), Some("3.12".to_owned())),
            ("EMPTY".to_owned(), Some(String::new())),
            ("UNSET".to_owned(), None),
        ];
        let cases: &[(&str, Option<&str>)] = &[
            ("python:${PY}-slim", Some("python:3.12-slim")),
            ("python:$PY", Some("python:3.12")),
            ("python:${UNSET:-3.11}", Some("python:3.11")),
            ("python:${EMPTY:-3.10}", Some("python:3.10")),
            ("python:${EMPTY-3.10}", Some("python:")),
            ("python:${PY:+set}", Some("python:set")),
            ("python:${UNSET:+set}", Some("python:")),
            ("python:${UNSET:-${PY}}", Some("python:3.12")),
            ("python:${UNSET}", None),
            ("$TARGETARCH/python", None),
            ("python:${PY", None),
            ("a\\$b", Some("a$b")),
            ("price$", Some("price$")),
        ];
        for (text, expected) in cases {
            assert_eq!(substitute(text, &args).as_deref(), *expected, "{text}");
        }
    }
}
