//! HCL1 (the first HashiCorp Configuration Language: Vault, Consul and Nomad agent
//! configuration, pre-0.12 Terraform) as conftest's `hcl1` parser reads it: hashicorp/hcl v1
//! decoding the file into Go's `interface{}`. That decoding has a shape of its own, which
//! conftest policies index into (`input.provider[0].google[0].project`):
//!
//! - the file is an object; an item's first key is its name in that object;
//! - an item with several keys (`resource "aws_s3_bucket" "logs" { … }`) gathers every item of
//!   the object with the same first key (compared without case) into a list with one object
//!   per item, keyed by the next key, and so on down to the body;
//! - an object that is the value of an object's member — a block (`master_auth { … }`) or an
//!   assignment (`tags = { … }`) — is a list of objects, one per item of that name; an object
//!   directly inside a list (`[{ … }]`) or at the root is an object;
//! - a literal assigned twice keeps the last value; a block given twice is a list of both;
//! - strings keep `${…}` interpolations as written; heredocs keep their lines (`<<-` lines
//!   lose the closing marker's indentation); `NUMBER`s are integers (hex and octal too),
//!   `FLOAT`s floats.
//!
//! The source map has every value's span, with the span of its name for members.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::document::{pointer_push, Parsed, SourceMap, Span};
use crate::parse::ParseError;

/// Parses HCL1 `text` into the value hashicorp/hcl v1 decodes it to.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Parsed, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, at: 0, max_depth };
    let items = parser.items(0, true)?;
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    let mut root = Map::new();
    decode_map(&mut root, &items, "", &mut source_map)?;
    Ok(Parsed { value: Value::Object(root), source_map })
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident(String),
    String(String),
    Heredoc(String),
    Number(Value),
    Bool(bool),
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    span: Span,
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let start = at;
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => at = line_end(text, at),
            b'/' if bytes.get(at + 1) == Some(&b'/') => at = line_end(text, at),
            b'/' if bytes.get(at + 1) == Some(&b'*') => match text.get(at + 2..).and_then(|rest| rest.find("*/")) {
                Some(end) => at = at + 2 + end + 2,
                None => return Err(ParseError::new("comment not terminated: expected `*/`", Span::new(at, at + 2))),
            },
            b'{' | b'}' | b'[' | b']' | b',' | b'=' => {
                at += 1;
                tokens.push(Token { kind: Kind::Punct(char::from(byte)), span: Span::new(start, at) });
            }
            b'"' => {
                let (value, end) = string(text, at)?;
                at = end;
                tokens.push(Token { kind: Kind::String(value), span: Span::new(start, at) });
            }
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                let (value, end) = heredoc(text, at)?;
                at = end;
                tokens.push(Token { kind: Kind::Heredoc(value), span: Span::new(start, at) });
            }
            b'-' | b'+' | b'.' | b'0'..=b'9' => {
                let end = number_end(bytes, at);
                if end == at || (end == at + 1 && matches!(byte, b'-' | b'+' | b'.')) {
                    return Err(unexpected(text, at));
                }
                let written = text.get(at..end).unwrap_or("");
                let value = number(written)
                    .ok_or_else(|| ParseError::new(format!("invalid number `{written}`"), Span::new(at, end)))?;
                at = end;
                tokens.push(Token { kind: Kind::Number(value), span: Span::new(start, at) });
            }
            _ => {
                let first = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
                if !(first.is_alphabetic() || first == '_') {
                    return Err(unexpected(text, at));
                }
                let rest = text.get(at..).unwrap_or("");
                let length = rest
                    .char_indices()
                    .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
                    .map_or(rest.len(), |(index, _)| index);
                let word = rest.get(..length).unwrap_or("");
                at += length;
                let kind = match word {
                    "true" => Kind::Bool(true),
                    "false" => Kind::Bool(false),
                    _ => Kind::Ident(word.to_owned()),
                };
                tokens.push(Token { kind, span: Span::new(start, at) });
            }
        }
    }
    Ok(tokens)
}

