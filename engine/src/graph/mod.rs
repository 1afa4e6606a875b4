//! The document graph: every [`Document`] of a scan, the [`Resource`]s found in them (the units
//! rules look at) and the [`Edge`]s between resources. Built once per scan, after parsing, from
//! the documents alone.
//!
//! Each kind says how its documents split into resources ([`crate::kinds`]); the builders here
//! add the resources that need more than one document (Terraform modules) and then the edges,
//! so that an edge can point at a resource in any file.

mod compose;
mod flags;
mod images;
mod index;
pub(crate) mod kubernetes;
pub(crate) mod kustomize;
mod references;
mod terraform;
mod terraform_modules;
mod terraform_registry;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;

use serde_json::Value;

use crate::config::EnvironmentMap;

use crate::diagnostic::Diagnostic;
use crate::document::{Document, DocumentKind, Region};
use crate::kinds::{self, Resources};
use crate::parse::Limits;
use crate::render::{self, DocumentSources};

pub(crate) use kustomize::RenderedFrom;
pub(crate) use terraform::{dynamic_source as terraform_dynamic_source, merge_repeated_findings};
pub(crate) use terraform_modules::is_in_download_cache;
pub(crate) use terraform_modules::CalledFrom;
pub(crate) use terraform_modules::CALL_LABEL_PREFIX;

/// The unit a per-resource rule sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Stable across runs and line changes: `k8s:Deployment/payments/api@deploy/base`,
    /// `tf:aws_s3_bucket.logs@infra[production]`, `docker:services/api/Dockerfile`.
    pub id: String,
    /// The kind of the document it comes from.
    pub kind: DocumentKind,
    /// What it is within its kind: `Deployment`, `aws_s3_bucket`, `service`, `dockerfile`.
    pub resource_type: String,
    /// Its name where it has one (`metadata.name`, the block name, the Compose service name).
    pub name: Option<String>,
    /// Index into [`Graph::documents`].
    pub document: usize,
    /// Where its value sits in the document's value.
    pub pointer: String,
    /// The environment it belongs to, when one is known.
    pub environment: Option<String>,
    /// The environments one resource stands for when it is the same in each (a Terraform block
    /// resolved alike under every environment's variables); empty otherwise.
    pub environments: Vec<String>,
    /// Its value: what a per-resource rule reads as `object`.
    pub value: Value,
    /// Where it sits in its document's file.
    pub region: Region,
    /// Free-form facts a builder found (for example `patch` for a kustomize patch,
    /// `rendered` for an object a kustomization renders).
    pub labels: BTreeSet<String>,
    /// For an object a kustomization renders: which one, and where each value was written.
    pub rendered: Option<Arc<RenderedFrom>>,
    /// For a block of an expanded Terraform module call: the calls that reached it and where
    /// its callers wrote the values they passed in.
    pub called: Option<Arc<CalledFrom>>,
}

/// A relation between two resources, by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The id of the resource the edge starts at.
    pub from: String,
    /// The id of the resource the edge points to.
    pub to: String,
    /// What the edge means.
    pub relation: Relation,
}

/// What an edge means. Read `from <relation> to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// A Terraform expression names another block.
    References,
    /// A workload uses a ConfigMap, Secret or ServiceAccount.
    Uses,
    /// A Service, PodDisruptionBudget or NetworkPolicy selects a workload's pods.
    Selects,
    /// A HorizontalPodAutoscaler scales a workload.
    Scales,
    /// A workload's or Compose service's image is built by a Dockerfile.
    BuiltFrom,
    /// A kustomization includes a resource or another kustomization (an overlay its base).
    Includes,
    /// A kustomize patch changes a resource.
    Patches,
    /// A Compose service, kustomize generator or workload loads an env file.
    LoadsEnv,
    /// A source file names a feature flag's key.
    UsesFlag,
}

