//! Paths into what a rule sees — `input.object.spec…` in Rego, `object.spec…` in CEL, `meta`,
//! `params`, the graph — read from the text before the cursor, and what is known about them:
//! the members and the type and description of each, from the JSON Schemas in `schemas/` of
//! the rule's kinds (embedded in the binary), or from the pack's default params.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use ward_engine::{kind_spec, DocumentKind};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    /// `[i]`, `[_]`, `[0]`: any element.
    Index,
}

/// A path as written before the cursor: its complete segments, and the identifier being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenPath {
    pub segments: Vec<Segment>,
    /// What follows the last `.` (empty right after it).
    pub partial: String,
    /// Whether the path ends in a `.` or an identifier after one (a member is being named).
    pub dotted: bool,
}

/// Reads the path that ends at the end of `before` (the line up to the cursor).
///
/// ```
/// use ward_lsp::paths::{written_path, Segment};
/// let path = written_path("  some c in input.object.spec.containers[i].secu").unwrap();
/// assert_eq!(path.segments[4], Segment::Index);
/// assert_eq!(path.partial, "secu");
/// ```
pub fn written_path(before: &str) -> Option<WrittenPath> {
    let bytes: Vec<char> = before.chars().collect();
    let mut start = bytes.len();
    while start > 0 {
        let c = bytes.get(start - 1).copied().unwrap_or(' ');
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            start -= 1;
        } else if c == ']' {
            let mut depth = 0usize;
            let mut at = start;
            while at > 0 {
                at -= 1;
                match bytes.get(at) {
                    Some(']') => depth += 1,
                    Some('[') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if depth != 0 {
                break;
            }
            start = at;
        } else {
            break;
        }
    }
    let text: String = bytes.get(start..)?.iter().collect();
    let text = text.trim_start_matches('.');
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit() || c == '[') {
        return None;
    }
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => segments.push(Segment::Key(std::mem::take(&mut current))),
            '[' => {
                if !current.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut current)));
                }
                let mut inside = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inside.push(c);
                }
                let quoted = inside.trim().trim_matches(|c| c == '"' || c == '\'');
                segments.push(if inside.trim().starts_with(['"', '\'']) {
                    Segment::Key(quoted.to_owned())
                } else {
                    Segment::Index
                });
                // `a[i].b`: the `.` after `]` separates nothing further.
                if chars.peek() == Some(&'.') {
                    chars.next();
                    if chars.peek().is_none() {
                        return Some(WrittenPath { segments, partial: String::new(), dotted: true });
                    }
                }
            }
            c => current.push(c),
        }
    }
    let dotted = text.contains('.') || text.contains('[');
    Some(WrittenPath { segments, partial: current, dotted })
}

/// What a path starts from.
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    /// Rego's `input`: `object`, `meta`, `params`.
    Input,
    /// The resource's value, for rules of these kinds (every kind when empty).
    Object(Vec<DocumentKind>),
    Meta,
    Params,
    Graph,
}

/// Where a Rego path starts, and the segments below that root.
pub fn rego_root(segments: &[Segment], kinds: &[DocumentKind]) -> Option<(Root, usize)> {
    let key = |index: usize| match segments.get(index) {
        Some(Segment::Key(key)) => Some(key.as_str()),
        _ => None,
    };
    match (key(0)?, key(1), key(2)) {
        ("input", Some("object"), _) => Some((Root::Object(kinds.to_vec()), 2)),
        ("input", Some("meta"), _) => Some((Root::Meta, 2)),
        ("input", Some("params"), _) => Some((Root::Params, 2)),
        ("input", _, _) => Some((Root::Input, 1)),
        ("data", Some("ward"), Some("graph")) => Some((Root::Graph, 3)),
        _ => None,
    }
}

/// Where a CEL path starts, and the segments below that root.
pub fn cel_root(segments: &[Segment], kinds: &[DocumentKind]) -> Option<(Root, usize)> {
    match segments.first()? {
        Segment::Key(key) if key == "object" => Some((Root::Object(kinds.to_vec()), 1)),
        Segment::Key(key) if key == "meta" => Some((Root::Meta, 1)),
        Segment::Key(key) if key == "params" => Some((Root::Params, 1)),
        Segment::Key(key) if key == "graph" => Some((Root::Graph, 1)),
        _ => None,
    }
}

