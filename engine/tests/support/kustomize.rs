//! Shared by the kustomize tests: rendering a directory of `testdata/` with ward and with
//! `kubectl kustomize`, and comparing the objects as canonical JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use ward_engine::Diagnostic;
use ward_engine::{render_kustomization as render_dir, DocumentSources, RenderedObject};

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Renders `dir` (relative to the repository root) with ward.
pub(crate) fn render(dir: &str) -> (Vec<RenderedObject>, Vec<Diagnostic>) {
    let root = repo_root();
    let sources = DocumentSources::new(&[], Some(&root), 8 * 1024 * 1024);
    render_dir(dir, &sources, &Default::default())
}

/// An object as canonical JSON: keys sorted at every level.
pub(crate) fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(members) => {
                let ordered: BTreeMap<&String, Value> = members.iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(value)).unwrap()
}

/// `Kind namespace/name` of an object, for messages.
pub(crate) fn describe(value: &Value) -> String {
    let kind = value["kind"].as_str().unwrap_or("?");
    let name = value["metadata"]["name"].as_str().unwrap_or("?");
    match value["metadata"]["namespace"].as_str() {
        Some(namespace) => format!("{kind} {namespace}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// The objects of a YAML stream (kubectl's output, or an expected output kept beside a case).
pub(crate) fn parse_stream(text: &str) -> Vec<Value> {
    let parsed = ward_engine::parse_yaml_stream(text, ward_engine::ScalarRules::Yaml11, &Default::default())
        .unwrap_or_else(|error| panic!("the stream does not parse: {}", error.message));
    parsed.value.as_array().cloned().unwrap_or_default().into_iter().filter(|v| !v.is_null()).collect()
}

/// The differences between two lists of objects, compared as multisets of canonical JSON; for
/// an object on both sides under the same kind, namespace and name, the two JSONs.
pub(crate) fn differences(ours: &[Value], theirs: &[Value]) -> Vec<String> {
    let mut left: Vec<String> = ours.iter().map(canonical).collect();
    let mut right: Vec<String> = theirs.iter().map(canonical).collect();
    left.sort();
    right.sort();
    let only_left: Vec<&String> = left.iter().filter(|o| !right.contains(o)).collect();
    let only_right: Vec<&String> = right.iter().filter(|o| !left.contains(o)).collect();
    let mut out = Vec::new();
    for object in &only_left {
        let value: Value = serde_json::from_str(object).unwrap();
        let id = describe(&value);
        let other = only_right.iter().find(|o| describe(&serde_json::from_str(o).unwrap()) == id);
        match other {
            Some(other) => out.push(format!("{id} differs:\n  ward:      {object}\n  reference: {other}")),
            None => out.push(format!("{id} is only in ward's output: {object}")),
        }
    }
    for object in &only_right {
        let value: Value = serde_json::from_str(object).unwrap();
        let id = describe(&value);
        if !only_left.iter().any(|o| describe(&serde_json::from_str(o).unwrap()) == id) {
            out.push(format!("{id} is only in the reference output: {object}"));
        }
    }
    if left.len() != right.len() && out.is_empty() {
        out.push(format!("ward renders {} objects, the reference {}", left.len(), right.len()));
    }
    out
}

/// Every directory under `dir` (relative to the repository root) that holds a kustomization,
/// relative to the repository root, sorted.
pub(crate) fn kustomization_dirs(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let root = repo_root();
    let mut stack = vec![root.join(dir)];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("kustomization.yaml" | "kustomization.yml" | "Kustomization")
            ) {
                let relative = current.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                out.push(relative);
            }
        }
    }
    out.sort();
    out
}

/// Whether the kustomization in `dir` is a component (rendered only as part of another).
pub(crate) fn is_component(dir: &str) -> bool {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"].iter().any(|name| {
        std::fs::read_to_string(repo_root().join(dir).join(name))
            .is_ok_and(|text| text.lines().any(|line| line.trim() == "kind: Component"))
    })
}