impl Relation {
    /// The name rules and the graph's JSON use (`references`, `built-from`, …).
    pub fn name(self) -> &'static str {
        match self {
            Relation::References => "references",
            Relation::Uses => "uses",
            Relation::Selects => "selects",
            Relation::Scales => "scales",
            Relation::BuiltFrom => "built-from",
            Relation::Includes => "includes",
            Relation::Patches => "patches",
            Relation::LoadsEnv => "loads-env",
            Relation::UsesFlag => "uses-flag",
        }
    }
}

/// All documents of a scan, their resources and the edges between them.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Every document of the scan, in path order.
    pub documents: Vec<Document>,
    /// Every resource of every document; a resource's place in this list is its index.
    pub resources: Vec<Resource>,
    /// The relations between resources, by id.
    pub edges: Vec<Edge>,
    /// Positions in `resources` in id order, for [`Graph::resource`]: graph rules name the
    /// resources of their results by id, thousands of times on a large repository. Made with
    /// the graph; a graph changed since is searched instead.
    id_order: Vec<usize>,
}

impl Graph {
    /// Builds the graph from parsed documents: assigns environments, finds resources, then edges.
    ///
    /// ```
    /// use ward_engine::{parse_as, Document, DocumentKind, Graph, Limits};
    /// let text = "FROM alpine:3.20\n".to_string();
    /// let parsed = parse_as(DocumentKind::Dockerfile, &text, &Limits::default()).unwrap();
    /// let graph = Graph::build(vec![Document::new("Dockerfile".into(), DocumentKind::Dockerfile, text, parsed)]);
    /// assert_eq!(graph.resources[0].id, "docker:Dockerfile");
    /// ```
    pub fn build(documents: Vec<Document>) -> Graph {
        Graph::build_with(documents, &EnvironmentMap::default())
    }

    /// [`Graph::build`], with environment names configured for path globs (`ward.toml`) taking
    /// precedence over the ones inferred from names. Kustomizations are rendered from the
    /// documents alone; what cannot be rendered is left out (see [`Graph::build_rendering`]).
    pub fn build_with(documents: Vec<Document>, environments: &EnvironmentMap) -> Graph {
        Graph::build_rendering(documents, environments, None, &Limits::default()).0
    }

    /// [`Graph::build_with`], rendering every root kustomization (one no other includes) into
    /// resources of the graph ([`RenderedFrom`]), reading the files it needs that are not
    /// documents (a generator's `.properties`) under `root` when given; with the renderer's
    /// diagnostics (a missing resource, a patch that matches nothing, a cycle).
    pub fn build_rendering(
        mut documents: Vec<Document>,
        environments: &EnvironmentMap,
        root: Option<&Path>,
        limits: &Limits,
    ) -> (Graph, Vec<Diagnostic>) {
        documents.sort_by(|a, b| a.path.cmp(&b.path));
        for document in &mut documents {
            document.environment = environments.resolve(&document.path);
        }
        let mut builder =
            GraphBuilder { documents: &documents, resources: Vec::new(), edges: BTreeSet::new(), environments };
        // How a document splits into resources is its kind's to say.
        for (index, document) in documents.iter().enumerate() {
            match kinds::spec(document.kind).resources {
                Resources::WholeFile { id_prefix, resource_type } => {
                    builder.add_whole_file(index, id_prefix, resource_type);
                }
                Resources::EachStreamDocument { id_prefix, resource_type } => {
                    builder.add_stream_documents(index, id_prefix, resource_type);
                }
                Resources::Split(split) => {
                    for slot in split(document) {
                        builder.add(index, slot.pointer, slot.id, &slot.resource_type, slot.name);
                    }
                }
                Resources::AcrossDocuments => {} // Terraform: grouped by module directory below
            }
        }
        // Terraform's modules and the renderings (kustomize, Helm) read the documents only, and
        // are the two long parts of building a graph: side by side.
        let read = builder.documents;
        let (module_notes, rendered) = rayon::join(
            || terraform::add_resources(&mut builder),
            || {
                let sources = DocumentSources::new(read, root, limits.max_file_bytes);
                render::render(read, &sources, limits, environments)
            },
        );
        let mut diagnostics = module_notes;
        diagnostics.extend(rendered.diagnostics.iter().cloned());
        kustomize::add_rendered(&mut builder, rendered);
        builder.make_ids_unique();
        terraform::add_edges(&mut builder);
        kubernetes::add_edges(&mut builder);
        compose::add_edges(&mut builder);
        images::add_edges(&mut builder);
        flags::add_edges(&mut builder);
        let GraphBuilder { mut resources, edges, .. } = builder;
        resources
            .sort_by(|a, b| (a.document, a.region.span.start, &a.id).cmp(&(b.document, b.region.span.start, &b.id)));
        (Graph::new(documents, resources, edges.into_iter().collect()), diagnostics)
    }