/// A member of a value, as completion offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    /// `string`, `object`, `array | null`…; empty when unknown.
    pub type_name: String,
    pub description: String,
}

/// What is known at a path below a root: its members, type and description.
pub struct Known<'a> {
    /// The schemas (each with the document it belongs to, for `$ref`s) the path leads to.
    nodes: Vec<(&'a Value, &'a Value)>,
}

impl Known<'_> {
    /// The members, by name, merged across kinds.
    pub fn members(&self) -> Vec<Member> {
        let mut members: Vec<Member> = Vec::new();
        for (root, node) in &self.nodes {
            for (name, schema) in properties(root, node) {
                if members.iter().any(|m| m.name == name) {
                    continue;
                }
                let (type_name, description) = describe(root, schema);
                members.push(Member { name, type_name, description });
            }
        }
        members.sort_by(|a, b| a.name.cmp(&b.name));
        members
    }

    /// Type and description of the value itself, from the first schema that says.
    pub fn describe(&self) -> Option<(String, String)> {
        self.nodes
            .iter()
            .map(|(root, node)| describe(root, node))
            .find(|(type_name, description)| !type_name.is_empty() || !description.is_empty())
    }
}

/// What the schemas say is at `segments` below `root`. `params` are the pack's default params.
pub fn known<'a>(root: &Root, segments: &[Segment], params: &'a Value) -> Known<'a> {
    let starts: Vec<(&Value, &Value)> = match root {
        Root::Input => vec![(input_schema(), input_schema())],
        Root::Meta => vec![(meta_schema(), meta_schema())],
        Root::Graph => schema_of("graph").map(|graph| vec![(graph, graph)]).unwrap_or_default(),
        Root::Params => vec![(params, params)],
        Root::Object(kinds) => {
            let kinds: Vec<DocumentKind> = if kinds.is_empty() { DocumentKind::ALL.to_vec() } else { kinds.clone() };
            kinds.into_iter().filter_map(object_schema).collect()
        }
    };
    let mut nodes = starts;
    for segment in segments {
        nodes = nodes.into_iter().flat_map(|(root, node)| step(root, node, segment)).collect();
    }
    Known { nodes }
}

/// The members found at `segments` in real values (a pack's fixtures), for what the schemas
/// leave open (a Kubernetes object's `spec`): each key with the type of its first value.
///
/// ```
/// use ward_lsp::paths::{observed, Segment};
/// let values = [serde_json::json!({"spec": {"containers": [{"name": "a", "image": "x"}]}})];
/// let members = observed(&values, &[Segment::Key("spec".into()), Segment::Key("containers".into()), Segment::Index]);
/// assert_eq!(members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["image", "name"]);
/// ```
pub fn observed(values: &[Value], segments: &[Segment]) -> Vec<Member> {
    let mut current: Vec<&Value> = values.iter().collect();
    for segment in segments {
        current = current
            .into_iter()
            .flat_map(|value| match (segment, value) {
                (Segment::Key(key), _) => value.get(key).into_iter().collect::<Vec<_>>(),
                (Segment::Index, Value::Array(items)) => items.iter().collect(),
                (Segment::Index, Value::Object(members)) => members.values().collect(),
                _ => Vec::new(),
            })
            .collect();
    }
    let mut members: Vec<Member> = Vec::new();
    for (name, value) in current.iter().filter_map(|value| value.as_object()).flatten() {
        if !members.iter().any(|member| &member.name == name) {
            let (type_name, _) = describe(&Value::Null, value);
            let description = "seen in the pack's test fixtures".to_owned();
            members.push(Member { name: name.clone(), type_name, description });
        }
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    members
}

/// The schema of a value of `kind` as a rule sees it (a resource, not the whole document).
fn object_schema(kind: DocumentKind) -> Option<(&'static Value, &'static Value)> {
    let root = schema_of(kind.name())?;
    Some((root, root.pointer(kind_spec(kind).resource_schema)?))
}

/// The embedded schemas, by name (`kubernetes`, `graph`): each kind's, from the registry, and
/// the graph's.
fn schema_of(name: &str) -> Option<&'static Value> {
    static SCHEMAS: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(|| {
        let by_kind = DocumentKind::ALL.into_iter().map(|kind| (kind.name(), kind_spec(kind).schema));
        let texts = by_kind.chain([("graph", include_str!("../../schemas/graph.schema.json"))]);
        texts.into_iter().filter_map(|(name, text)| Some((name, serde_json::from_str(text).ok()?))).collect()
    });
    schemas.iter().find(|(known, _)| *known == name).map(|(_, schema)| schema)
}

