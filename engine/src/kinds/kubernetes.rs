//! Kubernetes manifests. No path names them: YAML and JSON files are claimed by their content
//! (`apiVersion` and `kind`, or a kustomization's name). One resource per object — per YAML
//! document, per item of a `List` — with ids that stay put when lines move
//! (`k8s:Deployment/payments/api@deploy/base`). The edges between objects are the graph's
//! ([`crate::graph`]). Where each workload kind keeps its pods, and what applies to their
//! containers, is [`workload`]'s.

mod workload;

use serde_json::Value;

use super::{hash_unless_json, json_or, Claim, ConftestInput, Detection, DocumentKind, FilePath, KindSpec};
use super::{ResourceSlot, Resources};
use crate::document::{pointer_push, Document, Parsed, SourceMap};
use crate::parse::{self, Limits, ParseError};

pub(crate) use workload::pod_template;

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("Kubernetes"),
    detect,
    claim: Some(claim),
    parse,
    resources: Resources::Split(objects),
    conftest_input: ConftestInput::EachStreamDocument,
    comment_marker: hash_unless_json,
    highlight: |path| json_or(path, "yaml"),
    schema: include_str!("../../../schemas/kubernetes.schema.json"),
    resource_schema: "/items",
    images: Some(container_images),
    workload: Some(workload::facts_json),
};

/// Manifests are YAML or JSON files like any other; their content tells.
fn detect(_file: &FilePath) -> Option<Detection> {
    None
}

/// Read as YAML 1.1, as Kubernetes tools read manifests.
fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_stream(text, parse::yaml::ScalarRules::Yaml11, limits)
}

/// Whether a file name is a kustomization (which need not carry `apiVersion` and `kind`).
pub(crate) fn is_kustomization_file(path: &str) -> bool {
    matches!(path.rsplit('/').next(), Some("kustomization.yaml" | "kustomization.yml" | "Kustomization"))
}

fn is_object(value: &Value) -> bool {
    value.get("apiVersion").is_some_and(Value::is_string) && value.get("kind").is_some_and(Value::is_string)
}

/// YAML with an object in its stream, every kustomization, and a JSON object are manifests. A
/// JSON manifest becomes a one-document stream like YAML.
fn claim(path: &str, read_as: DocumentKind, parsed: Parsed) -> Claim {
    if read_as == DocumentKind::Yaml
        && (is_kustomization_file(path) || parsed.value.as_array().is_some_and(|docs| docs.iter().any(is_object)))
    {
        return Claim::Claimed(parsed);
    }
    if read_as == DocumentKind::Json && is_object(&parsed.value) {
        let mut source_map = SourceMap::new();
        source_map.extend_prefixed("/0", parsed.source_map.clone());
        if let Some(whole) = parsed.source_map.get("") {
            source_map.insert("", whole);
        }
        return Claim::Claimed(Parsed { value: Value::Array(vec![parsed.value]), source_map });
    }
    Claim::Declined(parsed)
}

/// One resource per object of the stream, and per item of a `List`; a kustomization is named by
/// its directory.
fn objects(document: &Document) -> Vec<ResourceSlot> {
    let path = document.path.as_str();
    let dir = path.rfind('/').and_then(|at| path.get(..at)).unwrap_or("");
    let kustomization = is_kustomization_file(path);
    let mut slots = Vec::new();
    for (index, object) in document.value.as_array().into_iter().flatten().enumerate() {
        let pointer = format!("/{index}");
        if object.get("kind").and_then(Value::as_str) == Some("List") {
            let items = object.get("items").and_then(Value::as_array).into_iter().flatten().enumerate();
            for (item, value) in items {
                let item_pointer = pointer_push(&pointer_push(&pointer, "items"), &item.to_string());
                slots.extend(object_slot(item_pointer, value, dir, path));
            }
        } else if kustomization {
            // A kustomization is named by its directory, whether or not it spells out its kind.
            let id = format!("k8s:Kustomization@{dir}");
            slots.push(ResourceSlot { pointer, id, resource_type: "Kustomization".to_owned(), name: None });
        } else {
            slots.extend(object_slot(pointer, object, dir, path));
        }
    }
    slots
}

pub(crate) fn object_slot(pointer: String, object: &Value, dir: &str, path: &str) -> Option<ResourceSlot> {
    let kind = object.get("kind").and_then(Value::as_str)?;
    let metadata = object.get("metadata");
    let name = metadata.and_then(|m| m.get("name").or_else(|| m.get("generateName"))).and_then(Value::as_str);
    let namespace = metadata.and_then(|m| m.get("namespace")).and_then(Value::as_str);
    let id = match (namespace, name) {
        (Some(namespace), Some(name)) => format!("k8s:{kind}/{namespace}/{name}@{dir}"),
        (None, Some(name)) => format!("k8s:{kind}/{name}@{dir}"),
        (_, None) => format!("k8s:{kind}@{path}{pointer}"),
    };
    Some(ResourceSlot { pointer, id, resource_type: kind.to_owned(), name: name.map(str::to_owned) })
}

/// Images of every container of an object, wherever its pod spec sits.
fn container_images(value: &Value) -> Vec<String> {
    let mut images = Vec::new();
    collect_images(value, 0, &mut images);
    images
}

fn collect_images(value: &Value, depth: usize, images: &mut Vec<String>) {
    if depth > 12 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if matches!(key.as_str(), "containers" | "initContainers" | "ephemeralContainers") {
                    for container in child.as_array().into_iter().flatten() {
                        images.extend(container.get("image").and_then(Value::as_str).map(str::to_owned));
                    }
                } else {
                    collect_images(child, depth + 1, images);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_images(item, depth + 1, images)),
        _ => {}
    }
}
