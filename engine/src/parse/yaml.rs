//! YAML and JSON: Kubernetes manifests, Compose files, GitHub workflows and any other YAML or
//! JSON file, read through `serde-saphyr` so that every key and value keeps its span.
//!
//! Scalars are read the way the tool that consumes the file reads them: Kubernetes manifests
//! and other YAML as YAML 1.1, like kubectl and PyYAML (`yes`/`on` are booleans, `0644` is
//! octal); Compose files and GitHub workflows as YAML 1.2, like docker compose and GitHub (`on:`
//! is the string `on`). Merge keys (`<<: *base`) are expanded, and an aliased value is located
//! at its use site, where a finding about it belongs.
//! JSON is parsed with the same reader (JSON is YAML's flow subset), which gives JSON spans too.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::{Location, Spanned};

use super::{Limits, ParseError};
use crate::document::{pointer_push, Parsed, SourceMap, Span};

/// A YAML node with its location, as `serde-saphyr` hands it over.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    String(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(i64::try_from(v).map(Node::Int).unwrap_or(Node::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(u64::try_from(v).map(Node::UInt).unwrap_or(Node::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// Which YAML version's scalar rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarRules {
    /// YAML 1.1, as kubectl and PyYAML read it: `yes`/`no`/`on`/`off` are booleans and `0644`
    /// is octal (420).
    Yaml11,
    /// YAML 1.2 core schema, as docker compose and GitHub Actions read it: only `true`/`false`
    /// are booleans.
    Yaml12,
}

fn options(limits: &Limits, rules: ScalarRules) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.legacy_octal_numbers = rules == ScalarRules::Yaml11;
    options.strict_booleans = rules == ScalarRules::Yaml12;
    // ward draws its own code frames.
    options.with_snippet = false;
    // `.inf` and `.nan` are valid YAML but not JSON numbers: they become the strings `.inf`,
    // `-.inf` and `.nan`.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_alias_expansions;
    options.budget = Some(budget);
    options.alias_limits.max_alias_expansions_per_anchor = limits.max_alias_expansions;
    options.alias_limits.max_total_replayed_events = limits.max_alias_expansions.saturating_mul(100);
    options
}

/// Parses a YAML stream; the value is the array of its documents (empty documents are left out).
///
/// ```
/// use ward_engine::{parse_yaml_stream, Limits, ScalarRules};
/// let parsed = parse_yaml_stream("kind: A\n---\nkind: B\n", ScalarRules::Yaml11, &Limits::default()).unwrap();
/// assert_eq!(parsed.value[1]["kind"], "B");
/// assert_eq!(parsed.source_map.get("/1/kind").map(|s| s.start), Some(18));
/// let workflow = parse_yaml_stream("on: push\n", ScalarRules::Yaml12, &Limits::default()).unwrap();
/// assert_eq!(workflow.value[0]["on"], "push");
/// ```
pub fn parse_stream(text: &str, rules: ScalarRules, limits: &Limits) -> Result<Parsed, ParseError> {
    let documents: Vec<Spanned<Node>> = serde_saphyr::from_multiple_with_options(text, options(limits, rules))
        .map_err(|error| to_parse_error(text, &error))?;
    let mut source_map = SourceMap::new();
    let mut values = Vec::with_capacity(documents.len());
    let mut whole: Option<Span> = None;
    for (index, document) in documents.into_iter().enumerate() {
        let (value, span) = convert(document, &pointer_push("", &index.to_string()), &mut source_map, text);
        whole = Some(whole.map_or(span, |w| w.cover(span)));
        values.push(value);
    }
    source_map.insert("", whole.unwrap_or(Span::new(0, text.len())));
    Ok(Parsed { value: Value::Array(values), source_map })
}

