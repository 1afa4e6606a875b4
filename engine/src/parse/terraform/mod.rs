//! Terraform (`*.tf`, `*.tfvars`): HCL read through `hcl-edit`, whose tree keeps a byte span for
//! every block, attribute and expression.
//!
//! Each block becomes `{block, type?, name?, config, expressions}`. `expressions` keeps every
//! attribute's expression as written; `config` holds the same attributes with the value that can
//! be known statically (literals, and what [`Scope`] knows of `var.*` and `local.*`), and for
//! anything else the expression in interpolation form, `"${aws_kms_key.main.arn}"`, the way
//! checkov shows unresolved references. Nested blocks are always arrays, however often they
//! occur, so a rule reads `config.versioning[0].enabled` the same way in every file.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::Span as _;
use serde_json::{Map, Value};

use super::{Limits, ParseError};
use crate::document::{pointer_push, Parsed, SourceMap, Span};

mod body;
mod eval;
mod functions;
mod types;

pub(crate) use body::resolve_body;
use eval::Evaluator;
pub(crate) use eval::{Scope, Stop};
pub(crate) use types::apply_variable_types;

/// Parses one Terraform file (or `.tfvars` file) with nothing known of variables.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // An HCL body starts with an identifier or a comment, never `{`: a file that does is in
    // Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`).
    if text.trim_start().starts_with('{') {
        return parse_json_syntax(text, limits);
    }
    super::check_bracket_depth(text, limits.max_depth)?;
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let at = error.location().offset().min(text.len());
        let message = format!("invalid HCL: {}", error.message());
        // hcl-edit notices an unclosed `{` or heredoc only at the end of the file; the opener
        // is where the mistake is.
        match unclosed_opener(text) {
            Some(opener) => {
                let stopped = crate::document::LineIndex::new(text).position(text, at);
                opener.with_help(format!(
                    "the parser stopped at line {}, column {}: {message}",
                    stopped.line, stopped.column
                ))
            }
            None => ParseError::new(message, Span::new(at, at)),
        }
    })?;
    check_labels(&body, text)?;
    let mut builder = Builder { text, scope: &Scope::default(), source_map: SourceMap::new(), depth: limits.max_depth };
    let value = builder.file(&body);
    let mut source_map = builder.source_map;
    source_map.insert("", Span::new(0, text.len()));
    Ok(Parsed { value, source_map })
}

/// How many labels Terraform requires on each top-level block kind it knows.
const LABEL_COUNTS: [(&str, usize, &str); 8] = [
    ("resource", 2, "type and name"),
    ("data", 2, "type and name"),
    ("module", 1, "name"),
    ("variable", 1, "name"),
    ("output", 1, "name"),
    ("provider", 1, "name"),
    ("terraform", 0, "none"),
    ("locals", 0, "none"),
];

/// Terraform refuses a `resource` without a name or a `locals` with a label; so does ward, at
/// the block's header, rather than filing the block somewhere a rule would not look.
fn check_labels(body: &Body, text: &str) -> Result<(), ParseError> {
    for block in body.blocks() {
        let kind = block.ident.as_str();
        let Some((_, expected, what)) = LABEL_COUNTS.iter().find(|(name, _, _)| *name == kind) else { continue };
        if block.labels.len() != *expected {
            let start = block.ident.span().map_or(0, |range| range.start);
            let end = block.labels.last().and_then(|label| label.span()).map_or(start + kind.len(), |range| range.end);
            let message = format!(
                "a `{kind}` block needs {expected} label{} ({what}), found {}",
                if *expected == 1 { "" } else { "s" },
                block.labels.len()
            );
            return Err(ParseError::new(message, Span::new(start, end.min(text.len()))));
        }
    }
    Ok(())
}

