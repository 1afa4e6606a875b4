//! The edges between Kubernetes objects (which [`crate::kinds`] splits out of their
//! documents): ConfigMap/Secret/ServiceAccount references, Services, PDBs and NetworkPolicies
//! selecting workloads, HPAs scaling them, and kustomize bases, overlays, patches and
//! generators.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{join_relative, parent_dir, GraphBuilder, Relation};
use crate::document::DocumentKind;

/// The label that marks a resource that is a kustomize patch, not a whole object.
pub(crate) const PATCH_LABEL: &str = "patch";

/// A Kubernetes resource's facts that edges are made from, taken out of the builder so that
/// edges can be added while they are read.
struct Object {
    index: usize,
    id: String,
    kind: String,
    name: Option<String>,
    namespace: Option<String>,
    environment: Option<String>,
    value: Value,
    patch: bool,
    /// Rendered by a kustomization, or read by a rendering: the two views of one deployment
    /// never refer to each other.
    rendered: bool,
    input: bool,
    /// The directory of the file it is in (for a rendered object, the renderer's).
    dir: String,
}

fn objects(builder: &GraphBuilder) -> Vec<Object> {
    builder
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == DocumentKind::Kubernetes)
        .map(|(index, r)| Object {
            index,
            id: r.id.clone(),
            kind: r.resource_type.clone(),
            name: r.name.clone(),
            namespace: r.value.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_owned),
            environment: r.environment.clone(),
            value: r.value.clone(),
            patch: r.labels.contains(PATCH_LABEL),
            rendered: r.rendered.is_some(),
            input: super::kustomize::is_input(r),
            dir: builder.documents.get(r.document).map_or("", |d| super::parent_dir(&d.path)).to_owned(),
        })
        .collect()
}

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    add_kustomize_edges(builder);
    let objects = objects(builder);
    let index = ObjectIndex::new(&objects);
    for source in &objects {
        if let Some(template) = pod_template(source) {
            add_reference_edges(builder, &index, source, template);
        }
        match source.kind.as_str() {
            "Service" => {
                let selector = source.value.pointer("/spec/selector").and_then(Value::as_object);
                add_selector_edges(builder, &index, source, selector, Selects::NearestPods);
            }
            "PodDisruptionBudget" => {
                let selector = source.value.pointer("/spec/selector/matchLabels").and_then(Value::as_object);
                add_selector_edges(builder, &index, source, selector, Selects::NearestPods);
            }
            "NetworkPolicy" => {
                let selector = source.value.pointer("/spec/podSelector/matchLabels").and_then(Value::as_object);
                add_selector_edges(builder, &index, source, selector, Selects::NamespacePods);
            }
            "HorizontalPodAutoscaler" => {
                let target = source.value.pointer("/spec/scaleTargetRef");
                let kind = target.and_then(|t| t.get("kind")).and_then(Value::as_str);
                let name = target.and_then(|t| t.get("name")).and_then(Value::as_str);
                if let (Some(kind), Some(name)) = (kind, name) {
                    for target in find(&index, source, kind, name) {
                        builder.edge(&source.id, &target.id, Relation::Scales);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The objects by what edges look them up by, so that an edge costs the objects it may reach,
/// not a walk over every object of the repository (which made building the graph grow with
/// the square of the repository).
struct ObjectIndex<'o> {
    /// `(kind, name)` → the objects of that kind and name.
    by_kind_name: HashMap<(&'o str, &'o str), Vec<&'o Object>>,
    /// `(namespace, label, value)` → the objects whose pod template carries that label.
    by_pod_label: HashMap<(Option<&'o str>, &'o str, &'o str), Vec<&'o Object>>,
    /// Namespace → the objects that have a pod template.
    pods_by_namespace: HashMap<Option<&'o str>, Vec<&'o Object>>,
}

impl<'o> ObjectIndex<'o> {
    fn new(objects: &'o [Object]) -> ObjectIndex<'o> {
        let mut index = ObjectIndex {
            by_kind_name: HashMap::new(),
            by_pod_label: HashMap::new(),
            pods_by_namespace: HashMap::new(),
        };
        for object in objects {
            if let Some(name) = object.name.as_deref() {
                index.by_kind_name.entry((object.kind.as_str(), name)).or_default().push(object);
            }
            let Some(template) = pod_template(object) else { continue };
            let namespace = object.namespace.as_deref();
            index.pods_by_namespace.entry(namespace).or_default().push(object);
            let labels = template.pointer("/metadata/labels").and_then(Value::as_object).into_iter().flatten();
            for (key, value) in labels {
                if let Some(value) = value.as_str() {
                    index.by_pod_label.entry((namespace, key.as_str(), value)).or_default().push(object);
                }
            }
        }
        index
    }

    /// The objects with a pod template that `selector` may match in `namespace`: those with its
    /// first text label, or every one of the namespace when it has none.
    fn pods<'s>(&'s self, namespace: Option<&'s str>, selector: &'s Map<String, Value>) -> &'s [&'o Object] {
        let first = selector.iter().find_map(|(key, value)| Some((key.as_str(), value.as_str()?)));
        let found = match first {
            Some((key, value)) => self.by_pod_label.get(&(namespace, key, value)),
            None => self.pods_by_namespace.get(&namespace),
        };
        found.map_or(&[], Vec::as_slice)
    }
}

/// The pod template of a workload (of any kind the Kubernetes kind knows): what a selector's
/// labels and a pod's references are read from.
fn pod_template(object: &Object) -> Option<&Value> {
    crate::kinds::pod_template(&object.value)
}

/// Objects of `kind` named `name` that `source` can see: the same namespace, an environment
/// that agrees (equal, or either side environment-neutral like a kustomize base), not a patch.
/// Of those, only the nearest to `source` in the directory tree ([`nearest`]).
fn find<'o>(index: &ObjectIndex<'o>, source: &Object, kind: &str, name: &str) -> Vec<&'o Object> {
    let found = index
        .by_kind_name
        .get(&(kind, name))
        .into_iter()
        .flatten()
        .copied()
        .filter(|o| !o.patch && o.index != source.index)
        .filter(|o| visible(source, o))
        .collect();
    nearest(source, found)
}

/// Of `candidates`, those whose directory shares the most leading path components with
/// `source`'s: a repository holds many applications (and a monorepo many copies of the same
/// labels and names), and an object refers to the one deployed with it — the Service in
/// `shop/k8s/` selects the `app: api` pods of `shop/k8s/`, not those of `blog/k8s/`. Linking
/// every match also made the graph grow with the square of the repository.
fn nearest<'o>(source: &Object, candidates: Vec<&'o Object>) -> Vec<&'o Object> {
    let shared = |o: &Object| source.dir.split('/').zip(o.dir.split('/')).take_while(|(a, b)| a == b).count();
    let closest = candidates.iter().map(|o| shared(o)).max();
    candidates.into_iter().filter(|o| Some(shared(o)) == closest).collect()
}

