//! The graph's indexes: what rules look up instead of searching `resources` and `edges` for
//! every resource they judge. Built once per scan, in Rust, and handed to the policies with the
//! graph (`data.ward.graph.index` in Rego, `graph.index` in CEL); `schemas/graph.schema.json`
//! describes them.
//!
//! A rule that filtered `graph.edges` per resource paid for the whole graph once per resource
//! (regorus caches a rule's value within one evaluation only), which is quadratic on large
//! repositories; a lookup here costs one map access. The indexes hold ids and positions, never
//! copies of resource values, so they add little to the graph's memory: resources are named by
//! their position in `graph.resources`, edge ends by resource id.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Graph, Relation};
use crate::document::DocumentKind;

/// The relations through which a resource ends up somewhere: a workload built from a
/// Dockerfile, a kustomization that includes a resource (an overlay its base), a patch that
/// changes one. Following them backwards from a resource finds every resource that deploys it.
const DEPLOY_RELATIONS: [Relation; 3] = [Relation::BuiltFrom, Relation::Includes, Relation::Patches];

/// Edge ends by relation name: `{"built-from": ["k8s:Deployment/api@deploy"]}`.
type ByRelation<'g> = BTreeMap<&'static str, Vec<&'g str>>;

/// The indexes of one graph, borrowing its ids and names.
#[derive(Debug, Serialize)]
pub(crate) struct GraphIndex<'g> {
    /// Resource id → its position in `resources`.
    resources_by_id: BTreeMap<&'g str, usize>,
    /// Document kind (`dockerfile`, `kubernetes`, …) → positions in `resources`.
    by_kind: BTreeMap<&'static str, Vec<usize>>,
    /// Resource type (`Deployment`, `aws_s3_bucket`, `env-file`, …) → positions in `resources`.
    by_type: BTreeMap<&'g str, Vec<usize>>,
    /// Environment → positions in `resources` of the resources in it.
    by_environment: BTreeMap<&'g str, Vec<usize>>,
    /// Resource id → relation → the ids its edges of that relation point to.
    edges_from: BTreeMap<&'g str, ByRelation<'g>>,
    /// Resource id → relation → the ids of the resources whose edges of that relation point to it.
    edges_to: BTreeMap<&'g str, ByRelation<'g>>,
    /// Relation → its edges.
    by_relation: BTreeMap<&'static str, Vec<EdgeEnds<'g>>>,
    /// Resource id → the environments it ends up in, sorted: its own, and those of every
    /// resource that builds, includes or patches it, directly or through others (`built-from`,
    /// `includes`, `patches` edges followed backwards, to any depth). Resources that end up in
    /// no environment are absent.
    environments_reached: BTreeMap<&'g str, Vec<&'g str>>,
    /// Terraform module (the directory part of a block's id: `infra` in
    /// `tf:aws_s3_bucket.logs@infra[production]`) → block type → positions in `resources`. Rules
    /// that relate blocks of one module (a bucket and its policy, a resource and its provider)
    /// look there, not at every block of a type in the repository.
    terraform_modules: BTreeMap<&'g str, BTreeMap<&'g str, Vec<usize>>>,
}

/// An edge without its relation (the key it is filed under).
#[derive(Debug, Serialize)]
struct EdgeEnds<'g> {
    from: &'g str,
    to: &'g str,
}