fn unexpected(text: &str, at: usize) -> ParseError {
    let found = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
    ParseError::new(
        format!("illegal character `{found}`: expected a key, a value, `{{`, `}}`, `[`, `]`, `,` or `=`"),
        Span::new(at, at + found.len_utf8()),
    )
}

fn line_end(text: &str, at: usize) -> usize {
    text.get(at..).and_then(|rest| rest.find('\n')).map_or(text.len(), |end| at + end)
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    if matches!(bytes.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    while let Some(&byte) = bytes.get(at) {
        let exponent_sign = matches!(byte, b'-' | b'+') && matches!(bytes.get(at.wrapping_sub(1)), Some(b'e' | b'E'));
        if byte.is_ascii_alphanumeric() || byte == b'.' || exponent_sign {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// A `NUMBER` as Go's `strconv.ParseInt(s, 0, 0)` reads it, or a `FLOAT`.
fn number(written: &str) -> Option<Value> {
    let (negative, digits) = match written.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, written.strip_prefix('+').unwrap_or(written)),
    };
    let lowered = digits.to_ascii_lowercase();
    let integer = if let Some(hex) = lowered.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if lowered.len() > 1 && lowered.starts_with('0') && lowered.bytes().all(|b| b.is_ascii_digit()) {
        i64::from_str_radix(lowered.get(1..).unwrap_or("0"), 8).ok()
    } else if lowered.bytes().all(|b| b.is_ascii_digit()) {
        lowered.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(integer) = integer {
        return Some(Value::from(if negative { -integer } else { integer }));
    }
    let float: f64 = written.parse().ok()?;
    serde_json::Number::from_f64(float).map(Value::Number)
}

/// A double-quoted string from `start`: its value and the offset after its closing quote.
/// Escapes are read as Go reads them; an interpolation (`${…}`) is kept as written, quotes
/// and all.
fn string(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let mut value = String::new();
    let mut chars = text.get(start + 1..).unwrap_or("").char_indices().peekable();
    let mut braces = 0usize;
    while let Some((index, c)) = chars.next() {
        let at = start + 1 + index;
        match c {
            '"' if braces == 0 => return Ok((value, at + 1)),
            '\n' if braces == 0 => {
                return Err(ParseError::new(
                    "literal not terminated: expected `\"` before the line ends",
                    Span::new(start, at),
                ))
            }
            '$' if chars.peek().map(|(_, next)| *next) == Some('{') => {
                braces += 1;
                value.push('$');
                value.push('{');
                chars.next();
            }
            '{' if braces > 0 => {
                braces += 1;
                value.push(c);
            }
            '}' if braces > 0 => {
                braces -= 1;
                value.push(c);
            }
            '\\' if braces == 0 => {
                let Some((_, escaped)) = chars.next() else { break };
                match escaped {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'r' => value.push('\r'),
                    'a' => value.push('\u{7}'),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'v' => value.push('\u{b}'),
                    '\\' | '"' => value.push(escaped),
                    'u' | 'U' => {
                        let width = if escaped == 'u' { 4 } else { 8 };
                        let mut code = String::new();
                        for _ in 0..width {
                            if let Some((_, digit)) = chars.next() {
                                code.push(digit);
                            }
                        }
                        let decoded = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32);
                        match decoded {
                            Some(decoded) => value.push(decoded),
                            None => {
                                return Err(ParseError::new(
                                    format!("invalid escape `\\{escaped}{code}`: expected {width} hexadecimal digits"),
                                    Span::new(at, at + 2 + code.len()),
                                ))
                            }
                        }
                    }
                    other => {
                        return Err(ParseError::new(
                            format!("unknown escape sequence `\\{other}`"),
                            Span::new(at, at + 1 + other.len_utf8()),
                        ))
                    }
                }
            }
            _ => value.push(c),
        }
    }
    Err(ParseError::new("literal not terminated: expected a closing `\"`", Span::new(start, text.len())))
}

/// A heredoc from `start` (`<<EOF` or `<<-EOF`): its value and the offset after its closing
/// marker.
fn heredoc(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let after = text.get(start + 2..).unwrap_or("");
    let indented = after.starts_with('-');
    let marker_line = after.strip_prefix('-').unwrap_or(after);
    let marker_end = marker_line.find(['\n', '\r']).unwrap_or(marker_line.len());
    let marker = marker_line.get(..marker_end).unwrap_or("").trim_end();
    if marker.is_empty() || !marker.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(ParseError::new(
            "heredoc expected: `<<` followed by a marker word and a line break",
            Span::new(start, start + 2 + usize::from(indented) + marker_end),
        ));
    }
    let body_start = match text.get(start..).and_then(|rest| rest.find('\n')) {
        Some(newline) => start + newline + 1,
        None => {
            return Err(ParseError::new(
                "heredoc not terminated: no line after its marker",
                Span::new(start, text.len()),
            ))
        }
    };
    let mut lines: Vec<&str> = Vec::new();
    let mut offset = body_start;
    for line in text.get(body_start..).unwrap_or("").split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let closes = if indented { bare.trim_start() == marker } else { bare == marker };
        if closes {
            let end = offset + bare.len();
            let value = match indented {
                true => unindent(&lines, bare.get(..bare.len() - marker.len()).unwrap_or("")),
                false => lines.concat(),
            };
            return Ok((value, end));
        }
        lines.push(line);
        offset += line.len();
    }
    Err(ParseError::new(format!("heredoc not terminated: expected a line `{marker}`"), Span::new(start, text.len())))
}