/// The first bracket or heredoc that is opened and never closed, skipping strings, comments and
/// heredoc bodies. Only consulted once the parser has failed.
fn unclosed_opener(text: &str) -> Option<ParseError> {
    let bytes = text.as_bytes();
    let mut open: Vec<(usize, u8)> = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'#' => at = end_of_line(bytes, at),
            b'/' if bytes.get(at + 1) == Some(&b'/') => at = end_of_line(bytes, at),
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = text.get(at + 2..).and_then(|rest| rest.find("*/")).map_or(bytes.len(), |end| at + 2 + end + 2);
            }
            b'"' => {
                at += 1;
                while let Some(&b) = bytes.get(at) {
                    match b {
                        b'\\' => at += 2,
                        b'"' | b'\n' => break,
                        _ => at += 1,
                    }
                }
                at += 1;
            }
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                let start = at;
                let rest = text.get(at + 2..).unwrap_or("");
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                let delimiter: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if delimiter.is_empty() {
                    at += 2;
                    continue;
                }
                let body_start = end_of_line(bytes, at);
                let closed = text.get(body_start..).and_then(|body| {
                    let mut offset = body_start;
                    body.split_inclusive('\n').find_map(|line| {
                        let found = (line.trim() == delimiter).then_some(offset + line.len());
                        offset += line.len();
                        found
                    })
                });
                match closed {
                    Some(end) => at = end,
                    None => {
                        return Some(ParseError::new(
                            format!("heredoc `<<{delimiter}` is never closed: expected a line `{delimiter}`"),
                            Span::new(start, start + 2 + delimiter.len()),
                        ))
                    }
                }
            }
            b'{' | b'[' | b'(' => {
                open.push((at, byte));
                at += 1;
            }
            b'}' | b']' | b')' => {
                open.pop();
                at += 1;
            }
            _ => at += 1,
        }
    }
    open.first().map(|&(at, byte)| {
        let closing = match byte {
            b'{' => '}',
            b'[' => ']',
            _ => ')',
        };
        ParseError::new(format!("`{}` is never closed: expected `{closing}`", char::from(byte)), Span::new(at, at + 1))
    })
}

fn end_of_line(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |end| from + end + 1)
}

