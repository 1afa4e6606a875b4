//! Kustomize's built-in transformers, with the field specs of kustomize v5's default
//! configuration: `namespace`, `namePrefix`/`nameSuffix`, `commonLabels` and `labels` (into
//! selectors and pod templates where kustomize puts them), `commonAnnotations`, `replicas` and
//! `images`. A value a transformer sets takes the origin of the kustomization entry that says so.

use super::{Kustomization, Renderer, Res};
use crate::render::tracked::{Node, Origin, Tree};

/// Kinds that live outside namespaces, as kustomize's built-in schema knows them; any other kind
/// (a custom resource too) is namespaced.
const CLUSTER_SCOPED: [&str; 27] = [
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "StorageClass",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

pub(crate) fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// Where a transformer writes, for which objects: kustomize's `fieldSpecs`.
struct FieldSpec {
    path: &'static str,
    kind: Option<&'static str>,
    group: Option<&'static str>,
    create: bool,
}

const fn spec(path: &'static str, kind: Option<&'static str>, group: Option<&'static str>, create: bool) -> FieldSpec {
    FieldSpec { path, kind, group, create }
}

impl FieldSpec {
    fn applies(&self, res: &Res) -> bool {
        self.kind.is_none_or(|kind| kind == res.kind()) && self.group.is_none_or(|group| group == res.group())
    }
}

/// The labels of objects and of the pod templates of the built-in workloads
/// (`labels` with `includeTemplates`).
const TEMPLATE_LABELS: [FieldSpec; 10] = [
    spec("metadata/labels", None, None, true),
    spec("spec/template/metadata/labels", Some("ReplicationController"), Some(""), true),
    spec("spec/template/metadata/labels", Some("Deployment"), None, true),
    spec("spec/template/metadata/labels", Some("ReplicaSet"), None, true),
    spec("spec/template/metadata/labels", Some("DaemonSet"), None, true),
    spec("spec/template/metadata/labels", Some("StatefulSet"), Some("apps"), true),
    spec("spec/volumeClaimTemplates[]/metadata/labels", Some("StatefulSet"), Some("apps"), true),
    spec("spec/template/metadata/labels", Some("Job"), Some("batch"), true),
    spec("spec/jobTemplate/metadata/labels", Some("CronJob"), Some("batch"), true),
    spec("spec/jobTemplate/spec/template/metadata/labels", Some("CronJob"), Some("batch"), true),
];

const AFFINITY: [&str; 5] = [
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
];

/// The selectors `commonLabels` (and `labels` with `includeSelectors`) also write.
fn selector_specs() -> Vec<FieldSpec> {
    let mut specs = vec![
        spec("spec/selector", Some("Service"), Some(""), true),
        spec("spec/selector", Some("ReplicationController"), Some(""), true),
        spec("spec/selector/matchLabels", Some("Deployment"), None, true),
        spec("spec/selector/matchLabels", Some("ReplicaSet"), None, true),
        spec("spec/selector/matchLabels", Some("DaemonSet"), None, true),
        spec("spec/selector/matchLabels", Some("StatefulSet"), Some("apps"), true),
        spec("spec/selector/matchLabels", Some("Job"), Some("batch"), false),
        spec("spec/jobTemplate/spec/selector/matchLabels", Some("CronJob"), Some("batch"), false),
        spec("spec/selector/matchLabels", Some("PodDisruptionBudget"), Some("policy"), false),
        spec("spec/podSelector/matchLabels", Some("NetworkPolicy"), Some("networking.k8s.io"), false),
        spec("spec/ingress/from/podSelector/matchLabels", Some("NetworkPolicy"), Some("networking.k8s.io"), false),
        spec("spec/egress/to/podSelector/matchLabels", Some("NetworkPolicy"), Some("networking.k8s.io"), false),
    ];
    for kind in ["Deployment", "StatefulSet"] {
        specs.extend(AFFINITY.iter().map(|path| spec(path, Some(kind), Some("apps"), false)));
    }
    specs
}

const ANNOTATIONS: [FieldSpec; 9] = [
    spec("metadata/annotations", None, None, true),
    spec("spec/template/metadata/annotations", Some("ReplicationController"), Some(""), true),
    spec("spec/template/metadata/annotations", Some("Deployment"), None, true),
    spec("spec/template/metadata/annotations", Some("ReplicaSet"), None, true),
    spec("spec/template/metadata/annotations", Some("DaemonSet"), None, true),
    spec("spec/template/metadata/annotations", Some("StatefulSet"), None, true),
    spec("spec/template/metadata/annotations", Some("Job"), Some("batch"), true),
    spec("spec/jobTemplate/metadata/annotations", Some("CronJob"), Some("batch"), true),
    spec("spec/jobTemplate/spec/template/metadata/annotations", Some("CronJob"), Some("batch"), true),
];

/// Calls `set` with each mapping that holds the field `spec.path` names, and that field's key;
/// creating the mappings on the way when the spec says so. A list on the way (`[]`, or one
/// kustomize steps into anyway) is walked element by element.
fn visit(
    node: &mut Node,
    segments: &[&str],
    create: bool,
    origin: Option<&Origin>,
    set: &mut dyn FnMut(&mut Node, &str),
) {
    let Some((first, rest)) = segments.split_first() else { return };
    let key = first.strip_suffix("[]").unwrap_or(first);
    if rest.is_empty() {
        if node.members().is_some() {
            set(node, key);
        }
        return;
    }
    if node.get(key).is_none_or(Node::is_null) {
        if !create || first.ends_with("[]") || node.members().is_none() {
            return;
        }
        node.set(key, Node::empty_map(origin.cloned()));
    }
    let Some(child) = node.get_mut(key) else { return };
    match &mut child.tree {
        Tree::Seq(items) => items.iter_mut().for_each(|item| visit(item, rest, create, origin, set)),
        Tree::Map(_) => visit(child, rest, create, origin, set),
        Tree::Scalar(_) => {}
    }
}

fn apply_specs(res: &mut Res, specs: &[FieldSpec], origin: Option<&Origin>, set: &mut dyn FnMut(&mut Node, &str)) {
    for spec in specs.iter() {
        if !spec.applies(res) {
            continue;
        }
        let segments: Vec<&str> = spec.path.split('/').collect();
        visit(&mut res.node, &segments, spec.create, origin, set);
    }
}

/// Merges `pairs` into the mapping at each field, creating it when the spec says so.
fn merge_pairs(res: &mut Res, specs: &[FieldSpec], pairs: &[(String, Node)], origin: Option<&Origin>) {
    apply_specs(res, specs, origin, &mut |parent, key| {
        let creating = parent.get(key).is_none_or(Node::is_null);
        let Some(map) = parent.entry_map(key, origin) else { return };
        if creating || map.members().is_some() {
            for (name, value) in pairs {
                map.set(name, value.clone());
            }
        }
    });
}

/// `key: value` pairs of a mapping entry, each value a string (as kustomize writes labels) with
/// the origin of its line.
fn string_pairs(node: Option<&Node>) -> Vec<(String, Node)> {
    node.and_then(Node::members)
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let text = match &value.tree {
                Tree::Scalar(serde_json::Value::String(text)) => text.clone(),
                Tree::Scalar(serde_json::Value::Null) => String::new(),
                Tree::Scalar(other) => other.to_string(),
                _ => value.to_value().to_string(),
            };
            (key.clone(), Node::string(&text, value.origin.clone()))
        })
        .collect()
}

