//! The values templates see: Go's `interface{}` values as Helm hands them to templates (`nil`,
//! bool, `int64`, `float64` — every number of a values file is a `float64`, as Helm's YAML to
//! JSON reading makes it —, string, `[]interface{}`, `map[string]interface{}`), plus the two
//! objects with methods charts call (`.Files` and `.Capabilities.APIVersions`). Each value may
//! carry the [`Origin`] it was written at; a string also carries the [`Traced`] runs of text it
//! was assembled from. Lists are shared and immutable (`Arc`); maps are shared and mutable
//! ([`MapRef`]), as Go's maps are references: `{{ $_ := set $d "k" 1 }}` changes `$d` everywhere
//! it is seen. A map is only ever locked for one read or one write, never two at once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value as Json;

use super::output::Traced;
use crate::render::tracked::{Node, Origin, Tree};

/// A value templates see, with where it was written when known.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub(crate) kind: Kind,
    pub(crate) origin: Option<Origin>,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<Traced>),
    List(Arc<Vec<Value>>),
    Map(MapRef),
    /// A chart's files, by chart-relative path (`.Files`, and what `.Files.Glob` returns).
    Files(Arc<BTreeMap<String, String>>),
    /// `.Capabilities.APIVersions`: `Has "apps/v1"`.
    ApiVersions(Arc<Vec<String>>),
}

impl Value {
    pub(crate) fn new(kind: Kind) -> Value {
        Value { kind, origin: None }
    }

    pub(crate) fn nil() -> Value {
        Value::new(Kind::Nil)
    }

    pub(crate) fn bool(value: bool) -> Value {
        Value::new(Kind::Bool(value))
    }

    pub(crate) fn int(value: i64) -> Value {
        Value::new(Kind::Int(value))
    }

    pub(crate) fn float(value: f64) -> Value {
        Value::new(Kind::Float(value))
    }

    pub(crate) fn string(value: impl Into<String>) -> Value {
        Value::new(Kind::Str(Arc::new(Traced::plain(value))))
    }

    /// A string assembled from traced runs.
    pub(crate) fn traced(text: Traced) -> Value {
        Value::new(Kind::Str(Arc::new(text)))
    }

    pub(crate) fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(Arc::new(items)))
    }

    pub(crate) fn map(members: BTreeMap<String, Value>) -> Value {
        Value::new(Kind::Map(MapRef::new(members)))
    }

    /// A files object from (chart-relative path, text) pairs.
    pub(crate) fn files(files: BTreeMap<String, String>) -> Value {
        Value::new(Kind::Files(Arc::new(files)))
    }

    /// Capabilities' API versions (`apps/v1`, `networking.k8s.io/v1/Ingress`).
    pub(crate) fn api_versions(versions: Vec<String>) -> Value {
        Value::new(Kind::ApiVersions(Arc::new(versions)))
    }

    pub(crate) fn with_origin(mut self, origin: Option<Origin>) -> Value {
        self.origin = origin;
        self
    }

    /// From a tracked tree (a values file read with its source map), keeping every part's
    /// origin. Numbers become `float64`, as Helm reads values files.
    pub(crate) fn from_tracked(node: &Node) -> Value {
        let kind = match &node.tree {
            Tree::Scalar(json) => return Value::from_json(json).with_origin(node.origin.clone()),
            Tree::Seq(items) => Kind::List(Arc::new(items.iter().map(Value::from_tracked).collect())),
            Tree::Map(members) => Kind::Map(MapRef::new(
                members.iter().map(|(key, member)| (key.clone(), Value::from_tracked(member))).collect(),
            )),
        };
        Value { kind, origin: node.origin.clone() }
    }

    /// From plain JSON, every number a `float64` (Helm's reading of YAML and JSON).
    pub(crate) fn from_json(json: &Json) -> Value {
        match json {
            Json::Null => Value::nil(),
            Json::Bool(value) => Value::bool(*value),
            Json::Number(number) => Value::float(number.as_f64().unwrap_or(0.0)),
            Json::String(text) => Value::string(text.as_str()),
            Json::Array(items) => Value::list(items.iter().map(Value::from_json).collect()),
            Json::Object(members) => {
                Value::map(members.iter().map(|(key, member)| (key.clone(), Value::from_json(member))).collect())
            }
        }
    }

    /// The shared map itself.
    pub(crate) fn as_map_ref(&self) -> Option<&MapRef> {
        match &self.kind {
            Kind::Map(members) => Some(members),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(text) => Some(&text.text),
            _ => None,
        }
    }

    pub(crate) fn is_nil(&self) -> bool {
        matches!(self.kind, Kind::Nil)
    }

    /// The member `key` of a map.
    #[cfg(test)]
    pub(crate) fn get(&self, key: &str) -> Option<Value> {
        self.as_map_ref()?.get(key)
    }

    /// A copy that shares nothing mutable with this value (Sprig's `deepCopy`).
    pub(crate) fn deep_copy(&self) -> Value {
        let mut budget = MAX_NODES;
        self.deep_copy_bounded(0, &mut budget)
    }

    fn deep_copy_bounded(&self, depth: usize, budget: &mut usize) -> Value {
        *budget = budget.saturating_sub(1);
        let kind = match &self.kind {
            Kind::Map(members) if depth < MAX_DEPTH && *budget > 0 => Kind::Map(MapRef::new(
                members
                    .snapshot()
                    .iter()
                    .map(|(key, member)| (key.clone(), member.deep_copy_bounded(depth + 1, budget)))
                    .collect(),
            )),
            Kind::List(items) if depth < MAX_DEPTH && *budget > 0 => {
                Kind::List(Arc::new(items.iter().map(|item| item.deep_copy_bounded(depth + 1, budget)).collect()))
            }
            Kind::Map(_) | Kind::List(_) => Kind::Nil,
            other => other.clone(),
        };
        Value { kind, origin: self.origin.clone() }
    }

    /// The string's text with its runs; a string with an origin and no runs is one run from it.
    pub(crate) fn traced_text(&self) -> Option<Traced> {
        match &self.kind {
            Kind::Str(text) if text.segments.is_empty() && self.origin.is_some() => {
                Some(Traced::from_origin(text.text.as_str(), self.origin.as_ref()))
            }
            Kind::Str(text) => Some((**text).clone()),
            _ => None,
        }
    }

    /// Where the value came from: its own origin, or its text's first run's.
    pub(crate) fn first_origin(&self) -> Option<&Origin> {
        self.origin.as_ref().or_else(|| match &self.kind {
            Kind::Str(text) => text.first_origin(),
            _ => None,
        })
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub(crate) fn truthy(&self) -> bool {
        match &self.kind {
            Kind::Nil => false,
            Kind::Bool(value) => *value,
            Kind::Int(value) => *value != 0,
            Kind::Float(value) => *value != 0.0,
            Kind::Str(text) => !text.text.is_empty(),
            Kind::List(items) => !items.is_empty(),
            Kind::Map(members) => !members.is_empty(),
            Kind::Files(files) => !files.is_empty(),
            Kind::ApiVersions(_) => true,
        }
    }

    /// The Go type name errors and `typeOf` print.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "<nil>",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "[]interface {}",
            Kind::Map(_) => "map[string]interface {}",
            Kind::Files(_) => "chart.Files",
            Kind::ApiVersions(_) => "chartutil.VersionSet",
        }
    }

    /// The Go kind name `kindOf` prints.
    pub(crate) fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "invalid",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) | Kind::ApiVersions(_) => "slice",
            Kind::Map(_) | Kind::Files(_) => "map",
        }
    }
}