impl<'g> GraphIndex<'g> {
    /// Indexes `graph`. Linear in its resources and edges, plus, for the environments reached,
    /// the resources that deploy each resource (kustomize chains and image builds are shallow).
    pub(crate) fn build(graph: &'g Graph) -> GraphIndex<'g> {
        let mut index = GraphIndex {
            resources_by_id: BTreeMap::new(),
            by_kind: BTreeMap::new(),
            by_type: BTreeMap::new(),
            by_environment: BTreeMap::new(),
            edges_from: BTreeMap::new(),
            edges_to: BTreeMap::new(),
            by_relation: BTreeMap::new(),
            environments_reached: BTreeMap::new(),
            terraform_modules: BTreeMap::new(),
        };
        for (position, resource) in graph.resources.iter().enumerate() {
            index.resources_by_id.insert(&resource.id, position);
            index.by_kind.entry(resource.kind.name()).or_default().push(position);
            index.by_type.entry(&resource.resource_type).or_default().push(position);
            if let Some(environment) = &resource.environment {
                index.by_environment.entry(environment).or_default().push(position);
            }
            if resource.kind == DocumentKind::Terraform {
                if let Some(module) = terraform_module(&resource.id) {
                    let types = index.terraform_modules.entry(module).or_default();
                    types.entry(&resource.resource_type).or_default().push(position);
                }
            }
        }
        for edge in &graph.edges {
            let relation = edge.relation.name();
            index.edges_from.entry(&edge.from).or_default().entry(relation).or_default().push(&edge.to);
            index.edges_to.entry(&edge.to).or_default().entry(relation).or_default().push(&edge.from);
            index.by_relation.entry(relation).or_default().push(EdgeEnds { from: &edge.from, to: &edge.to });
        }
        index.environments_reached = environments_reached(graph, &index.resources_by_id, &index.edges_to);
        index
    }
}

/// The module directory of a Terraform block's id, as the terraform-aws pack's `lib.module_of`
/// reads it: after the last `@` (a call path's instance keys may hold one), without the `#2` of
/// a block declared twice and the `[environment]`.
fn terraform_module(id: &str) -> Option<&str> {
    let (_, scope) = id.rsplit_once('@')?;
    let scope = match scope.rsplit_once('#') {
        Some((before, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => before,
        _ => scope,
    };
    Some(scope.split_once('[').map_or(scope, |(module, _)| module))
}

/// For every resource, the environments of the resource and of all that deploy it, found by
/// walking `edges_to` (the index built just before) backwards along the deploy relations.
fn environments_reached<'g>(
    graph: &'g Graph,
    positions: &BTreeMap<&'g str, usize>,
    edges_to: &BTreeMap<&'g str, ByRelation<'g>>,
) -> BTreeMap<&'g str, Vec<&'g str>> {
    let deployers_of = |id: &str| {
        let by_relation = edges_to.get(id);
        DEPLOY_RELATIONS.iter().flat_map(move |relation| {
            by_relation.and_then(|by_relation| by_relation.get(relation.name())).into_iter().flatten().copied()
        })
    };
    let environment_of = |id: &str| {
        positions.get(id).and_then(|position| graph.resources.get(*position)).and_then(|r| r.environment.as_deref())
    };
    let mut reached = BTreeMap::new();
    for resource in &graph.resources {
        let mut environments: BTreeSet<&str> = resource.environment.as_deref().into_iter().collect();
        // A walk with a visited set: cycles (a kustomization that includes itself through
        // another) end it instead of looping.
        let mut seen: BTreeSet<&str> = BTreeSet::from([resource.id.as_str()]);
        let mut pending: Vec<&str> = vec![resource.id.as_str()];
        while let Some(id) = pending.pop() {
            for from in deployers_of(id) {
                if seen.insert(from) {
                    environments.extend(environment_of(from));
                    pending.push(from);
                }
            }
        }
        if !environments.is_empty() {
            reached.insert(resource.id.as_str(), environments.into_iter().collect());
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentKind, Position, Region, Span};
    use crate::graph::{Edge, Resource};

    fn resource(id: &str, kind: DocumentKind, environment: Option<&str>) -> Resource {
        Resource {
            id: id.to_owned(),
            kind,
            resource_type: "t".to_owned(),
            name: None,
            document: 0,
            pointer: String::new(),
            environment: environment.map(str::to_owned),
            environments: Vec::new(),
            value: serde_json::Value::Null,
            region: Region {
                start: Position { line: 1, column: 1 },
                end: Position { line: 1, column: 1 },
                span: Span::new(0, 0),
            },
            labels: BTreeSet::new(),
            rendered: None,
            called: None,
        }
    }

    fn edge(from: &str, to: &str, relation: Relation) -> Edge {
        Edge { from: from.to_owned(), to: to.to_owned(), relation }
    }

    #[test]
    fn dockerfile_reaches_production_through_a_workload_and_its_overlays() {
        let graph = Graph::new(
            Vec::new(),
            vec![
                resource("docker:api/Dockerfile", DocumentKind::Dockerfile, None),
                resource("k8s:Deployment/api@base", DocumentKind::Kubernetes, None),
                resource("k8s:Kustomization@base", DocumentKind::Kubernetes, None),
                resource("k8s:Kustomization@overlays/prod", DocumentKind::Kubernetes, Some("production")),
                resource("k8s:Kustomization@overlays/stg", DocumentKind::Kubernetes, Some("staging")),
            ],
            vec![
                edge("k8s:Deployment/api@base", "docker:api/Dockerfile", Relation::BuiltFrom),
                edge("k8s:Kustomization@base", "k8s:Deployment/api@base", Relation::Includes),
                edge("k8s:Kustomization@overlays/prod", "k8s:Kustomization@base", Relation::Includes),
                edge("k8s:Kustomization@overlays/stg", "k8s:Kustomization@base", Relation::Includes),
                // A cycle must not loop.
                edge("k8s:Kustomization@base", "k8s:Kustomization@overlays/prod", Relation::Includes),
            ],
        );
        let index = serde_json::to_value(GraphIndex::build(&graph)).unwrap();
        assert_eq!(
            index["environments_reached"]["docker:api/Dockerfile"],
            serde_json::json!(["production", "staging"])
        );
        assert_eq!(
            index["edges_to"]["docker:api/Dockerfile"]["built-from"],
            serde_json::json!(["k8s:Deployment/api@base"])
        );
        assert_eq!(index["edges_from"]["k8s:Kustomization@base"]["includes"].as_array().unwrap().len(), 2);
        assert_eq!(index["resources_by_id"]["k8s:Kustomization@overlays/stg"], 4);
        assert_eq!(index["by_kind"]["kubernetes"], serde_json::json!([1, 2, 3, 4]));
        assert_eq!(index["by_environment"]["production"], serde_json::json!([3]));
        assert_eq!(index["by_relation"]["built-from"][0]["to"], "docker:api/Dockerfile");
    }

    #[test]
    fn terraform_blocks_are_indexed_by_their_root_module() {
        assert_eq!(terraform_module("tf:aws_s3_bucket.logs@infra[production]"), Some("infra"));
        assert_eq!(terraform_module("tf:module.logs[\"a@b\"].aws_s3_bucket.this@infra#2"), Some("infra"));
        assert_eq!(terraform_module("tf:provider.aws@."), Some("."));
        assert_eq!(terraform_module("docker:Dockerfile"), None);
    }

    #[test]
    fn resources_in_no_environment_are_absent_from_environments_reached() {
        let graph =
            Graph::new(Vec::new(), vec![resource("docker:Dockerfile", DocumentKind::Dockerfile, None)], Vec::new());
        let index = serde_json::to_value(GraphIndex::build(&graph)).unwrap();
        assert_eq!(index["environments_reached"], serde_json::json!({}));
        assert_eq!(index["edges_to"], serde_json::json!({}));
    }
}