/// Terraform's JSON syntax, in the same shape as HCL files. Without provider schemas a JSON
/// object cannot be told from a nested block, so every property is an attribute; strings keep
/// their `${…}` interpolations, which mark them unresolved exactly as HCL values are marked.
fn parse_json_syntax(text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    let json = super::yaml::parse_json(text, limits)?;
    let Value::Object(top) = &json.value else {
        return Err(ParseError::new("a Terraform JSON file must hold an object", Span::new(0, text.len())));
    };
    let mut out = JsonSyntax { text, source: &json.source_map, source_map: SourceMap::new() };
    let mut blocks = FileBlocks::default();
    let mut root = Map::new();
    for (kind, value) in top {
        let kind_pointer = pointer_push("", kind);
        match kind.as_str() {
            "resource" | "data" => {
                for (block_type, names) in value.as_object().into_iter().flatten() {
                    for (name, container) in names.as_object().into_iter().flatten() {
                        let names_slot =
                            blocks.typed.entry(kind.clone()).or_default().entry(block_type.clone()).or_default();
                        let json_pointer = pointer_push(&pointer_push(&kind_pointer, block_type), name);
                        for (index, body) in bodies(container).enumerate() {
                            let key = unique_key(names_slot, name);
                            let pointer = pointer_push(&pointer_push(&kind_pointer, block_type), &key);
                            let mut header = Map::new();
                            header.insert("type".into(), Value::String(block_type.clone()));
                            header.insert("name".into(), Value::String(name.clone()));
                            let from = element_pointer(&json_pointer, container, index);
                            names_slot.insert(key, out.block(&from, &pointer, kind, header, body));
                        }
                        out.copy(&pointer_push(&kind_pointer, block_type), &pointer_push(&kind_pointer, block_type));
                    }
                }
            }
            "module" | "variable" | "output" | "provider" => {
                for (name, container) in value.as_object().into_iter().flatten() {
                    let json_pointer = pointer_push(&kind_pointer, name);
                    for (index, body) in bodies(container).enumerate() {
                        let mut header = Map::new();
                        header.insert("name".into(), Value::String(name.clone()));
                        let from = element_pointer(&json_pointer, container, index);
                        if kind == "provider" {
                            out.copy(&json_pointer, &json_pointer);
                            let list = blocks.providers.entry(name.clone()).or_default();
                            let pointer = pointer_push(&pointer_push(&kind_pointer, name), &list.len().to_string());
                            list.push(out.block(&from, &pointer, kind, header, body));
                        } else {
                            let names_slot = blocks.named.entry(kind.clone()).or_default();
                            let key = unique_key(names_slot, name);
                            let pointer = pointer_push(&kind_pointer, &key);
                            names_slot.insert(key, out.block(&from, &pointer, kind, header, body));
                        }
                    }
                }
            }
            "locals" => {
                root.insert("locals".into(), out.bag(&kind_pointer, "/locals", value));
            }
            "terraform" => {
                for (index, body) in bodies(value).enumerate() {
                    let list = blocks.listed.entry("terraform".into()).or_default();
                    let pointer = pointer_push("/terraform", &list.len().to_string());
                    let from = element_pointer(&kind_pointer, value, index);
                    list.push(out.block(&from, &pointer, kind, Map::new(), body));
                }
            }
            // `.tfvars.json`: top-level variable values.
            _ => {}
        }
        out.copy(&kind_pointer, &kind_pointer);
    }
    let variables: Map<String, Value> = top
        .iter()
        .filter(|(key, _)| {
            !matches!(
                key.as_str(),
                "resource" | "data" | "module" | "variable" | "output" | "provider" | "locals" | "terraform"
            )
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    if !variables.is_empty() {
        root.insert("attributes".into(), out.bag("", "/attributes", &Value::Object(variables)));
    }
    blocks.into_value(&mut root);
    let mut source_map = out.source_map;
    source_map.insert("", Span::new(0, text.len()));
    Ok(Parsed { value: Value::Object(root), source_map })
}

/// A JSON block body is an object, or an array of objects for a repeated block.
fn bodies(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Value::Array(items) => Box::new(items.iter().filter(|item| item.is_object())),
        Value::Object(_) => Box::new(std::iter::once(value)),
        _ => Box::new(std::iter::empty()),
    }
}

fn element_pointer(pointer: &str, container: &Value, index: usize) -> String {
    if container.is_array() {
        pointer_push(pointer, &index.to_string())
    } else {
        pointer.to_owned()
    }
}

/// Moves spans from a Terraform JSON file's plain source map to the block-shaped pointers.
struct JsonSyntax<'a> {
    text: &'a str,
    source: &'a SourceMap,
    source_map: SourceMap,
}