/// Which pods a selector can reach.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Selects {
    /// A Service's or a PodDisruptionBudget's: those of the nearest matching workloads.
    NearestPods,
    /// A NetworkPolicy's: every matching pod of the namespace, and every pod when the selector
    /// is empty — a default-deny policy is usually written once, beside none of the workloads.
    NamespacePods,
}

fn visible(source: &Object, target: &Object) -> bool {
    let environments_agree =
        source.environment == target.environment || source.environment.is_none() || target.environment.is_none();
    let crosses_views = (source.rendered && target.input) || (source.input && target.rendered);
    source.namespace == target.namespace && environments_agree && !crosses_views
}

fn add_reference_edges(builder: &mut GraphBuilder, index: &ObjectIndex, source: &Object, template: &Value) {
    let Some(spec) = template.get("spec") else { return };
    let mut references: Vec<(&str, String)> = Vec::new();
    let mut named = |kind: &'static str, value: Option<&Value>| {
        if let Some(name) = value.and_then(Value::as_str) {
            references.push((kind, name.to_owned()));
        }
    };
    named("ServiceAccount", spec.get("serviceAccountName").or_else(|| spec.get("serviceAccount")));
    for pull_secret in spec.get("imagePullSecrets").and_then(Value::as_array).into_iter().flatten() {
        named("Secret", pull_secret.get("name"));
    }
    for group in ["containers", "initContainers", "ephemeralContainers"] {
        for container in spec.get(group).and_then(Value::as_array).into_iter().flatten() {
            for env in container.get("env").and_then(Value::as_array).into_iter().flatten() {
                named("ConfigMap", env.pointer("/valueFrom/configMapKeyRef/name"));
                named("Secret", env.pointer("/valueFrom/secretKeyRef/name"));
            }
            for env_from in container.get("envFrom").and_then(Value::as_array).into_iter().flatten() {
                named("ConfigMap", env_from.pointer("/configMapRef/name"));
                named("Secret", env_from.pointer("/secretRef/name"));
            }
        }
    }
    for volume in spec.get("volumes").and_then(Value::as_array).into_iter().flatten() {
        named("ConfigMap", volume.pointer("/configMap/name"));
        named("Secret", volume.pointer("/secret/secretName"));
        for projected in volume.pointer("/projected/sources").and_then(Value::as_array).into_iter().flatten() {
            named("ConfigMap", projected.pointer("/configMap/name"));
            named("Secret", projected.pointer("/secret/name"));
        }
    }
    for (kind, name) in references {
        for target in find(index, source, kind, &name) {
            builder.edge(&source.id, &target.id, Relation::Uses);
        }
    }
}