/// hcl v1's `<<-` heredoc: every line loses the closing marker's indentation when all have it;
/// otherwise the lines are kept as they are.
fn unindent(lines: &[&str], prefix: &str) -> String {
    if lines.iter().all(|line| line.starts_with(prefix)) {
        lines.iter().map(|line| line.get(prefix.len()..).unwrap_or("")).collect()
    } else {
        lines.concat()
    }
}

// ---------------------------------------------------------------------------------------------
// Syntax

/// A value as hcl v1's parser gives it.
#[derive(Debug, Clone)]
enum Node {
    /// `{ … }` (and the file itself).
    Object(Vec<Item>, Span),
    /// The items of an object that share a first key, that key taken off (`ObjectList.Filter`).
    Items(Vec<Item>),
    /// One item as a list of its own (an element of [`Node::Items`]).
    Item(Item),
    List(Vec<Node>, Span),
    Literal(Value, Span),
}

#[derive(Debug, Clone)]
struct Item {
    keys: Vec<(String, Span)>,
    value: Box<Node>,
    span: Span,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    max_depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn end(&self) -> Span {
        self.tokens.last().map_or(Span::new(0, 0), |token| Span::new(token.span.end, token.span.end))
    }

    fn error(&self, expected: &str) -> ParseError {
        match self.peek() {
            Some(token) => ParseError::new(format!("expected {expected}, found {}", describe(&token.kind)), token.span),
            None => ParseError::new(format!("expected {expected}, found the end of the file"), self.end()),
        }
    }

    fn is_punct(&self, wanted: char) -> bool {
        matches!(self.peek(), Some(Token { kind: Kind::Punct(c), .. }) if *c == wanted)
    }