pub(super) fn namespace(kustomization: &Kustomization, resources: &mut [Res]) {
    let Some(node) = kustomization.get("namespace") else { return };
    let Some(namespace) = node.as_str().filter(|namespace| !namespace.is_empty()) else { return };
    let origin = node.origin.as_ref();
    for res in resources.iter_mut() {
        res.remember_id();
        let kind = res.kind().to_owned();
        if kind == "Namespace" {
            if let Some(metadata) = res.node.entry_map("metadata", origin) {
                metadata.set("name", Node::string(namespace, origin.cloned()));
            }
        }
        if !is_cluster_scoped(&kind) {
            if let Some(metadata) = res.node.entry_map("metadata", origin) {
                metadata.set("namespace", Node::string(namespace, origin.cloned()));
            }
        }
        if matches!(kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            for subject in res.node.get_mut("subjects").and_then(Node::items_mut).into_iter().flatten() {
                if subject.str_at(&["name"]) == Some("default") {
                    subject.set("namespace", Node::string(namespace, origin.cloned()));
                }
            }
        }
        match kind.as_str() {
            "APIService" => {
                if let Some(spec) = res.node.get_mut("spec") {
                    visit(spec, &["service", "namespace"], true, origin, &mut |parent, key| {
                        parent.set(key, Node::string(namespace, origin.cloned()));
                    });
                }
            }
            "CustomResourceDefinition" => {
                let path = ["spec", "conversion", "webhook", "clientConfig", "service", "namespace"];
                visit(&mut res.node, &path, false, origin, &mut |parent, key| {
                    if parent.get(key).is_some() {
                        parent.set(key, Node::string(namespace, origin.cloned()));
                    }
                });
            }
            _ => {}
        }
    }
}