fn input_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        json!({"type": "object", "properties": {
            "object": {"type": "object", "description": "The resource's normalised value; its shape is its kind's schema."},
            "meta": {"type": "object", "description": "About the resource: id, kind, type, name, path, line, environment, labels; a Kubernetes workload's `workload`."},
            "params": {"type": "object", "description": "The pack's default params (`data/`), under `ward.toml`'s `[params.<pack>]` and `[rules.<ID>.params]`."}
        }})
    })
}

fn meta_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        json!({"type": "object", "properties": {
            "id": {"type": "string", "description": "The resource's stable id, e.g. `k8s:Deployment/payments/api@deploy/base`."},
            "kind": {"type": "string", "description": "The resource's kind: terraform, dockerfile, kubernetes, compose, github-workflow, dotenv, yaml, json, feature-flags, migration, code."},
            "type": {"type": "string", "description": "What it is within its kind: Deployment, aws_s3_bucket, service, dockerfile…"},
            "name": {"type": ["string", "null"], "description": "Its name, where it has one (metadata.name, the block or service name)."},
            "path": {"type": "string", "description": "The file it is in, relative to the scan root."},
            "line": {"type": "integer", "description": "The line it starts on."},
            "environment": {"type": ["string", "null"], "description": "Its environment (production, staging…), inferred from paths or set in ward.toml."},
            "labels": {"type": "array", "description": "Facts found while building the graph, e.g. `patch` for a kustomize patch."},
            "workload": {"type": "object", "description": "For a Kubernetes workload of any kind: where its pod template and pod spec are, and every container with the securityContext settings that apply to it (`schemas/graph.schema.json`, `$defs/workload`).", "properties": {
                "template": {"type": "array", "description": "Path of the pod template (its `metadata` and `spec`)."},
                "pod_spec": {"type": "array", "description": "Path of the pod spec."},
                "runs_to_completion": {"type": "boolean", "description": "Job, CronJob, KEDA ScaledJob."},
                "containers": {"type": "array", "description": "Every container, init and ephemeral container: name, group, index, path, sidecar, security."}
            }}
        }})
    })
}

/// The schemas a node stands for: itself, what its `$ref` names, and the branches of
/// `allOf`/`anyOf`/`oneOf` and `then`, followed a few levels deep.
fn expand<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    fn walk<'a>(root: &'a Value, node: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
        if depth > 8 {
            return;
        }
        out.push(node);
        if let Some(target) = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            if let Some(target) = root.pointer(target) {
                walk(root, target, depth + 1, out);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in node.get(key).and_then(Value::as_array).into_iter().flatten() {
                walk(root, branch, depth + 1, out);
            }
        }
        if let Some(then) = node.get("then") {
            walk(root, then, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(root, node, 0, &mut out);
    out
}

/// The named members of a node: schema `properties`, or the keys of a plain value (params).
fn properties<'a>(root: &'a Value, node: &'a Value) -> Vec<(String, &'a Value)> {
    if !is_schema(root) {
        return node
            .as_object()
            .map(|members| members.iter().map(|(k, v)| (k.clone(), v)).collect())
            .unwrap_or_default();
    }
    expand(root, node)
        .into_iter()
        .filter_map(|schema| schema.get("properties").and_then(Value::as_object))
        .flat_map(Map::iter)
        .map(|(name, schema)| (name.clone(), schema))
        .collect()
}

/// Whether a start is a JSON Schema (rather than a plain value, such as params).
fn is_schema(root: &Value) -> bool {
    root.get("$schema").is_some() || root.get("properties").is_some() || root.get("type").is_some()
}

