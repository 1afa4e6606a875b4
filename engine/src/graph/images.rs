//! Images ↔ the Dockerfiles that build them. A Compose service with both `image:` and `build:`
//! says so outright; otherwise an image whose repository name matches a Dockerfile's directory
//! (`ghcr.io/acme/shop-api` ↔ `services/api/Dockerfile`) is taken to be built by it — the
//! matching Dockerfile nearest the file that names the image, when several match.

use std::collections::HashMap;

use serde_json::Value;

use super::{compose, parent_dir, GraphBuilder, Relation};
use crate::document::DocumentKind;
use crate::kinds;

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    // Dockerfiles by path, and by the name of their directory (what an image name matches).
    let mut by_path: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut by_dir_name: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    for resource in builder.resources.iter().filter(|r| r.kind == DocumentKind::Dockerfile) {
        let Some(path) = builder.document(resource.document).map(|d| d.path.as_str()) else { continue };
        by_path.entry(path).or_default().push(&resource.id);
        let dir = parent_dir(path);
        let name = dir.rsplit('/').next().unwrap_or(dir);
        if !name.is_empty() {
            by_dir_name.entry(name).or_default().push((&resource.id, path));
        }
    }
    if by_path.is_empty() {
        return;
    }
    // Explicit: image name -> Dockerfile paths, from Compose services that have both.
    let mut explicit: HashMap<String, Vec<String>> = HashMap::new();
    for service in builder.resources.iter().filter(|r| r.kind == DocumentKind::Compose) {
        let (Some(image), Some(path)) =
            (service.value.get("image").and_then(Value::as_str), builder.document(service.document).map(|d| &d.path))
        else {
            continue;
        };
        if let Some(dockerfile) = compose::dockerfile_path(path, &service.value) {
            explicit.entry(repository_of(image).to_owned()).or_default().push(dockerfile);
        }
    }
    let mut edges = Vec::new();
    for resource in &builder.resources {
        let images = kinds::spec(resource.kind).images.map_or_else(Vec::new, |images| images(&resource.value));
        if images.is_empty() {
            continue;
        }
        let from_dir = builder.document(resource.document).map_or("", |d| parent_dir(&d.path));
        for image in images {
            let repository = repository_of(&image);
            let matched: Vec<(&str, &str)> = match explicit.get(repository) {
                Some(dockerfiles) => dockerfiles
                    .iter()
                    .flat_map(|path| {
                        by_path.get(path.as_str()).into_iter().flatten().map(move |id| (*id, path.as_str()))
                    })
                    .collect(),
                None => {
                    directory_names(repository).filter_map(|name| by_dir_name.get(name)).flatten().copied().collect()
                }
            };
            for (id, _) in nearest(from_dir, matched) {
                edges.push((resource.id.clone(), id.to_owned()));
            }
        }
    }
    for (from, to) in edges {
        builder.edge(&from, &to, Relation::BuiltFrom);
    }
}

/// The directory names an image repository names: its last path segment, and each part of it
/// after a `-` or `_` (`shop-api` → `shop-api`, `api`): a Dockerfile in `services/api/` builds
/// `ghcr.io/acme/shop-api`.
fn directory_names(repository: &str) -> impl Iterator<Item = &str> {
    let name = repository.rsplit('/').next().unwrap_or(repository);
    let suffixes = name.char_indices().filter(|(_, c)| *c == '-' || *c == '_').filter_map(|(at, _)| name.get(at + 1..));
    std::iter::once(name).chain(suffixes).filter(|suffix| !suffix.is_empty())
}

/// Of the Dockerfiles an image matches, those nearest the file that names it (sharing the most
/// leading directories): a repository of many applications builds many `api` images, and a
/// manifest deploys the one beside it. Linking every match also grew the graph with the square
/// of the repository.
fn nearest<'a>(from_dir: &str, matched: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let shared = |path: &str| from_dir.split('/').zip(parent_dir(path).split('/')).take_while(|(a, b)| a == b).count();
    let closest = matched.iter().map(|(_, path)| shared(path)).max();
    matched.into_iter().filter(|(_, path)| Some(shared(path)) == closest).collect()
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
    fn an_image_is_built_by_the_matching_dockerfiles_nearest_the_file_that_names_it() {
        let matched = || vec![("a", "shop/services/api/Dockerfile"), ("b", "blog/services/api/Dockerfile")];
        let ids = |from: &str| nearest(from, matched()).into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids("shop/k8s"), ["a"]);
        assert_eq!(ids("blog/deploy/prod"), ["b"]);
        assert_eq!(ids("k8s"), ["a", "b"]);
        assert_eq!(ids(""), ["a", "b"]);
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
            let dir_name = dir.rsplit('/').next().unwrap_or(dir);
            assert_eq!(directory_names(repository).any(|name| name == dir_name), expected, "{repository} vs {dir}");
        }
    }
}