/// Parses a JSON file. Its value is the file's single value.
pub(crate) fn parse_json(text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // JSON is checked strictly first so that YAML's leniency (comments, unquoted strings, `yes`)
    // does not accept a file no JSON reader would; the YAML reader then supplies the spans.
    super::check_bracket_depth(text, limits.max_depth)?;
    if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let offset = offset_of_line_column(text, error.line(), error.column());
        return Err(ParseError::new(
            format!("invalid JSON: {}", strip_json_position(&error)),
            Span::new(offset, offset),
        ));
    }
    let mut source_map = SourceMap::new();
    let document: Spanned<Node> = serde_saphyr::from_str_with_options(text, options(limits, ScalarRules::Yaml12))
        .map_err(|error| to_parse_error(text, &error))?;
    let (value, span) = convert(document, "", &mut source_map, text);
    source_map.insert("", span);
    Ok(Parsed { value, source_map })
}

/// The byte span a location points at. `serde-saphyr` has byte offsets for string input; a
/// location without them (never expected here) falls back to an empty span at the start.
fn span_of(location: &Location, text: &str) -> Span {
    let span = location.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start).unwrap_or(usize::MAX).min(text.len());
            let end = start.saturating_add(usize::try_from(len).unwrap_or(0)).min(text.len());
            Span::new(start, end)
        }
        _ => Span::new(0, 0),
    }
}

/// Turns a node into a JSON value, recording the span of it and of everything under it.
/// Recursion depth is bounded by the parser's `max_depth` budget.
fn convert(node: Spanned<Node>, pointer: &str, source_map: &mut SourceMap, text: &str) -> (Value, Span) {
    let mut span = span_of(&node.referenced, text);
    let value = match node.value {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => Value::from(i),
        Node::UInt(u) => Value::from(u),
        Node::Float(f) => Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        Node::String(s) => Value::String(s),
        Node::Seq(items) => {
            let mut values = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let (value, child) = convert(item, &pointer_push(pointer, &index.to_string()), source_map, text);
                span = cover_forward(span, child);
                values.push(value);
            }
            Value::Array(values)
        }
        Node::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key_span = span_of(&key.referenced, text);
                let key = key_text(key.value);
                let child_pointer = pointer_push(pointer, &key);
                source_map.insert_key(child_pointer.clone(), key_span);
                let (value, child) = convert(value, &child_pointer, source_map, text);
                span = cover_forward(span, key_span);
                span = cover_forward(span, child);
                // Merge keys can bring a key in twice; the explicit one, seen first, wins.
                map.entry(key).or_insert(value);
            }
            Value::Object(map)
        }
    };
    let span = close_flow_collection(span, text);
    source_map.insert(pointer, span);
    (value, span)
}

/// A flow collection (`[1, 2]`, `{a: b}`) ends at its closing bracket, after its last child.
fn close_flow_collection(span: Span, text: &str) -> Span {
    let closing = match text.as_bytes().get(span.start) {
        Some(b'[') => b']',
        Some(b'{') => b'}',
        _ => return span,
    };
    let rest = text.as_bytes().get(span.end..).unwrap_or_default();
    let mut at = 0;
    while let Some(&byte) = rest.get(at) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
            b'#' => {
                // A comment between the last item and the bracket runs to the end of its line.
                while rest.get(at).is_some_and(|&b| b != b'\n') {
                    at += 1;
                }
            }
            b if b == closing => return Span::new(span.start, span.end + at + 1),
            _ => break,
        }
    }
    span
}

/// Grows a container's span to the end of a child. Children brought in by an alias or merge key
/// sit before the container; they do not move its start.
fn cover_forward(container: Span, child: Span) -> Span {
    if child.end > container.end && child.start >= container.start {
        Span::new(container.start, child.end)
    } else {
        container
    }
}

/// A mapping key as text: YAML allows any node as a key, JSON objects need strings.
fn key_text(key: Node) -> String {
    match key {
        Node::String(s) => s,
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::UInt(u) => u.to_string(),
        Node::Float(f) => f.to_string(),
        other => {
            let value = convert_detached(other);
            value.to_string()
        }
    }
}

fn convert_detached(node: Node) -> Value {
    let mut scratch = SourceMap::new();
    convert(Spanned::new(node, Location::UNKNOWN, Location::UNKNOWN), "", &mut scratch, "").0
}