/// How deeply nested values are walked (maps can be made to contain themselves with `set`).
pub(crate) const MAX_DEPTH: usize = 200;

/// How many nodes one copy or comparison visits (a map that contains itself twice is a tree
/// of 2^depth nodes).
pub(crate) const MAX_NODES: usize = 100_000;

/// How long a text one conversion (`%v`, `toYaml`, `toJson`) may write.
pub(crate) const MAX_TEXT: usize = 16 << 20;

/// A shared, mutable `map[string]interface{}`.
#[derive(Debug, Clone, Default)]
pub(crate) struct MapRef(Arc<Mutex<BTreeMap<String, Value>>>);

impl MapRef {
    pub(crate) fn new(members: BTreeMap<String, Value>) -> MapRef {
        MapRef(Arc::new(Mutex::new(members)))
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Value>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The members now.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, Value> {
        self.lock().clone()
    }

    pub(crate) fn get(&self, key: &str) -> Option<Value> {
        self.lock().get(key).cloned()
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.lock().contains_key(key)
    }

    pub(crate) fn insert(&self, key: String, value: Value) {
        self.lock().insert(key, value);
    }

    pub(crate) fn remove(&self, key: &str) -> Option<Value> {
        self.lock().remove(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// Whether both are the same map.
    pub(crate) fn same(&self, other: &MapRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for Value {
    /// Equal data (origins aside), as Go's `reflect.DeepEqual` compares: an int is not a float.
    fn eq(&self, other: &Value) -> bool {
        let mut budget = MAX_NODES;
        deep_equal(self, other, 0, &mut budget)
    }
}

fn deep_equal(a: &Value, b: &Value, depth: usize, budget: &mut usize) -> bool {
    *budget = budget.saturating_sub(1);
    if depth > MAX_DEPTH || *budget == 0 {
        return false;
    }
    match (&a.kind, &b.kind) {
        (Kind::Nil, Kind::Nil) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Int(x), Kind::Int(y)) => x == y,
        (Kind::Float(x), Kind::Float(y)) => x == y,
        (Kind::Str(x), Kind::Str(y)) => x.text == y.text,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(x, y)| deep_equal(x, y, depth + 1, budget))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if x.same(y) {
                return true;
            }
            let (x, y) = (x.snapshot(), y.snapshot());
            x.len() == y.len()
                && x.iter().zip(y.iter()).all(|((kx, vx), (ky, vy))| kx == ky && deep_equal(vx, vy, depth + 1, budget))
        }
        (Kind::Files(x), Kind::Files(y)) => x == y,
        (Kind::ApiVersions(x), Kind::ApiVersions(y)) => x == y,
        _ => false,
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::string(text)
    }
}