impl JsonSyntax<'_> {
    fn copy(&mut self, from: &str, to: &str) {
        if let Some(span) = self.source.get(from) {
            self.source_map.insert(to, span);
        }
    }

    fn copy_tree(&mut self, from: &str, to: &str) {
        let prefix = format!("{from}/");
        let moved = |(pointer, span): (&str, Span)| Some((format!("{to}/{}", pointer.strip_prefix(&prefix)?), span));
        let spans: Vec<(String, Span)> = self.source.iter().filter_map(moved).collect();
        let keys: Vec<(String, Span)> = self.source.iter_keys().filter_map(moved).collect();
        for (pointer, span) in spans {
            self.source_map.insert(pointer, span);
        }
        for (pointer, span) in keys {
            self.source_map.insert_key(pointer, span);
        }
        self.copy(from, to);
    }

    /// `config` is the body as written; `expressions` each property's JSON text. `"//"` keys
    /// are Terraform JSON's comments and are left out.
    fn bag(&mut self, from: &str, to: &str, body: &Value) -> Value {
        let body = match body {
            Value::Object(map) => {
                Value::Object(map.iter().filter(|(key, _)| *key != "//").map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            other => other.clone(),
        };
        let body = &body;
        let mut expressions = Map::new();
        for key in body.as_object().into_iter().flatten().map(|(key, _)| key) {
            let span = self.source.get(&pointer_push(from, key)).unwrap_or(Span::new(0, 0));
            expressions
                .insert(key.clone(), Value::String(self.text.get(span.start..span.end).unwrap_or("").to_owned()));
            self.source_map.insert(pointer_push(&pointer_push(to, "expressions"), key), span);
        }
        self.copy_tree(from, &pointer_push(to, "config"));
        self.copy(from, &pointer_push(to, "expressions"));
        self.copy(from, to);
        let mut bag = Map::new();
        bag.insert("config".into(), body.clone());
        bag.insert("expressions".into(), Value::Object(expressions));
        Value::Object(bag)
    }

    fn block(&mut self, from: &str, to: &str, kind: &str, mut header: Map<String, Value>, body: &Value) -> Value {
        header.insert("block".into(), Value::String(kind.to_owned()));
        let span = self.source.get(from).unwrap_or(Span::new(0, 0));
        for key in header.keys() {
            self.source_map.insert(pointer_push(to, key), span);
        }
        if let Value::Object(bag) = self.bag(from, to, body) {
            header.extend(bag);
        }
        // The block's name (`"logs": {`) heads its body, as a block's header does in HCL.
        if let Some(key) = self.source.key(from) {
            self.source_map.insert_key(pointer_push(to, "config"), key);
            self.source_map.insert_key(pointer_push(to, "expressions"), key);
        }
        Value::Object(header)
    }
}

/// Resolves one expression, given as text, with what `scope` knows. Unknown parts come back in
/// interpolation form, as in [`parse`]. Used to resolve a block once per environment.
pub(crate) fn resolve_text(expression: &str, scope: &Scope) -> Option<Value> {
    if super::check_bracket_depth(expression, Limits::default().max_depth).is_err() {
        return None;
    }
    let parsed = hcl_edit::parser::parse_expr(expression).ok()?;
    let builder = Builder { text: expression, scope, source_map: SourceMap::new(), depth: Limits::default().max_depth };
    Some(builder.resolve(&parsed, 0).unwrap_or_else(|| builder.unknown(&parsed)))
}

/// Evaluates one expression, given as text, with what `scope` knows: its value, or why it has
/// none ([`Stop::Unknown`] when its inputs are not known, [`Stop::Error`] when Terraform would
/// refuse it). Text that is not an expression is an error.
pub(crate) fn evaluate_text(expression: &str, scope: &Scope) -> Result<Value, Stop> {
    let limits = Limits::default();
    if super::check_bracket_depth(expression, limits.max_depth).is_err() {
        return Err(Stop::Unknown);
    }
    let parsed = hcl_edit::parser::parse_expr(expression).map_err(|_| Stop::Error)?;
    Evaluator::new(expression, scope, limits.max_depth).eval(&parsed, 0)
}

struct Builder<'a> {
    text: &'a str,
    scope: &'a Scope,
    source_map: SourceMap,
    depth: usize,
}