/// Kinds whose names kustomize never prefixes or suffixes.
fn keeps_name(res: &Res) -> bool {
    matches!(res.kind(), "CustomResourceDefinition" | "Namespace")
        || (res.kind() == "APIService" && res.group() == "apiregistration.k8s.io")
}

pub(super) fn name_affixes(kustomization: &Kustomization, resources: &mut [Res]) {
    let prefix = kustomization.get("namePrefix").filter(|node| node.as_str().is_some_and(|text| !text.is_empty()));
    let suffix = kustomization.get("nameSuffix").filter(|node| node.as_str().is_some_and(|text| !text.is_empty()));
    if prefix.is_none() && suffix.is_none() {
        return;
    }
    let origin = prefix.or(suffix).and_then(|node| node.origin.clone());
    let prefix = prefix.and_then(Node::as_str).unwrap_or("");
    let suffix = suffix.and_then(Node::as_str).unwrap_or("");
    for res in resources.iter_mut() {
        if keeps_name(res) {
            continue;
        }
        res.remember_id();
        let name = format!("{prefix}{}{suffix}", res.name());
        if let Some(metadata) = res.node.get_mut("metadata") {
            metadata.set("name", Node::string(&name, origin.clone()));
        }
    }
}

pub(super) fn labels(kustomization: &Kustomization, resources: &mut [Res]) {
    if let Some(common) = kustomization.get("commonLabels") {
        let pairs = string_pairs(Some(common));
        let mut specs = selector_specs();
        specs.extend(TEMPLATE_LABELS);
        for res in resources.iter_mut() {
            merge_pairs(res, &specs, &pairs, common.origin.as_ref());
        }
    }
    for entry in kustomization.get("labels").and_then(Node::items).into_iter().flatten() {
        let pairs = string_pairs(entry.get("pairs"));
        let flag = |key: &str| matches!(entry.get(key).map(Node::to_value), Some(serde_json::Value::Bool(true)));
        let mut specs = vec![spec("metadata/labels", None, None, true)];
        if flag("includeTemplates") || flag("includeSelectors") {
            specs = TEMPLATE_LABELS.into_iter().collect();
        }
        if flag("includeSelectors") {
            specs.extend(selector_specs());
        }
        let fields: Vec<(String, Option<String>, Option<String>, bool)> = entry
            .get("fields")
            .and_then(Node::items)
            .into_iter()
            .flatten()
            .filter_map(|field| {
                Some((
                    field.str_at(&["path"])?.to_owned(),
                    field.str_at(&["kind"]).map(str::to_owned),
                    field.str_at(&["group"]).map(str::to_owned),
                    matches!(field.get("create").map(Node::to_value), Some(serde_json::Value::Bool(true))),
                ))
            })
            .collect();
        for res in resources.iter_mut() {
            merge_pairs(res, &specs, &pairs, entry.origin.as_ref());
            for (path, kind, group, create) in &fields {
                let applies = kind.as_deref().is_none_or(|kind| kind == res.kind())
                    && group.as_deref().is_none_or(|group| group == res.group());
                if !applies {
                    continue;
                }
                let segments: Vec<&str> = path.split('/').collect();
                let origin = entry.origin.as_ref();
                visit(&mut res.node, &segments, *create, origin, &mut |parent, key| {
                    let creating = parent.get(key).is_none_or(Node::is_null);
                    if !creating || *create {
                        if let Some(map) = parent.entry_map(key, origin) {
                            for (name, value) in &pairs {
                                map.set(name, value.clone());
                            }
                        }
                    }
                });
            }
        }
    }
}