fn add_selector_edges(
    builder: &mut GraphBuilder,
    index: &ObjectIndex,
    source: &Object,
    selector: Option<&Map<String, Value>>,
    selects: Selects,
) {
    let selector = match selector {
        Some(selector) if !selector.is_empty() => selector.clone(),
        _ if selects == Selects::NamespacePods => Map::new(),
        _ => return,
    };
    let candidates = index.pods(source.namespace.as_deref(), &selector).iter().copied();
    let matching = candidates.filter(|o| !o.patch && visible(source, o)).filter(|target| {
        let labels = pod_template(target).and_then(|t| t.pointer("/metadata/labels")).and_then(Value::as_object);
        labels.is_some_and(|labels| selector.iter().all(|(key, value)| labels.get(key) == Some(value)))
    });
    let targets = match selects {
        Selects::NearestPods => nearest(source, matching.collect()),
        Selects::NamespacePods => matching.collect(),
    };
    for target in targets {
        builder.edge(&source.id, &target.id, Relation::Selects);
    }
}

/// Kustomize: a kustomization includes its resources (files and other kustomizations), its
/// patches patch the objects they name, and its generators load env files.
fn add_kustomize_edges(builder: &mut GraphBuilder) {
    let kustomizations: Vec<(String, String, Value)> = builder
        .resources
        .iter()
        .filter(|r| r.resource_type == "Kustomization")
        .filter_map(|r| {
            let dir = parent_dir(&builder.document(r.document)?.path).to_owned();
            Some((r.id.clone(), dir, r.value.clone()))
        })
        .collect();
    if kustomizations.is_empty() {
        return;
    }
    let files = ResourceLookup::new(builder);
    // Patches are marked first, so that nothing later mistakes a patch for a whole object.
    for (_, dir, value) in &kustomizations {
        for patch_path in patch_paths(value) {
            let Some(file) = join_relative(dir, &patch_path) else { continue };
            for &at in files.in_file(&file) {
                if let Some(resource) = builder.resources.get_mut(at) {
                    resource.labels.insert(PATCH_LABEL.to_owned());
                }
            }
        }
    }
    for (id, dir, value) in &kustomizations {
        for entry in string_list(value, "resources").into_iter().chain(string_list(value, "bases")) {
            let Some(target) = join_relative(dir, &entry) else { continue };
            let included: Vec<String> = files
                .in_file(&target)
                .iter()
                .chain(files.kustomizations_in(&target))
                .filter_map(|&at| builder.resources.get(at))
                .filter(|r| r.rendered.is_none())
                .map(|r| r.id.clone())
                .collect();
            for to in included {
                builder.edge(id, &to, Relation::Includes);
            }
        }
        add_patch_edges(builder, &files, dir, value);
        for generator in ["configMapGenerator", "secretGenerator"] {
            for entry in value.get(generator).and_then(Value::as_array).into_iter().flatten() {
                let envs = string_list(entry, "envs")
                    .into_iter()
                    .chain(entry.get("env").and_then(Value::as_str).map(str::to_owned));
                for env_file in envs {
                    let Some(target) = join_relative(dir, &env_file) else { continue };
                    let targets: Vec<String> = files
                        .in_file(&target)
                        .iter()
                        .filter_map(|&at| builder.resources.get(at))
                        .filter(|r| r.kind == DocumentKind::Dotenv)
                        .map(|r| r.id.clone())
                        .collect();
                    for to in targets {
                        builder.edge(id, &to, Relation::LoadsEnv);
                    }
                }
            }
        }
    }
}