    /// The graph restricted to documents and resources of `kinds`, with the edges between them.
    pub fn only_kinds(self, kinds: &[DocumentKind]) -> Graph {
        let keep: Vec<bool> = self.documents.iter().map(|d| kinds.contains(&d.kind)).collect();
        let mut renumber = Vec::with_capacity(keep.len());
        let mut next = 0;
        for kept in &keep {
            renumber.push(next);
            next += usize::from(*kept);
        }
        let documents = self.documents.into_iter().zip(&keep).filter(|(_, kept)| **kept).map(|(d, _)| d).collect();
        let resources: Vec<Resource> = self
            .resources
            .into_iter()
            .filter(|r| keep.get(r.document).copied().unwrap_or(false))
            .map(|mut r| {
                r.document = renumber.get(r.document).copied().unwrap_or(0);
                r
            })
            .collect();
        let ids: BTreeSet<&str> = resources.iter().map(|r| r.id.as_str()).collect();
        let edges =
            self.edges.into_iter().filter(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str())).collect();
        Graph::new(documents, resources, edges)
    }

    /// A graph of these parts, indexed by resource id.
    pub(crate) fn new(documents: Vec<Document>, resources: Vec<Resource>, edges: Vec<Edge>) -> Graph {
        let mut id_order: Vec<usize> = (0..resources.len()).collect();
        id_order.sort_by(|&a, &b| {
            let id = |at: usize| resources.get(at).map(|resource| resource.id.as_str());
            id(a).cmp(&id(b))
        });
        Graph { documents, resources, edges, id_order }
    }

    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        let indexed = self
            .id_order
            .binary_search_by(|&at| self.resources.get(at).map(|resource| resource.id.as_str()).cmp(&Some(id)))
            .ok()
            .and_then(|found| self.id_order.get(found))
            .and_then(|&at| self.resources.get(at))
            .filter(|resource| resource.id == id);
        indexed.or_else(|| self.resources.iter().find(|resource| resource.id == id))
    }

    /// The document at `path`, found by a binary search: the documents are in path order.
    pub fn document_at(&self, path: &str) -> Option<&Document> {
        self.document_index(path).and_then(|at| self.documents.get(at))
    }

    /// The position in `documents` of the document at `path`.
    pub(crate) fn document_index(&self, path: &str) -> Option<usize> {
        self.documents.binary_search_by(|document| document.path.as_str().cmp(path)).ok()
    }

    /// The document `resource` comes from.
    pub fn document_of(&self, resource: &Resource) -> Option<&Document> {
        self.documents.get(resource.document)
    }

    /// The graph as JSON, in the shape `schemas/graph.schema.json` describes: what `ward parse`
    /// prints and what policies see as `data.ward.graph`. Key order and element order are
    /// stable. With `source_maps`, each document carries its pointer → line/column table.
    pub fn to_json(&self, source_maps: bool) -> Value {
        serde_json::to_value(self.serializable(source_maps)).unwrap_or(Value::Null)
    }

    /// What policies see as `data.ward.graph` (Rego) and `graph` (CEL): [`Graph::to_json`]
    /// without source maps, plus `index`, the lookups built once per scan
    /// ([`index::GraphIndex`]) so that rules never search the whole graph per resource.
    /// `ward parse` leaves the index out: it is derived, and only rules need it.
    ///
    /// ```
    /// use ward_engine::{parse_as, Document, DocumentKind, Graph, Limits};
    /// let text = "FROM alpine:3.20\n".to_string();
    /// let parsed = parse_as(DocumentKind::Dockerfile, &text, &Limits::default()).unwrap();
    /// let graph = Graph::build(vec![Document::new("Dockerfile".into(), DocumentKind::Dockerfile, text, parsed)]);
    /// let json = graph.to_policy_json(false);
    /// assert_eq!(json["index"]["resources_by_id"]["docker:Dockerfile"], 0);
    /// ```
    ///
    /// Without `documents`, `documents` is empty: every document's value is also in its
    /// resources', and a copy of all of them (converted again for each policy language) was the
    /// largest part of a scan's memory. Only rules that read `documents` need it.
    pub fn to_policy_json(&self, documents: bool) -> Value {
        serde_json::to_value(GraphOut { graph: self, source_maps: false, index: true, documents })
            .unwrap_or(Value::Null)
    }

    /// The same JSON as [`Graph::to_json`], serialized straight from the graph without copying
    /// it: for writing large graphs out.
    pub fn serializable(&self, source_maps: bool) -> impl Serialize + '_ {
        GraphOut { graph: self, source_maps, index: false, documents: true }
    }
}

