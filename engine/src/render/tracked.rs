//! A value that remembers where each of its parts was written: the tree renderers transform
//! (merge, patch, rename) so that every value of what they render still knows its file and span,
//! and [`Provenance`], the pointer → origin table a rendered resource carries out of it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::document::{pointer_push, SourceMap, Span};

/// Where a value was written: a file (relative to the scan root) and the value's span in it,
/// with the span of its key when it is a mapping member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: Arc<str>,
    pub span: Span,
    pub key: Option<Span>,
}

impl Origin {
    /// The member's whole extent: its key, when it has one, to the end of its value.
    pub fn entry(&self) -> Span {
        self.key.map_or(self.span, |key| key.cover(self.span))
    }
}

/// A value and the origin of each of its parts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub origin: Option<Origin>,
    pub tree: Tree,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree {
    Scalar(Value),
    Seq(Vec<Node>),
    /// Members in order (as kustomize keeps them).
    Map(Vec<(String, Node)>),
}

impl Node {
    pub(crate) fn scalar(value: Value, origin: Option<Origin>) -> Node {
        Node { origin, tree: Tree::Scalar(value) }
    }

    pub(crate) fn string(value: &str, origin: Option<Origin>) -> Node {
        Node::scalar(Value::String(value.to_owned()), origin)
    }

    pub(crate) fn empty_map(origin: Option<Origin>) -> Node {
        Node { origin, tree: Tree::Map(Vec::new()) }
    }

    /// The node of `value` (the value at `pointer` of a parsed file at `path`), every part with
    /// its span from `source_map`.
    pub(crate) fn from_parsed(value: &Value, source_map: &SourceMap, pointer: &str, path: &Arc<str>) -> Node {
        let origin =
            source_map.get(pointer).map(|span| Origin { path: Arc::clone(path), span, key: source_map.key(pointer) });
        let tree = match value {
            Value::Array(items) => Tree::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        Node::from_parsed(item, source_map, &pointer_push(pointer, &index.to_string()), path)
                    })
                    .collect(),
            ),
            Value::Object(members) => Tree::Map(
                members
                    .iter()
                    .map(|(key, member)| {
                        (key.clone(), Node::from_parsed(member, source_map, &pointer_push(pointer, key), path))
                    })
                    .collect(),
            ),
            scalar => Tree::Scalar(scalar.clone()),
        };
        Node { origin, tree }
    }

    pub(crate) fn to_value(&self) -> Value {
        match &self.tree {
            Tree::Scalar(value) => value.clone(),
            Tree::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Tree::Map(members) => Value::Object(
                members.iter().map(|(key, member)| (key.clone(), member.to_value())).collect::<Map<_, _>>(),
            ),
        }
    }

    /// Every origin, by JSON pointer under `pointer`.
    fn collect_origins(&self, pointer: &str, out: &mut BTreeMap<String, Origin>) {
        if let Some(origin) = &self.origin {
            out.insert(pointer.to_owned(), origin.clone());
        }
        match &self.tree {
            Tree::Scalar(_) => {}
            Tree::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    item.collect_origins(&pointer_push(pointer, &index.to_string()), out);
                }
            }
            Tree::Map(members) => {
                for (key, member) in members {
                    member.collect_origins(&pointer_push(pointer, key), out);
                }
            }
        }
    }

    pub(crate) fn provenance(&self) -> Provenance {
        let mut origins = BTreeMap::new();
        self.collect_origins("", &mut origins);
        Provenance { origins }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.tree {
            Tree::Scalar(Value::String(text)) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.tree, Tree::Scalar(Value::Null))
    }

    pub(crate) fn members(&self) -> Option<&Vec<(String, Node)>> {
        match &self.tree {
            Tree::Map(members) => Some(members),
            _ => None,
        }
    }

    pub(crate) fn members_mut(&mut self) -> Option<&mut Vec<(String, Node)>> {
        match &mut self.tree {
            Tree::Map(members) => Some(members),
            _ => None,
        }
    }

    pub(crate) fn items(&self) -> Option<&Vec<Node>> {
        match &self.tree {
            Tree::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn items_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.tree {
            Tree::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.members()?.iter().find(|(name, _)| name == key).map(|(_, node)| node)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.members_mut()?.iter_mut().find(|(name, _)| name == key).map(|(_, node)| node)
    }

    /// The node at a path of keys.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The string at a path of keys.
    pub(crate) fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).and_then(Node::as_str)
    }

    /// Sets member `key` (in place when it exists, else appended, as kustomize does). Does
    /// nothing on a node that is not a mapping.
    pub(crate) fn set(&mut self, key: &str, node: Node) {
        let Some(members) = self.members_mut() else { return };
        match members.iter_mut().find(|(name, _)| name == key) {
            Some((_, existing)) => *existing = node,
            None => members.push((key.to_owned(), node)),
        }
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Node> {
        let members = self.members_mut()?;
        let at = members.iter().position(|(name, _)| name == key)?;
        Some(members.remove(at).1)
    }

    /// Member `key`, made an empty mapping (with `origin`) when absent or null.
    pub(crate) fn entry_map(&mut self, key: &str, origin: Option<&Origin>) -> Option<&mut Node> {
        let missing = self.get(key).is_none_or(Node::is_null);
        if missing {
            self.set(key, Node::empty_map(origin.cloned()));
        }
        self.get_mut(key)
    }
}

/// Where each value of a rendered resource was written, by JSON pointer into its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    origins: BTreeMap<String, Origin>,
}

impl Provenance {
    /// The origin of `pointer`, or of its nearest ancestor that has one, with the pointer that
    /// matched.
    pub fn lookup<'a>(&'a self, pointer: &'a str) -> Option<(&'a str, &'a Origin)> {
        let mut candidate = pointer;
        loop {
            if let Some((key, origin)) = self.origins.get_key_value(candidate) {
                return Some((key.as_str(), origin));
            }
            if candidate.is_empty() {
                return None;
            }
            candidate = candidate.rfind('/').and_then(|at| candidate.get(..at)).unwrap_or("");
        }
    }

    /// The origin recorded for exactly `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&Origin> {
        self.origins.get(pointer)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.origins.iter().map(|(pointer, origin)| (pointer.as_str(), origin))
    }

    pub fn len(&self) -> usize {
        self.origins.len()
    }

    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}