    /// The items of an object up to its `}` (or the end of the file at the root). Items may be
    /// separated by commas.
    fn items(&mut self, depth: usize, root: bool) -> Result<Vec<Item>, ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::new(
                format!("nested deeper than {} levels", self.max_depth),
                self.peek().map_or(self.end(), |token| token.span),
            ));
        }
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None if root => return Ok(items),
                None => return Err(self.error("`}`")),
                Some(Token { kind: Kind::Punct('}'), .. }) if !root => return Ok(items),
                Some(Token { kind: Kind::Punct(','), .. }) if !items.is_empty() => self.at += 1,
                Some(_) => items.push(self.item(depth)?),
            }
        }
    }

    fn item(&mut self, depth: usize) -> Result<Item, ParseError> {
        let mut keys: Vec<(String, Span)> = Vec::new();
        loop {
            let Some(token) = self.peek().cloned() else {
                return Err(self.error("a key, `=` or `{`"));
            };
            match token.kind {
                Kind::Ident(name) | Kind::String(name) => {
                    keys.push((name, token.span));
                    self.at += 1;
                }
                // hcl v1 reads `true`/`false` in key position as identifiers.
                Kind::Bool(value) => {
                    keys.push((value.to_string(), token.span));
                    self.at += 1;
                }
                Kind::Punct('=') if keys.len() == 1 => {
                    self.at += 1;
                    let value = self.value(depth)?;
                    let span = keys.first().map_or(token.span, |(_, key)| key.cover(span_of(&value)));
                    return Ok(Item { keys, value: Box::new(value), span });
                }
                Kind::Punct('=') if keys.len() > 1 => {
                    return Err(ParseError::new(
                        "nested object expected: `{` after several keys, found `=`",
                        token.span,
                    ))
                }
                Kind::Punct('{') if !keys.is_empty() => {
                    let value = self.object(depth)?;
                    let span = keys.first().map_or(token.span, |(_, key)| key.cover(span_of(&value)));
                    return Ok(Item { keys, value: Box::new(value), span });
                }
                _ => return Err(self.error("a key (a name or a string), `=` or `{`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, ParseError> {
        let open = self.peek().map_or(self.end(), |token| token.span);
        self.at += 1;
        let items = self.items(depth + 1, false)?;
        let close = self.peek().map_or(self.end(), |token| token.span);
        self.at += 1;
        Ok(Node::Object(items, open.cover(close)))
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("a value"));
        };
        let literal = match token.kind {
            Kind::String(text) | Kind::Heredoc(text) => Value::String(text),
            Kind::Number(number) => number,
            Kind::Bool(value) => Value::Bool(value),
            Kind::Punct('{') => return self.object(depth),
            Kind::Punct('[') => return self.list(depth),
            _ => return Err(self.error("a value (a string, number, boolean, heredoc, `{` or `[`)")),
        };
        self.at += 1;
        Ok(Node::Literal(literal, token.span))
    }

    fn list(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::new(
                format!("nested deeper than {} levels", self.max_depth),
                self.peek().map_or(self.end(), |token| token.span),
            ));
        }
        let open = self.peek().map_or(self.end(), |token| token.span);
        self.at += 1;
        let mut elements = Vec::new();
        loop {
            if self.is_punct(']') {
                let close = self.peek().map_or(self.end(), |token| token.span);
                self.at += 1;
                return Ok(Node::List(elements, open.cover(close)));
            }
            if !elements.is_empty() {
                if !self.is_punct(',') {
                    return Err(self.error("`,` or `]`"));
                }
                self.at += 1;
                if self.is_punct(']') {
                    continue;
                }
            }
            elements.push(self.value(depth + 1)?);
        }
    }
}

fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Ident(name) => format!("`{name}`"),
        Kind::String(_) => "a string".into(),
        Kind::Heredoc(_) => "a heredoc".into(),
        Kind::Number(_) => "a number".into(),
        Kind::Bool(value) => format!("`{value}`"),
        Kind::Punct(c) => format!("`{c}`"),
    }
}