struct GraphOut<'g> {
    graph: &'g Graph,
    source_maps: bool,
    /// Whether to add the indexes policies read (`index`).
    index: bool,
    /// Whether to list the documents (else `documents` is empty).
    documents: bool,
}

impl Serialize for GraphOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let graph = self.graph;
        let documents: Vec<DocumentOut> = graph
            .documents
            .iter()
            .filter(|_| self.documents)
            .map(|document| DocumentOut {
                path: &document.path,
                kind: document.kind.name(),
                environment: document.environment.as_deref(),
                value: &document.value,
                source_map: self.source_maps.then_some(SourceMapOut(document)),
            })
            .collect();
        let resources: Vec<ResourceOut> = graph
            .resources
            .iter()
            .map(|resource| ResourceOut {
                id: &resource.id,
                kind: resource.kind.name(),
                resource_type: &resource.resource_type,
                name: resource.name.as_deref(),
                path: graph.document_of(resource).map(|d| d.path.as_str()).unwrap_or_default(),
                pointer: &resource.pointer,
                line: resource.region.start.line,
                column: resource.region.start.column,
                end_line: resource.region.end.line,
                environment: resource.environment.as_deref(),
                environments: &resource.environments,
                labels: &resource.labels,
                value: &resource.value,
                workload: crate::kinds::workload(resource.kind, &resource.value),
                // What `ward parse` shows of a rendering; rules read the values, not this.
                rendered: resource.rendered.as_deref().filter(|_| !self.index).map(|from| RenderedOut { graph, from }),
            })
            .collect();
        let edges: Vec<EdgeOut> = graph
            .edges
            .iter()
            .map(|edge| EdgeOut { from: &edge.from, to: &edge.to, relation: edge.relation.name() })
            .collect();
        let mut out = serializer.serialize_struct("Graph", 3 + usize::from(self.index))?;
        out.serialize_field("documents", &documents)?;
        out.serialize_field("resources", &resources)?;
        out.serialize_field("edges", &edges)?;
        if self.index {
            out.serialize_field("index", &index::GraphIndex::build(graph))?;
        }
        out.end()
    }
}

#[derive(Serialize)]
struct DocumentOut<'g> {
    path: &'g str,
    kind: &'static str,
    environment: Option<&'g str>,
    value: &'g Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_map: Option<SourceMapOut<'g>>,
}

/// A document's source map as pointer → `[line, column, end line, end column]`.
struct SourceMapOut<'g>(&'g Document);