impl Builder<'_> {
    fn span_of(&self, node: &dyn hcl_edit::Span) -> Span {
        node.span().map(|range| Span::new(range.start, range.end)).unwrap_or(Span::new(0, 0))
    }

    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn file(&mut self, body: &Body) -> Value {
        let mut blocks = FileBlocks::default();
        let mut attributes = Vec::new();
        let mut locals = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(_) => attributes.push(structure),
                Structure::Block(block) if block.ident.as_str() == "locals" => locals.push(block),
                Structure::Block(block) => self.top_level_block(&mut blocks, block),
            }
        }
        let mut root = Map::new();
        blocks.into_value(&mut root);
        if !locals.is_empty() {
            let value = self.attribute_bag("/locals", locals.iter().flat_map(|block| block.body.iter()));
            root.insert("locals".into(), value);
        }
        if !attributes.is_empty() {
            let value = self.attribute_bag("/attributes", attributes.into_iter());
            root.insert("attributes".into(), value);
        }
        Value::Object(root)
    }

    /// A `{config, expressions}` pair for loose attributes: `locals` blocks and `.tfvars` files.
    fn attribute_bag<'s>(&mut self, pointer: &str, structures: impl Iterator<Item = &'s Structure>) -> Value {
        let mut config = Map::new();
        let mut expressions = Map::new();
        let mut whole: Option<Span> = None;
        for structure in structures {
            if let Structure::Attribute(attribute) = structure {
                let span = self.span_of(&attribute.value);
                whole = Some(whole.map_or(self.span_of(attribute), |w| w.cover(self.span_of(attribute))));
                let key = attribute.key.as_str();
                config.insert(
                    key.into(),
                    self.expression(&pointer_push(&pointer_push(pointer, "config"), key), &attribute.value, 0),
                );
                self.source_map.insert(pointer_push(&pointer_push(pointer, "expressions"), key), span);
                self.attribute_key(
                    &pointer_push(pointer, "config"),
                    &pointer_push(pointer, "expressions"),
                    key,
                    attribute,
                );
                expressions.insert(key.into(), Value::String(self.source(span).to_owned()));
            }
        }
        let whole = whole.unwrap_or(Span::new(0, 0));
        self.source_map.insert(pointer, whole);
        self.source_map.insert(pointer_push(pointer, "config"), whole);
        self.source_map.insert(pointer_push(pointer, "expressions"), whole);
        let mut bag = Map::new();
        bag.insert("config".into(), Value::Object(config));
        bag.insert("expressions".into(), Value::Object(expressions));
        Value::Object(bag)
    }

    fn top_level_block(&mut self, blocks: &mut FileBlocks, block: &Block) {
        let kind = block.ident.as_str();
        let labels: Vec<&str> = block.labels.iter().map(BlockLabel::as_str).collect();
        let span = self.span_of(block);
        let mut header = Map::new();
        header.insert("block".into(), Value::String(kind.to_owned()));
        match (kind, labels.as_slice()) {
            ("resource" | "data", [block_type, name]) => {
                header.insert("type".into(), Value::String((*block_type).to_owned()));
                header.insert("name".into(), Value::String((*name).to_owned()));
                let names =
                    blocks.typed.entry(kind.to_owned()).or_default().entry((*block_type).to_owned()).or_default();
                let key = unique_key(names, name);
                let pointer = pointer_push(&pointer_push(&pointer_push("", kind), block_type), &key);
                let value = self.block_value(&pointer, header, block, span);
                names.insert(key, value);
                self.widen(&pointer_push(&pointer_push("", kind), block_type), span);
                self.widen(&pointer_push("", kind), span);
            }
            ("provider", [name]) => {
                header.insert("name".into(), Value::String((*name).to_owned()));
                let list = blocks.providers.entry((*name).to_owned()).or_default();
                let pointer = pointer_push(&pointer_push("/provider", name), &list.len().to_string());
                list.push(self.block_value(&pointer, header, block, span));
                self.widen(&pointer_push("/provider", name), span);
                self.widen("/provider", span);
            }
            ("module" | "variable" | "output", [name]) => {
                header.insert("name".into(), Value::String((*name).to_owned()));
                let names = blocks.named.entry(kind.to_owned()).or_default();
                let key = unique_key(names, name);
                let pointer = pointer_push(&pointer_push("", kind), &key);
                let value = self.block_value(&pointer, header, block, span);
                names.insert(key, value);
                self.widen(&pointer_push("", kind), span);
            }
            _ => {
                // `terraform`, and `moved`, `import`, `check`, `removed` or a block with
                // unexpected labels under `other`: kept whole so nothing in a file is invisible.
                let slot = if kind == "terraform" && labels.is_empty() { "terraform" } else { "other" };
                if slot == "other" {
                    let labels = labels.iter().map(|label| Value::String((*label).to_owned())).collect();
                    header.insert("labels".into(), Value::Array(labels));
                }
                let list = blocks.listed.entry(slot.to_owned()).or_default();
                let pointer = pointer_push(&pointer_push("", slot), &list.len().to_string());
                list.push(self.block_value(&pointer, header, block, span));
                self.widen(&pointer_push("", slot), span);
            }
        }
    }

    /// A block's value: its header (`block`, `type`, `name`, `labels`) with `config` and
    /// `expressions` of its body, every part recorded in the source map.
    fn block_value(&mut self, pointer: &str, mut header: Map<String, Value>, block: &Block, span: Span) -> Value {
        for (key, value) in &header {
            self.source_map.insert(pointer_push(pointer, key), span);
            if let Value::Array(items) = value {
                for index in 0..items.len() {
                    self.source_map.insert(pointer_push(&pointer_push(pointer, key), &index.to_string()), span);
                }
            }
        }
        let (config, expressions) = self.body(pointer, &block.body, 0);
        header.insert("config".into(), config);
        header.insert("expressions".into(), expressions);
        self.source_map.insert(pointer, span);
        // What a block's body holds is written under its header (`resource "aws_s3_bucket"
        // "logs" {`): the body is the block, as a nested block's is, and the header is where
        // an attribute missing from it belongs.
        let header_span = self.header_span(block, span);
        for part in ["config", "expressions"] {
            self.source_map.insert(pointer_push(pointer, part), span);
            self.source_map.insert_key(pointer_push(pointer, part), header_span);
        }
        Value::Object(header)
    }

    /// A block's type and labels, up to its `{`.
    fn header_span(&self, block: &Block, whole: Span) -> Span {
        let start = block.ident.span().map_or(whole.start, |range| range.start);
        let end = block.labels.last().and_then(|label| label.span()).or_else(|| block.ident.span());
        Span::new(start, end.map_or(start, |range| range.end))
    }

    /// Records where an attribute's name is written, under `config` and `expressions` both.
    fn attribute_key(
        &mut self,
        config: &str,
        expressions: &str,
        key: &str,
        attribute: &hcl_edit::structure::Attribute,
    ) {
        let span = self.span_of(&attribute.key);
        self.source_map.insert_key(pointer_push(config, key), span);
        self.source_map.insert_key(pointer_push(expressions, key), span);
    }

    /// Grows the span of a grouping level (`/resource/aws_s3_bucket`) to cover another block.
    fn widen(&mut self, pointer: &str, span: Span) {
        let grown = self.source_map.get(pointer).map_or(span, |existing| existing.cover(span));
        self.source_map.insert(pointer, grown);
    }

    /// A block body as `(config, expressions)`; nested blocks become arrays under their type,
    /// nested by label when they have labels (`dynamic "ingress" {…}` → `dynamic[0].ingress`).
    fn body(&mut self, pointer: &str, body: &Body, depth: usize) -> (Value, Value) {
        let config_pointer = pointer_push(pointer, "config");
        let expressions_pointer = pointer_push(pointer, "expressions");
        let mut config = Map::new();
        let mut expressions = Map::new();
        let body_span = self.span_of(body);
        self.source_map.insert(config_pointer.clone(), body_span);
        self.source_map.insert(expressions_pointer.clone(), body_span);
        if depth > self.depth {
            return (Value::Object(config), Value::Object(expressions));
        }
        let mut nested: BTreeMap<String, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let span = self.span_of(&attribute.value);
                    let value = self.expression(&pointer_push(&config_pointer, key), &attribute.value, depth);
                    config.insert(key.into(), value);
                    self.source_map.insert(pointer_push(&expressions_pointer, key), span);
                    self.attribute_key(&config_pointer, &expressions_pointer, key, attribute);
                    expressions.insert(key.into(), Value::String(self.source(span).to_owned()));
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    let span = self.span_of(block);
                    let (config_list, expressions_list) = nested.entry(ident.to_owned()).or_default();
                    let index = config_list.len().to_string();
                    let mut inner_config_pointer = pointer_push(&pointer_push(&config_pointer, ident), &index);
                    let mut inner_expressions_pointer =
                        pointer_push(&pointer_push(&expressions_pointer, ident), &index);
                    self.widen(&pointer_push(&config_pointer, ident), span);
                    self.widen(&pointer_push(&expressions_pointer, ident), span);
                    let labels: Vec<&str> = block.labels.iter().map(BlockLabel::as_str).collect();
                    // The blocks a `dynamic "L"` generates are appended to `config.L`: with no
                    // span of their own, they point at the dynamic block.
                    if let ("dynamic", [label]) = (ident, labels.as_slice()) {
                        self.widen(&pointer_push(&config_pointer, label), span);
                    }
                    for label in &labels {
                        self.source_map.insert(inner_config_pointer.clone(), span);
                        self.source_map.insert(inner_expressions_pointer.clone(), span);
                        inner_config_pointer = pointer_push(&inner_config_pointer, label);
                        inner_expressions_pointer = pointer_push(&inner_expressions_pointer, label);
                    }
                    // `body` writes under `<p>/config` and `<p>/expressions`, but a nested
                    // block's two halves live at different pointers: build it at a scratch
                    // pointer and move its spans over.
                    let mut scratch =
                        Builder { text: self.text, scope: self.scope, source_map: SourceMap::new(), depth: self.depth };
                    let (inner_config, inner_expressions) = scratch.body("", &block.body, depth + 1);
                    for (scratch_pointer, scratch_span) in scratch.source_map.iter() {
                        if let Some(rest) = scratch_pointer.strip_prefix("/config") {
                            self.source_map.insert(format!("{inner_config_pointer}{rest}"), scratch_span);
                        } else if let Some(rest) = scratch_pointer.strip_prefix("/expressions") {
                            self.source_map.insert(format!("{inner_expressions_pointer}{rest}"), scratch_span);
                        }
                    }
                    for (scratch_pointer, key_span) in scratch.source_map.iter_keys() {
                        if let Some(rest) = scratch_pointer.strip_prefix("/config/") {
                            self.source_map.insert_key(format!("{inner_config_pointer}/{rest}"), key_span);
                        } else if let Some(rest) = scratch_pointer.strip_prefix("/expressions/") {
                            self.source_map.insert_key(format!("{inner_expressions_pointer}/{rest}"), key_span);
                        }
                    }
                    self.source_map.insert(inner_config_pointer, span);
                    self.source_map.insert(inner_expressions_pointer, span);
                    config_list.push(nest_under_labels(&labels, inner_config));
                    expressions_list.push(nest_under_labels(&labels, inner_expressions));
                }
            }
        }
        // A nested block and an attribute of the same name cannot both be valid Terraform;
        // the block list takes the slot.
        for (ident, (config_list, expressions_list)) in nested {
            config.insert(ident.clone(), Value::Array(config_list));
            expressions.insert(ident, Value::Array(expressions_list));
        }
        (Value::Object(config), Value::Object(expressions))
    }

    /// The value of an expression for `config`, recording spans of its parts under `pointer`.
    fn expression(&mut self, pointer: &str, expression: &Expression, depth: usize) -> Value {
        let span = self.span_of(expression);
        self.source_map.insert(pointer, span);
        if depth > self.depth {
            return self.unknown(expression);
        }
        match expression {
            Expression::Array(array) => Value::Array(
                array
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.expression(&pointer_push(pointer, &index.to_string()), item, depth + 1))
                    .collect(),
            ),
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let key_span = self.span_of(key);
                    let key = self.object_key(key);
                    let child = pointer_push(pointer, &key);
                    self.source_map.insert_key(child.clone(), key_span);
                    let value = self.expression(&child, value.expr(), depth + 1);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            Expression::Parenthesis(inner) => self.expression(pointer, inner.inner(), depth + 1),
            Expression::FuncCall(call) if is_passthrough(call) && call.args.len() == 1 => match call.args.iter().next()
            {
                // `toset([...])` keeps the spans of the list's elements.
                Some(argument) => self.expression(pointer, argument, depth + 1),
                None => self.unknown(expression),
            },
            other => {
                let value = self.resolve(other, depth).unwrap_or_else(|| self.unknown(other));
                // A value resolved from elsewhere (a variable's list, a `jsonencode`d object)
                // has no source of its own: its parts point at this expression.
                self.fill_missing(pointer, &value, span, depth);
                value
            }
        }
    }

    fn fill_missing(&mut self, pointer: &str, value: &Value, span: Span, depth: usize) {
        if depth > self.depth {
            return;
        }
        let children: Vec<(String, &Value)> = match value {
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            _ => return,
        };
        for (token, child) in children {
            let child_pointer = pointer_push(pointer, &token);
            if self.source_map.get(&child_pointer).is_none() {
                self.source_map.insert(child_pointer.clone(), span);
            }
            self.fill_missing(&child_pointer, child, span, depth + 1);
        }
    }

    fn evaluator(&self) -> Evaluator<'_> {
        Evaluator::new(self.text, self.scope, self.depth)
    }

    fn object_key(&self, key: &ObjectKey) -> String {
        match key {
            ObjectKey::Ident(ident) => ident.as_str().to_owned(),
            ObjectKey::Expression(expression) => self
                .evaluator()
                .object_key(key, 0)
                .unwrap_or_else(|_| self.unknown(expression).as_str().unwrap_or_default().to_owned()),
        }
    }

    /// An expression that cannot be known statically, in interpolation form.
    fn unknown(&self, expression: &Expression) -> Value {
        self.evaluator().unknown(expression)
    }

    /// The statically known value of an expression, or `None`. Arrays and objects resolve
    /// partially: their unknown members come back in interpolation form.
    fn resolve(&self, expression: &Expression, depth: usize) -> Option<Value> {
        self.evaluator().eval(expression, depth).ok()
    }
}