fn span_of(node: &Node) -> Span {
    match node {
        Node::Object(_, span) | Node::List(_, span) | Node::Literal(_, span) => *span,
        Node::Item(item) => item.span,
        Node::Items(items) => match (items.first(), items.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => Span::new(0, 0),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding, as hcl v1 decodes into `interface{}`

/// What the value being decoded sits in: hcl v1 decodes an object inside a map as a list of
/// maps, and inside a list (or at the root) as a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent {
    Map,
    List,
}

/// Decodes the items of `node` into `map` (hcl v1's `decodeMap`).
fn decode_map(
    map: &mut Map<String, Value>,
    items: &[Item],
    pointer: &str,
    source_map: &mut SourceMap,
) -> Result<(), ParseError> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    for item in items {
        let Some((key, key_span)) = item.keys.first() else {
            return Err(ParseError::new("map must have string keys: a block needs a name", item.span));
        };
        if done.contains(key) {
            continue;
        }
        let value = match item.keys.len() > 1 {
            true => {
                done.insert(key.clone());
                Node::Items(filter(items, key))
            }
            false => (*item.value).clone(),
        };
        let member = pointer_push(pointer, key);
        let existing = map.remove(key);
        let decoded = decode(existing, &value, Parent::Map, &member, source_map)?;
        map.insert(key.clone(), decoded);
        // A block given again widens its member's span; a literal given again replaces it.
        let span = match (source_map.get(&member), map.get(key)) {
            (Some(before), Some(Value::Array(_))) if item.keys.len() == 1 => before.cover(span_of(&value)),
            _ => span_of(&value),
        };
        source_map.insert(member.clone(), span);
        if source_map.key(&member).is_none() {
            source_map.insert_key(member, *key_span);
        }
    }
    Ok(())
}

/// The items whose first key is `key` (without case), that key taken off.
fn filter(items: &[Item], key: &str) -> Vec<Item> {
    items
        .iter()
        .filter(|item| item.keys.first().is_some_and(|(first, _)| first.eq_ignore_ascii_case(key) || first == key))
        .map(|item| Item {
            keys: item.keys.get(1..).unwrap_or(&[]).to_vec(),
            value: item.value.clone(),
            span: item.span,
        })
        .collect()
}

/// Decodes `node` into a slot that holds `existing` (hcl v1's `decode`: an existing list is
/// appended to, an existing map merged into, anything else replaced).
fn decode(
    existing: Option<Value>,
    node: &Node,
    parent: Parent,
    pointer: &str,
    source_map: &mut SourceMap,
) -> Result<Value, ParseError> {
    match (existing, node) {
        (Some(Value::Array(mut list)), _) => {
            decode_list(&mut list, node, pointer, source_map)?;
            Ok(Value::Array(list))
        }
        (Some(Value::Object(mut map)), Node::Object(items, _) | Node::Items(items)) => {
            decode_map(&mut map, items, pointer, source_map)?;
            Ok(Value::Object(map))
        }
        (_, Node::Literal(value, span)) => {
            source_map.insert(pointer, *span);
            Ok(value.clone())
        }
        (_, Node::List(..)) => {
            let mut list = Vec::new();
            decode_list(&mut list, node, pointer, source_map)?;
            Ok(Value::Array(list))
        }
        (_, Node::Object(items, span)) if parent == Parent::List => {
            let mut map = Map::new();
            decode_map(&mut map, items, pointer, source_map)?;
            source_map.insert(pointer, *span);
            Ok(Value::Object(map))
        }
        (_, Node::Item(item)) if parent == Parent::List => {
            let mut map = Map::new();
            decode_map(&mut map, std::slice::from_ref(item), pointer, source_map)?;
            source_map.insert(pointer, item.span);
            Ok(Value::Object(map))
        }
        (_, Node::Object(..) | Node::Items(_) | Node::Item(_)) => {
            let mut list = Vec::new();
            decode_list(&mut list, node, pointer, source_map)?;
            Ok(Value::Array(list))
        }
    }
}

/// Appends what `node` holds to `list` (hcl v1's `decodeSlice`): each item of an item list,
/// an object as one element, a list's elements.
fn decode_list(
    list: &mut Vec<Value>,
    node: &Node,
    pointer: &str,
    source_map: &mut SourceMap,
) -> Result<(), ParseError> {
    let elements: Vec<Node> = match node {
        Node::Items(items) => items.iter().cloned().map(Node::Item).collect(),
        Node::List(elements, _) => elements.clone(),
        other => vec![other.clone()],
    };
    for element in &elements {
        let at = pointer_push(pointer, &list.len().to_string());
        let value = decode(None, element, Parent::List, &at, source_map)?;
        source_map.insert(at, span_of(element));
        list.push(value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        parse(text, 128).unwrap().value
    }

    #[test]
    fn blocks_are_lists_of_maps_keyed_by_their_labels() {
        let text = r#"
provider "google" {
  project = "instrumenta"
  region  = "europe-west2"
}

resource "google_container_cluster" "primary" {
  name = "my-gke-cluster"
  initial_node_count = 1
  master_auth {
    username = ""
  }
  master_auth {
    username = "second"
  }
  labels = {
    team = "infra"
  }
  oauth_scopes = ["a", "b",]
  nodes = [{ count = 2 }]
}

resource "google_container_node_pool" "pool" {
  node_count = 0x10
  ratio = 1.5
  preemptible = true
}
"#;
        assert_eq!(
            value(text),
            json!({
                "provider": [{"google": [{"project": "instrumenta", "region": "europe-west2"}]}],
                "resource": [
                    {"google_container_cluster": [{"primary": [{
                        "name": "my-gke-cluster",
                        "initial_node_count": 1,
                        "master_auth": [{"username": ""}, {"username": "second"}],
                        "labels": [{"team": "infra"}],
                        "oauth_scopes": ["a", "b"],
                        "nodes": [{"count": 2}]
                    }]}]},
                    {"google_container_node_pool": [{"pool": [{
                        "node_count": 16, "ratio": 1.5, "preemptible": true
                    }]}]}
                ]
            })
        );
    }

    #[test]
    fn strings_heredocs_and_repeated_literals() {
        let text = "a = \"x\\n${var.b[\"c\"]}\"\na = \"last\"\nh = <<EOF\none\n  two\nEOF\ni = <<-EOT\n    one\n      two\n    EOT\nn = -3\n// comment\n/* block */ m = 010\n";
        assert_eq!(value(text), json!({"a": "last", "h": "one\n  two\n", "i": "one\n  two\n", "n": -3, "m": 8}));
        assert_eq!(value("s = \"x\\n${var.b[\"c\"]}\""), json!({"s": "x\n${var.b[\"c\"]}"}));
        assert_eq!(value(""), json!({}));
    }

    #[test]
    fn errors_say_where_and_what_was_expected() {
        let error = parse("a = \n", 128).unwrap_err();
        assert!(error.message.contains("expected a value"), "{}", error.message);
        let error = parse("resource \"a\" \"b\" = 1\n", 128).unwrap_err();
        assert!(error.message.contains("nested object expected"), "{}", error.message);
        assert_eq!(error.span, Span::new(17, 18));
        let error = parse("a { b = 1\n", 128).unwrap_err();
        assert!(error.message.contains("expected `}`"), "{}", error.message);
        assert!(parse("a = \"open\n", 128).unwrap_err().message.contains("not terminated"));
        assert!(parse(&"a { ".repeat(200), 128).unwrap_err().message.contains("nested deeper"));
        assert!(parse("x = [1 2]", 128).unwrap_err().message.contains("`,` or `]`"));
    }

    #[test]
    fn the_source_map_points_at_blocks_and_values() {
        let text = "resource \"aws_s3_bucket\" \"logs\" {\n  acl = \"public-read\"\n}\n";
        let parsed = parse(text, 128).unwrap();
        let at = |pointer: &str| {
            let span = parsed.source_map.get(pointer).unwrap();
            text.get(span.start..span.end).unwrap().to_owned()
        };
        assert_eq!(at("/resource/0/aws_s3_bucket/0/logs/0/acl"), "\"public-read\"");
        assert!(at("/resource/0").starts_with("resource \"aws_s3_bucket\""), "{}", at("/resource/0"));
        assert!(at("/resource/0/aws_s3_bucket/0/logs/0").starts_with('{'));
        let key = parsed.source_map.key("/resource/0/aws_s3_bucket").unwrap();
        assert_eq!(text.get(key.start..key.end), Some("\"aws_s3_bucket\""));
    }
}