/// The builder's resources (by position) by the file they are in, and the kustomizations by
/// their directory, and the objects by kind and name: what kustomize edges look up, instead of
/// walking every resource for every entry of every kustomization.
struct ResourceLookup {
    by_path: HashMap<String, Vec<usize>>,
    kustomizations_by_dir: HashMap<String, Vec<usize>>,
    by_kind_name: HashMap<(String, String), Vec<usize>>,
}

impl ResourceLookup {
    fn new(builder: &GraphBuilder) -> ResourceLookup {
        let mut files = ResourceLookup {
            by_path: HashMap::new(),
            kustomizations_by_dir: HashMap::new(),
            by_kind_name: HashMap::new(),
        };
        for (at, resource) in builder.resources.iter().enumerate() {
            let Some(document) = builder.document(resource.document) else { continue };
            files.by_path.entry(document.path.clone()).or_default().push(at);
            if resource.resource_type == "Kustomization" {
                files.kustomizations_by_dir.entry(parent_dir(&document.path).to_owned()).or_default().push(at);
            }
            if let Some(name) = &resource.name {
                files.by_kind_name.entry((resource.resource_type.clone(), name.clone())).or_default().push(at);
            }
        }
        files
    }

    fn in_file(&self, path: &str) -> &[usize] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    fn kustomizations_in(&self, dir: &str) -> &[usize] {
        self.kustomizations_by_dir.get(dir).map_or(&[], Vec::as_slice)
    }

    fn named(&self, kind: &str, name: &str) -> &[usize] {
        self.by_kind_name.get(&(kind.to_owned(), name.to_owned())).map_or(&[], Vec::as_slice)
    }
}

/// Patch files a kustomization names, in all three spellings kustomize accepts.
fn patch_paths(kustomization: &Value) -> Vec<String> {
    let mut paths = string_list(kustomization, "patchesStrategicMerge");
    for key in ["patches", "patchesJson6902"] {
        for entry in kustomization.get(key).and_then(Value::as_array).into_iter().flatten() {
            match entry {
                Value::String(path) => paths.push(path.clone()),
                other => paths.extend(other.get("path").and_then(Value::as_str).map(str::to_owned)),
            }
        }
    }
    paths
}

/// Edges from each patch to the objects it patches: those of the same kind and name (or the
/// `target` the kustomization gives) in the directories this kustomization includes.
fn add_patch_edges(builder: &mut GraphBuilder, files: &ResourceLookup, dir: &str, kustomization: &Value) {
    let mut patches: Vec<(String, Option<(String, String)>)> = Vec::new();
    for path in string_list(kustomization, "patchesStrategicMerge") {
        patches.push((path, None));
    }
    for key in ["patches", "patchesJson6902"] {
        for entry in kustomization.get(key).and_then(Value::as_array).into_iter().flatten() {
            let Some(path) = entry.get("path").and_then(Value::as_str).or(entry.as_str()) else { continue };
            let target = entry
                .get("target")
                .and_then(|t| Some((t.get("kind")?.as_str()?.to_owned(), t.get("name")?.as_str()?.to_owned())));
            patches.push((path.to_owned(), target));
        }
    }
    let included_dirs: Vec<String> = string_list(kustomization, "resources")
        .into_iter()
        .chain(string_list(kustomization, "bases"))
        .filter_map(|entry| join_relative(dir, &entry))
        .collect();
    let in_scope =
        |path: &str| included_dirs.iter().any(|included| path == included || path.starts_with(&format!("{included}/")));
    for (patch_path, explicit_target) in patches {
        let Some(file) = join_relative(dir, &patch_path) else { continue };
        let patch_resources: Vec<(String, Option<(String, String)>)> = files
            .in_file(&file)
            .iter()
            .filter_map(|&at| builder.resources.get(at))
            .map(|r| {
                let own = r.name.clone().map(|name| (r.resource_type.clone(), name));
                (r.id.clone(), explicit_target.clone().or(own))
            })
            .collect();
        for (patch_id, target) in patch_resources {
            let Some((kind, name)) = target else { continue };
            let targets: Vec<String> = files
                .named(&kind, &name)
                .iter()
                .filter_map(|&at| builder.resources.get(at))
                .filter(|r| !r.labels.contains(PATCH_LABEL) && r.rendered.is_none())
                .filter(|r| builder.document(r.document).is_some_and(|d| in_scope(&d.path)))
                .map(|r| r.id.clone())
                .collect();
            for to in targets {
                builder.edge(&patch_id, &to, Relation::Patches);
            }
        }
    }
}

fn string_list(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}