fn to_parse_error(text: &str, error: &serde_saphyr::Error) -> ParseError {
    // The outer error's location is the use site (the alias being expanded), where a bomb shows.
    let outer_location = error.location();
    let mut error = error;
    while let serde_saphyr::Error::WithSnippet { error: inner, .. }
    | serde_saphyr::Error::AliasError { error: inner, .. } = error
    {
        error = inner;
    }
    if let serde_saphyr::Error::Budget { breach, location } = error {
        let at = span_of(&outer_location.unwrap_or(*location), text);
        return ParseError::new(format!("YAML exceeds ward's bounds: {}", describe_breach(breach)), at).with_help(
            "ward bounds nesting, alias expansion and size so that no file can exhaust memory or the stack",
        );
    }
    let (offset, end) = match error.location() {
        Some(location) => {
            let span = span_of(&location, text);
            if span == Span::new(0, 0) {
                let at = offset_of_line_column(text, location.line() as usize, location.column() as usize);
                (at, at)
            } else {
                (span.start, span.end)
            }
        }
        None => (0, 0),
    };
    let message = first_line_of(error);
    // The parser reports a forbidden tab just after it; the tab itself is what to point at.
    if message.contains("tabs disallowed") && offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\t') {
        return ParseError::new(message, Span::new(offset - 1, offset));
    }
    ParseError::new(message, Span::new(offset, end))
}

fn describe_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { depth } => format!("nesting reaches {depth} levels"),
        B::Nodes { nodes } => format!("{nodes} nodes, counting alias expansions (an alias bomb?)"),
        B::Aliases { aliases } => format!("{aliases} alias uses"),
        B::Anchors { anchors } => format!("{anchors} anchors"),
        B::Events { events } => format!("{events} parse events"),
        B::Documents { documents } => format!("{documents} documents in one file"),
        B::ScalarBytes { total_scalar_bytes } => format!("{total_scalar_bytes} bytes of scalars"),
        B::MergeKeys { merge_keys } => format!("{merge_keys} merge keys"),
        B::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} alias uses for {anchors} anchors (an alias bomb?)")
        }
        other => format!("{other:?}"),
    }
}

/// `serde-saphyr` messages can carry their own snippet and position; ward draws its own code
/// frame, so only the message itself is kept.
fn first_line_of(error: &serde_saphyr::Error) -> String {
    let message = error.to_string();
    let first = message.lines().next().unwrap_or("invalid YAML").trim();
    let first = match first.rfind(" at line ") {
        Some(at) => first.get(..at).unwrap_or(first),
        None => first,
    };
    // The position is shown by ward's own code frame; drop the parser's `error: line N column M:`.
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match (first.starts_with("line "), first.find(": ")) {
        (true, Some(at)) => first.get(at + 2..).unwrap_or(first),
        _ => first,
    };
    // Advice addressed to serde-saphyr's API users means nothing to a ward user.
    let first = first.split(", set DuplicateKeyPolicy").next().unwrap_or(first);
    format!("invalid YAML: {}", first.trim_end_matches(':'))
}

fn strip_json_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(&message).to_owned(),
        None => message,
    }
}

/// Byte offset of a 1-based line and 1-based character column, clamped to the text.
fn offset_of_line_column(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(at, _)| at + 1).unwrap_or(text.len()) };
    let rest = text.get(line_start..).unwrap_or("");
    let within = rest.char_indices().nth(column.saturating_sub(1)).map(|(at, _)| at).unwrap_or(rest.len());
    line_start + within
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `parse_json`.
    #[test]
    fn parse_json_example() {
        use crate::parse::{yaml, Limits};
        let parsed = yaml::parse_json("{\"a\": [1, \"x\"]}", &Limits::default()).unwrap();
        assert_eq!(parsed.value["a"][1], "x");
        assert_eq!(parsed.source_map.get("/a/1").map(|s| (s.start, s.end)), Some((10, 13)));
    }
}
