//! Edges from Compose services (which [`crate::kinds`] splits out of their files) to the
//! Dockerfiles that build them (`build:`) and the env files they load (`env_file:`).

use serde_json::Value;

use super::{join_relative, parent_dir, GraphBuilder, Relation};
use crate::document::DocumentKind;

/// Where a service's Dockerfile is, from `build: ./dir` or `build: {context, dockerfile}`.
pub(crate) fn dockerfile_path(compose_path: &str, service: &Value) -> Option<String> {
    let build = service.get("build")?;
    let (context, dockerfile) = match build {
        Value::String(context) => (context.as_str(), "Dockerfile"),
        other => (
            other.get("context").and_then(Value::as_str).unwrap_or("."),
            other.get("dockerfile").and_then(Value::as_str).unwrap_or("Dockerfile"),
        ),
    };
    let context = join_relative(parent_dir(compose_path), context)?;
    join_relative(&context, dockerfile)
}

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    let mut edges = Vec::new();
    for service in builder.resources.iter().filter(|r| r.kind == DocumentKind::Compose) {
        let Some(compose_path) = builder.document(service.document).map(|d| d.path.as_str()) else { continue };
        if let Some(dockerfile) = dockerfile_path(compose_path, &service.value) {
            edges.extend(
                ids_of_document(builder, &dockerfile)
                    .into_iter()
                    .map(|to| (service.id.clone(), to, Relation::BuiltFrom)),
            );
        }
        let env_files: Vec<&str> = match service.value.get("env_file") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many
                .iter()
                .filter_map(|entry| entry.as_str().or_else(|| entry.get("path").and_then(Value::as_str)))
                .collect(),
            _ => Vec::new(),
        };
        for env_file in env_files {
            let Some(target) = join_relative(parent_dir(compose_path), env_file) else { continue };
            edges.extend(
                ids_of_document(builder, &target).into_iter().map(|to| (service.id.clone(), to, Relation::LoadsEnv)),
            );
        }
    }
    for (from, to, relation) in edges {
        builder.edge(&from, &to, relation);
    }
}

/// Ids of the resources of the document at `path`.
pub(crate) fn ids_of_document(builder: &GraphBuilder, path: &str) -> Vec<String> {
    builder
        .resources
        .iter()
        .filter(|r| builder.document(r.document).is_some_and(|d| d.path == path))
        .map(|r| r.id.clone())
        .collect()
}