/// The nodes one segment below `node`.
fn step<'a>(root: &'a Value, node: &'a Value, segment: &Segment) -> Vec<(&'a Value, &'a Value)> {
    if !is_schema(root) {
        let next = match segment {
            Segment::Key(key) => node.get(key),
            Segment::Index => node.as_array().and_then(|items| items.first()),
        };
        return next.map(|next| vec![(root, next)]).unwrap_or_default();
    }
    let mut out = Vec::new();
    for schema in expand(root, node) {
        match segment {
            Segment::Key(key) => {
                if let Some(member) = schema.get("properties").and_then(|p| p.get(key)) {
                    out.push((root, member));
                } else if let Some(other) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    out.push((root, other));
                }
            }
            Segment::Index => {
                if let Some(items) = schema.get("items").filter(|v| v.is_object()) {
                    out.push((root, items));
                } else if let Some(other) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    // `a[k]` on a map.
                    out.push((root, other));
                }
            }
        }
    }
    out
}

/// A node's type (`string`, `array | null`) and description.
fn describe(root: &Value, node: &Value) -> (String, String) {
    if !is_schema(root) {
        let type_name = match node {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        return (type_name.to_owned(), format!("default: `{node}`"));
    }
    let mut type_name = String::new();
    let mut description = String::new();
    for schema in expand(root, node) {
        if type_name.is_empty() {
            type_name = match schema.get("type") {
                Some(Value::String(name)) => name.clone(),
                Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
                _ => String::new(),
            };
        }
        if description.is_empty() {
            description = schema.get("description").and_then(Value::as_str).unwrap_or("").to_owned();
        }
    }
    (type_name, description)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn names(root: &Root, before: &str, from: usize) -> Vec<String> {
        let path = written_path(before).unwrap();
        let segments = path.segments.get(from..).unwrap_or_default();
        known(root, segments, &Value::Null).members().into_iter().map(|m| m.name).collect()
    }

    #[test]
    fn members_come_from_the_schemas_of_the_rule_kinds() {
        // (kinds, text before the cursor, where the object's segments start, a member expected)
        let cases: &[(&[DocumentKind], &str, usize, &str)] = &[
            (&[DocumentKind::Dockerfile], "input.object.", 2, "stages"),
            (&[DocumentKind::Dockerfile], "some s in input.object.stages[_].from.", 2, "registry"),
            (&[DocumentKind::Dockerfile], "input.object.stages[0].instructions[i].", 2, "flags"),
            (&[DocumentKind::Kubernetes], "input.object.metadata.", 2, "namespace"),
            (&[DocumentKind::Terraform], "input.object.", 2, "config"),
            (&[DocumentKind::Dotenv], "object.entries[0].", 1, "quote"),
            (&[DocumentKind::Kubernetes, DocumentKind::Dotenv], "object.", 1, "entries"),
        ];
        for (kinds, before, from, expected) in cases {
            let got = names(&Root::Object(kinds.to_vec()), before, *from);
            assert!(got.iter().any(|name| name == expected), "{before}: {got:?}");
        }
        assert!(names(&Root::Meta, "input.meta.", 2).contains(&"environment".to_owned()));
        assert!(names(&Root::Graph, "data.ward.graph.resources[_].", 3).contains(&"pointer".to_owned()));
    }

    #[test]
    fn roots_in_both_languages() {
        let path = |text: &str| written_path(text).unwrap().segments;
        assert_eq!(rego_root(&path("input.object.spec."), &[]), Some((Root::Object(vec![]), 2)));
        assert_eq!(rego_root(&path("input."), &[]), Some((Root::Input, 1)));
        assert_eq!(rego_root(&path("data.ward.graph.edges"), &[]).map(|r| r.1), Some(3));
        assert_eq!(cel_root(&path("meta.na"), &[]), Some((Root::Meta, 1)));
        assert_eq!(cel_root(&path("element.x"), &[]), None);
        assert_eq!(written_path("x := 3"), None);
        assert_eq!(
            written_path("a[\"x-y\"].").unwrap().segments,
            [Segment::Key("a".into()), Segment::Key("x-y".into())]
        );
    }

    #[test]
    fn types_and_descriptions() {
        let known =
            known(&Root::Object(vec![DocumentKind::Dockerfile]), &[Segment::Key("stages".into())], &Value::Null);
        let (type_name, description) = known.describe().unwrap();
        assert_eq!(type_name, "array");
        assert!(description.starts_with("Build stages"), "{description}");
        let params = json!({"registries": ["ghcr.io"]});
        let members = super::known(&Root::Params, &[], &params).members();
        assert_eq!(members[0].name, "registries");
    }
}