impl Serialize for SourceMapOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let document = self.0;
        let mut map = serializer.serialize_map(Some(document.source_map.len()))?;
        for (pointer, span) in document.source_map.iter() {
            let region = document.lines.region(&document.text, span);
            map.serialize_entry(
                pointer,
                &[region.start.line, region.start.column, region.end.line, region.end.column],
            )?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ResourceOut<'g> {
    id: &'g str,
    kind: &'static str,
    #[serde(rename = "type")]
    resource_type: &'g str,
    name: Option<&'g str>,
    path: &'g str,
    pointer: &'g str,
    line: u32,
    column: u32,
    end_line: u32,
    environment: Option<&'g str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    environments: &'g [String],
    labels: &'g BTreeSet<String>,
    value: &'g Value,
    /// What it runs, for the kinds that run pods ([`crate::kinds::KindSpec::workload`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    workload: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<RenderedOut<'g>>,
}

/// Where a rendered resource's values were written, as `ward parse` shows it: the file that
/// rendered it (a kustomization, a chart's `Chart.yaml`), the name it was first written under,
/// and pointer → `path:line:column` for every value (`origins`) and, for a value a chart's values
/// file set, the template action that printed it (`printed_by`).
struct RenderedOut<'g> {
    graph: &'g Graph,
    from: &'g RenderedFrom,
}

impl Serialize for RenderedOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let places = |provenance: &crate::render::Provenance| -> BTreeMap<String, String> {
            provenance.iter().map(|(pointer, origin)| (pointer.to_owned(), self.place(origin))).collect()
        };
        let origins = places(&self.from.provenance);
        let printed_by = places(&self.from.via);
        let mut out = serializer.serialize_struct("Rendered", 4)?;
        out.serialize_field("by", &self.from.renderer)?;
        out.serialize_field("source", &self.from.source)?;
        out.serialize_field("origins", &origins)?;
        if !printed_by.is_empty() {
            out.serialize_field("printed_by", &printed_by)?;
        }
        out.end()
    }
}

impl RenderedOut<'_> {
    /// `path:line:column` of an origin in a document of the scan; the path alone for a file
    /// that is not one.
    fn place(&self, origin: &crate::render::tracked::Origin) -> String {
        match self.graph.document_at(&origin.path) {
            Some(document) => {
                let start = document.lines.region(&document.text, origin.span).start;
                format!("{}:{}:{}", origin.path, start.line, start.column)
            }
            None => origin.path.to_string(),
        }
    }
}

#[derive(Serialize)]
struct EdgeOut<'g> {
    from: &'g str,
    to: &'g str,
    relation: &'static str,
}

/// Shared state of the per-kind builders.
pub(crate) struct GraphBuilder<'d> {
    pub(crate) documents: &'d [Document],
    pub(crate) resources: Vec<Resource>,
    pub(crate) edges: BTreeSet<Edge>,
    pub(crate) environments: &'d EnvironmentMap,
}