/// Conversions that, for a statically known collection, keep its elements where they are
/// written, so the elements keep their own lines.
const PASSTHROUGH_FUNCTIONS: [&str; 3] = ["tolist", "toset", "tomap"];

fn is_passthrough(call: &hcl_edit::expr::FuncCall) -> bool {
    call.name.namespace.is_empty() && PASSTHROUGH_FUNCTIONS.contains(&call.name.name.as_str())
}

/// The top level of a Terraform file, by block kind, gathered before it becomes JSON.
#[derive(Default)]
struct FileBlocks {
    /// `resource` and `data`: kind -> type -> name -> block.
    typed: BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>,
    /// `module`, `variable`, `output`: kind -> name -> block.
    named: BTreeMap<String, BTreeMap<String, Value>>,
    /// `provider`: name -> blocks (one per alias).
    providers: BTreeMap<String, Vec<Value>>,
    /// `terraform`, and `other` for anything else: kind -> blocks.
    listed: BTreeMap<String, Vec<Value>>,
}

impl FileBlocks {
    fn into_value(self, root: &mut Map<String, Value>) {
        for (kind, by_type) in self.typed {
            let by_type =
                by_type.into_iter().map(|(t, names)| (t, Value::Object(names.into_iter().collect()))).collect();
            root.insert(kind, Value::Object(by_type));
        }
        for (kind, names) in self.named {
            root.insert(kind, Value::Object(names.into_iter().collect()));
        }
        if !self.providers.is_empty() {
            let providers = self.providers.into_iter().map(|(name, list)| (name, Value::Array(list))).collect();
            root.insert("provider".into(), Value::Object(providers));
        }
        for (kind, list) in self.listed {
            root.insert(kind, Value::Array(list));
        }
    }
}

/// The key for a block named `name`: a duplicate name (a Terraform error) is kept visible under a
/// suffixed key rather than silently replacing the first block.
fn unique_key(map: &BTreeMap<String, Value>, name: &str) -> String {
    let mut key = name.to_owned();
    let mut n = 2;
    while map.contains_key(&key) {
        key = format!("{name}#{n}");
        n += 1;
    }
    key
}

fn nest_under_labels(labels: &[&str], body: Value) -> Value {
    labels.iter().rev().fold(body, |inner, label| {
        let mut map = Map::new();
        map.insert((*label).to_owned(), inner);
        Value::Object(map)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `evaluate_text`.
    #[test]
    fn evaluate_text_example() {
        use crate::parse::terraform::{evaluate_text, Scope, Stop};
        let mut scope = Scope::default();
        scope.variables.insert("enabled".into(), false.into());
        assert_eq!(evaluate_text("var.enabled ? 1 : 0", &scope), Ok(0.into()));
        assert_eq!(evaluate_text("length(aws_subnet.private)", &scope), Err(Stop::Unknown));
    }
}
