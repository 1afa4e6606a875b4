//! Docker Compose files (`compose.yaml`, `docker-compose.prod.yml`): read as YAML 1.2, one
//! resource per service (`compose:service/<name>@<path>`).

use serde_json::Value;

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, ResourceSlot, Resources};
use crate::document::{pointer_push, Document, Parsed};
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("Compose"),
    detect,
    claim: None,
    parse,
    resources: Resources::Split(services),
    conftest_input: ConftestInput::EachStreamDocument,
    comment_marker: |_| Some("#"),
    highlight: |_| "yaml",
    schema: include_str!("../../../schemas/compose.schema.json"),
    resource_schema: "/items/properties/services/additionalProperties",
    // A service with `build:` already names its Dockerfile: the graph makes that edge itself.
    images: Some(|service| match service.get("build") {
        Some(_) => Vec::new(),
        None => service.get("image").and_then(Value::as_str).map(str::to_owned).into_iter().collect(),
    }),
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    let compose = file.is_yaml() && (file.name.starts_with("docker-compose") || file.name.starts_with("compose"));
    compose.then(|| Detection::of(DocumentKind::Compose, DetectedBy::Name))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_stream(text, parse::yaml::ScalarRules::Yaml12, limits)
}

/// One resource per service of the file's first document.
fn services(document: &Document) -> Vec<ResourceSlot> {
    let names = document.value.pointer("/0/services").and_then(Value::as_object).map(|s| s.keys());
    names
        .into_iter()
        .flatten()
        .map(|name| ResourceSlot {
            pointer: pointer_push("/0/services", name),
            id: format!("compose:service/{name}@{}", document.path),
            resource_type: "service".to_owned(),
            name: Some(name.clone()),
        })
        .collect()
}
