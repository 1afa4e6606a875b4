//! Images ↔ the Dockerfiles that build them. A Compose service with both `image:` and `build:`
//! says so outright; otherwise an image whose repository name matches a Dockerfile's directory
//! (`ghcr.io/acme/shop-api` ↔ `services/api/Dockerfile`) is taken to be built by it.

use serde_json::Value;

use super::{compose, parent_dir, GraphBuilder, Relation};
use crate::document::DocumentKind;
use crate::kinds;

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    let dockerfiles: Vec<(String, String)> = builder
        .resources
        .iter()
        .filter(|r| r.kind == DocumentKind::Dockerfile)
        .filter_map(|r| Some((r.id.clone(), builder.document(r.document)?.path.clone())))
        .collect();
    // Explicit: image name -> Dockerfile path, from Compose services that have both.
    let mut explicit: Vec<(String, String)> = Vec::new();
    for service in builder.resources.iter().filter(|r| r.kind == DocumentKind::Compose) {
        let (Some(image), Some(path)) =
            (service.value.get("image").and_then(Value::as_str), builder.document(service.document).map(|d| &d.path))
        else {
            continue;
        };
        if let Some(dockerfile) = compose::dockerfile_path(path, &service.value) {
            explicit.push((repository_of(image).to_owned(), dockerfile));
        }
    }
    let mut edges = Vec::new();
    for resource in &builder.resources {
        let images = kinds::spec(resource.kind).images.map_or_else(Vec::new, |images| images(&resource.value));
        for image in images {
            let repository = repository_of(&image);
            let by_compose: Vec<&String> =
                explicit.iter().filter(|(name, _)| name == repository).map(|(_, dockerfile)| dockerfile).collect();
            for (id, path) in &dockerfiles {
                let matched = if by_compose.is_empty() {
                    name_matches(repository, parent_dir(path))
                } else {
                    by_compose.contains(&path)
                };
                if matched {
                    edges.push((resource.id.clone(), id.clone()));
                }
            }
        }
    }
    for (from, to) in edges {
        builder.edge(&from, &to, Relation::BuiltFrom);
    }
}

/// The image reference without its tag or digest: `ghcr.io/acme/api:1.2@sha256:…` → `ghcr.io/acme/api`.
fn repository_of(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |at| at + 1);
    match without_digest.get(last_slash..).and_then(|name| name.rfind(':')) {
        Some(colon) => without_digest.get(..last_slash + colon).unwrap_or(without_digest),
        None => without_digest,
    }
}

/// Whether an image repository names the directory a Dockerfile sits in: the last path segment
/// equals the directory's name or ends with `-name`/`_name` (`shop-api` ↔ `api`).
fn name_matches(repository: &str, dockerfile_dir: &str) -> bool {
    let dir = dockerfile_dir.rsplit('/').next().unwrap_or(dockerfile_dir);
    let name = repository.rsplit('/').next().unwrap_or(repository);
    !dir.is_empty() && (name == dir || name.ends_with(&format!("-{dir}")) || name.ends_with(&format!("_{dir}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_drops_tag_and_digest_but_not_registry_port() {
        let cases = [
            ("nginx", "nginx"),
            ("nginx:1.27", "nginx"),
            ("ghcr.io/acme/api:1.2@sha256:abc", "ghcr.io/acme/api"),
            ("localhost:5000/api", "localhost:5000/api"),
            ("localhost:5000/api:dev", "localhost:5000/api"),
        ];
        for (image, repository) in cases {
            assert_eq!(repository_of(image), repository, "{image}");
        }
    }

    #[test]
    fn image_names_match_dockerfile_directories() {
        let cases = [
            ("ghcr.io/acme/shop-api", "services/api", true),
            ("ghcr.io/acme/api", "services/api", true),
            ("ghcr.io/acme/capi", "services/api", false),
            ("worker", "services/worker", true),
            ("worker", "", false),
        ];
        for (repository, dir, expected) in cases {
            assert_eq!(name_matches(repository, dir), expected, "{repository} vs {dir}");
        }
    }
}