impl GraphBuilder<'_> {
    /// Adds a resource whose value is the document's value at `pointer`.
    pub(crate) fn add(
        &mut self,
        document: usize,
        pointer: String,
        id: String,
        resource_type: &str,
        name: Option<String>,
    ) {
        let Some(doc) = self.documents.get(document) else { return };
        let value = doc.value.pointer(&pointer).cloned().unwrap_or(Value::Null);
        self.add_with_value(document, pointer, id, resource_type, name, value, doc.environment.clone());
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_with_value(
        &mut self,
        document: usize,
        pointer: String,
        id: String,
        resource_type: &str,
        name: Option<String>,
        value: Value,
        environment: Option<String>,
    ) {
        let Some(doc) = self.documents.get(document) else { return };
        let region =
            doc.entry_region_of(&pointer).unwrap_or_else(|| doc.lines.region(&doc.text, crate::Span::new(0, 0)));
        self.resources.push(Resource {
            id,
            kind: doc.kind,
            resource_type: resource_type.to_owned(),
            name,
            document,
            pointer,
            environment,
            environments: Vec::new(),
            value,
            region,
            labels: BTreeSet::new(),
            rendered: None,
            called: None,
        });
    }

    fn add_whole_file(&mut self, document: usize, prefix: &str, resource_type: &str) {
        let Some(path) = self.documents.get(document).map(|d| d.path.clone()) else { return };
        self.add(document, String::new(), format!("{prefix}:{path}"), resource_type, None);
    }

    /// One resource per YAML document of a stream (`#N` marks all but a lone document).
    fn add_stream_documents(&mut self, document: usize, prefix: &str, resource_type: &str) {
        let Some(doc) = self.documents.get(document) else { return };
        let count = doc.value.as_array().map_or(0, Vec::len);
        let path = doc.path.clone();
        for index in 0..count {
            let id = if count == 1 { format!("{prefix}:{path}") } else { format!("{prefix}:{path}#{index}") };
            self.add(document, format!("/{index}"), id, resource_type, None);
        }
    }

    pub(crate) fn edge(&mut self, from: &str, to: &str, relation: Relation) {
        if from != to {
            self.edges.insert(Edge { from: from.to_owned(), to: to.to_owned(), relation });
        }
    }

    pub(crate) fn document(&self, index: usize) -> Option<&Document> {
        self.documents.get(index)
    }

    /// Ids must be unique; two resources that would share one (the same object twice in one
    /// directory) get `#2`, `#3` in document order, so neither hides the other. Rendered
    /// objects claim their ids first: they are what findings are about (an overlay's patch of
    /// `Deployment/api` is named like the object its overlay renders, and takes the `#2`).
    fn make_ids_unique(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let (rendered, written): (Vec<&mut Resource>, Vec<&mut Resource>) =
            self.resources.iter_mut().partition(|resource| resource.rendered.is_some());
        for resource in rendered.into_iter().chain(written) {
            let count = seen.entry(resource.id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                resource.id = format!("{}#{}", resource.id, count);
            }
        }
    }
}

pub(crate) use crate::render::{join_relative, parent_dir};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `build_rendering`.
    #[test]
    fn build_rendering_example() {
        use crate::{graph::Graph, load::parse_text, source::detect_kind};
        let files = [
            ("base/kustomization.yaml", "resources: [app.yaml]\n"),
            ("base/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n"),
            ("prod/kustomization.yaml", "resources: [../base]\nnamePrefix: prod-\n"),
        ];
        let documents = files
            .iter()
            .map(|(path, text)| {
                parse_text(path, detect_kind(path), text.to_string(), &Default::default()).unwrap().unwrap()
            })
            .collect();
        let (graph, diagnostics) = Graph::build_rendering(documents, &Default::default(), None, &Default::default());
        assert!(diagnostics.is_empty());
        let rendered = graph.resource("k8s:ConfigMap/prod-app@prod").unwrap();
        assert_eq!(rendered.environment.as_deref(), Some("production"));
        assert!(rendered.labels.contains("rendered"));
    }

    #[test]
    fn resources_are_found_by_id_in_a_graph_changed_after_it_was_built_too() {
        let mut graph = super::Graph::build(
            ["a", "b", "c"]
                .iter()
                .map(|name| {
                    let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
                    let path = format!("{name}.yaml");
                    let kind = crate::source::detect_kind(&path);
                    crate::load::parse_text(&path, kind, text, &Default::default()).unwrap().unwrap()
                })
                .collect(),
        );
        let ids: Vec<String> = graph.resources.iter().map(|resource| resource.id.clone()).collect();
        assert_eq!(ids.len(), 3);
        for id in &ids {
            assert_eq!(graph.resource(id).map(|resource| &resource.id), Some(id));
        }
        assert!(graph.resource("k8s:ConfigMap/d").is_none());
        graph.resources.reverse();
        graph.resources.truncate(2);
        for id in ids.iter().skip(1) {
            assert_eq!(graph.resource(id).map(|resource| &resource.id), Some(id));
        }
        assert!(graph.resource(&ids[0]).is_none());
    }
}