pub(super) fn annotations(kustomization: &Kustomization, resources: &mut [Res]) {
    let Some(common) = kustomization.get("commonAnnotations") else { return };
    let pairs = string_pairs(Some(common));
    for res in resources.iter_mut() {
        merge_pairs(res, &ANNOTATIONS, &pairs, common.origin.as_ref());
    }
}

const REPLICA_KINDS: [&str; 4] = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"];

pub(super) fn replicas(renderer: &mut Renderer, kustomization: &Kustomization, resources: &mut [Res]) {
    for entry in kustomization.get("replicas").and_then(Node::items).into_iter().flatten() {
        let Some(name) = entry.str_at(&["name"]) else {
            renderer.error(entry.origin.as_ref(), &kustomization.path, "a `replicas` entry needs a `name`".to_owned());
            continue;
        };
        let Some(count) = entry.get("count") else { continue };
        let count = Node { origin: count.origin.clone().or_else(|| entry.origin.clone()), tree: count.tree.clone() };
        let mut found = false;
        for res in resources.iter_mut().filter(|res| res.answers_to(name)) {
            if !REPLICA_KINDS.contains(&res.kind()) {
                continue;
            }
            found = true;
            if let Some(spec) = res.node.entry_map("spec", count.origin.as_ref()) {
                spec.set("replicas", count.clone());
            }
        }
        if !found {
            let message = format!("`replicas` names `{name}`, which is no Deployment, ReplicaSet, ReplicationController or StatefulSet of this kustomization");
            renderer.error(entry.origin.as_ref(), &kustomization.path, message);
        }
    }
}

/// An `images` entry.
struct ImageRule {
    name: String,
    new_name: Option<String>,
    new_tag: Option<String>,
    digest: Option<String>,
    tag_suffix: Option<String>,
    origin: Option<Origin>,
    pattern: Option<regex::Regex>,
}

impl ImageRule {
    fn read(entry: &Node) -> Option<ImageRule> {
        let text = |key: &str| -> Option<String> {
            entry.get(key).and_then(|node| match &node.tree {
                Tree::Scalar(serde_json::Value::String(text)) => Some(text.clone()),
                Tree::Scalar(serde_json::Value::Number(number)) => Some(number.to_string()),
                _ => None,
            })
        };
        let name = text("name")?;
        // kustomize matches `name` as a regular expression, optionally followed by a digest
        // and a tag.
        let pattern = regex::Regex::new(&format!("^{name}(@sha256)?(:[a-zA-Z0-9_.{{}}-]*)?$")).ok();
        Some(ImageRule {
            name,
            new_name: text("newName").filter(|t| !t.is_empty()),
            new_tag: text("newTag").filter(|t| !t.is_empty()),
            digest: text("digest").filter(|t| !t.is_empty()),
            tag_suffix: text("tagSuffix").filter(|t| !t.is_empty()),
            // The field that decides the image is the line to change: its digest, else its
            // tag, else its new name.
            origin: ["digest", "newTag", "tagSuffix", "newName"]
                .iter()
                .find_map(|key| entry.get(key).filter(|node| !node.is_null()).and_then(|node| node.origin.clone()))
                .or_else(|| entry.origin.clone()),
            pattern,
        })
    }

    fn matches(&self, image: &str) -> bool {
        match &self.pattern {
            Some(pattern) => pattern.is_match(image),
            None => image == self.name,
        }
    }

    fn rewrite(&self, image: &str) -> String {
        let (mut name, mut tag, mut digest) = split_image(image);
        if let Some(new_name) = &self.new_name {
            name = new_name.clone();
        }
        match (&self.new_tag, &self.digest) {
            (Some(new_tag), Some(new_digest)) => {
                tag = new_tag.clone();
                digest = new_digest.clone();
            }
            (Some(new_tag), None) => {
                tag = new_tag.clone();
                digest = String::new();
            }
            (None, Some(new_digest)) => {
                tag = String::new();
                digest = new_digest.clone();
            }
            (None, None) => {}
        }
        if let Some(suffix) = &self.tag_suffix {
            tag.push_str(suffix);
        }
        if !tag.is_empty() {
            name = format!("{name}:{tag}");
        }
        if !digest.is_empty() {
            name = format!("{name}@{digest}");
        }
        name
    }
}

/// An image reference's name, tag and digest, split as kustomize splits them (a `:` in the
/// registry's host is not a tag).
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|at| *at > 0).unwrap_or(0);
    let search = image.get(slash..).unwrap_or("");
    let at = search.find('@').map(|at| at + slash);
    let colon = search.find(':').map(|at| at + slash);
    let cut = |from: usize, to: usize| image.get(from..to).unwrap_or("").to_owned();
    match (colon, at) {
        (None, None) => (image.to_owned(), String::new(), String::new()),
        (None, Some(at)) => (cut(0, at), String::new(), cut(at + 1, image.len())),
        (Some(colon), Some(at)) if at < colon => (cut(0, at), String::new(), cut(at + 1, image.len())),
        (Some(colon), Some(at)) => (cut(0, colon), cut(colon + 1, at), cut(at + 1, image.len())),
        (Some(colon), None) => (cut(0, colon), cut(colon + 1, image.len()), String::new()),
    }
}

pub(super) fn images(kustomization: &Kustomization, resources: &mut [Res]) {
    let rules: Vec<ImageRule> =
        kustomization.get("images").and_then(Node::items).into_iter().flatten().filter_map(ImageRule::read).collect();
    if rules.is_empty() {
        return;
    }
    // Each entry is a transformer of its own, run in order: a later entry sees what an earlier
    // one wrote.
    for rule in &rules {
        for res in resources.iter_mut() {
            rewrite_images(&mut res.node, rule, 0);
        }
    }
}

/// Every `containers` and `initContainers` list anywhere in the object, as kustomize's image
/// transformer walks them.
fn rewrite_images(node: &mut Node, rule: &ImageRule, depth: usize) {
    if depth > 64 {
        return;
    }
    match &mut node.tree {
        Tree::Map(members) => {
            for (key, member) in members.iter_mut() {
                if matches!(key.as_str(), "containers" | "initContainers") {
                    for container in member.items_mut().into_iter().flatten() {
                        rewrite_container(container, rule);
                    }
                }
                rewrite_images(member, rule, depth + 1);
            }
        }
        Tree::Seq(items) => items.iter_mut().for_each(|item| rewrite_images(item, rule, depth + 1)),
        Tree::Scalar(_) => {}
    }
}

fn rewrite_container(container: &mut Node, rule: &ImageRule) {
    let Some(image) = container.str_at(&["image"]).map(str::to_owned) else { return };
    if rule.matches(&image) {
        let rewritten = rule.rewrite(&image);
        container.set("image", Node::string(&rewritten, rule.origin.clone()));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn images_split_as_kustomize_splits_them() {
        let cases = [
            ("nginx", ("nginx", "", "")),
            ("nginx:1.2", ("nginx", "1.2", "")),
            ("localhost:5000/app:v1", ("localhost:5000/app", "v1", "")),
            ("app@sha256:abc", ("app", "", "sha256:abc")),
            ("app:v1@sha256:abc", ("app", "v1", "sha256:abc")),
        ];
        for (image, (name, tag, digest)) in cases {
            assert_eq!(split_image(image), (name.to_owned(), tag.to_owned(), digest.to_owned()), "{image}");
        }
    }
}
