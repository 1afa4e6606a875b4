//! The last steps of a build, once for the whole of it as kustomize does them: generated
//! objects get their content hash appended to their name, every reference to an object that
//! was renamed (prefix, suffix, hash) is rewritten to its new name, and the objects are put in
//! kustomize's legacy output order.

use crate::go_text::json_string;

use sha2::{Digest, Sha256};

use super::Res;
use crate::render::tracked::{Node, Tree};

pub(super) fn finish(mut resources: Vec<Res>) -> Vec<Res> {
    for res in resources.iter_mut().filter(|res| res.needs_hash) {
        let Some(hash) = content_hash(res) else { continue };
        res.remember_id();
        let name = format!("{}-{hash}", res.name());
        let origin = res.node.at(&["metadata", "name"]).and_then(|node| node.origin.clone());
        if let Some(metadata) = res.node.get_mut("metadata") {
            metadata.set("name", Node::string(&name, origin));
        }
    }
    fix_references(&mut resources);
    resources.sort_by_key(order_key);
    resources
}

/// kustomize's hash of a generated ConfigMap or Secret: SHA-256 of the JSON of its kind, data
/// (and type, immutable, binaryData) and an empty name — kustomize v5 hashes the object before it
/// names it, so a prefix or suffix does not change the hash — the first ten hex digits with
/// vowel-like digits swapped for consonants.
fn content_hash(res: &Res) -> Option<String> {
    let mut fields: Vec<(&str, String)> =
        vec![("kind", json_string(res.kind(), true)), ("name", json_string("", true))];
    let data = res.node.get("data").map_or_else(|| "{}".to_owned(), go_json_map);
    fields.push(("data", data));
    match res.kind() {
        "ConfigMap" => {
            if let Some(binary) =
                res.node.get("binaryData").filter(|node| node.members().is_some_and(|m| !m.is_empty()))
            {
                fields.push(("binaryData", go_json_map(binary)));
            }
        }
        "Secret" => {
            let secret_type = res.node.str_at(&["type"]).unwrap_or("");
            fields.push(("type", json_string(secret_type, true)));
        }
        _ => return None,
    }
    if let Some(immutable) = res.node.get("immutable").map(Node::to_value) {
        fields.push(("immutable", immutable.to_string()));
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = fields.iter().map(|(key, value)| format!("{}:{value}", json_string(key, true))).collect();
    let encoded = format!("{{{}}}", body.join(","));
    let digest = data_encoding::HEXLOWER.encode(&Sha256::digest(encoded.as_bytes()));
    Some(
        digest
            .chars()
            .take(10)
            .map(|c| match c {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                other => other,
            })
            .collect(),
    )
}

/// A string map as Go's `json.Marshal` writes it: keys sorted, values as strings.
fn go_json_map(node: &Node) -> String {
    let mut pairs: Vec<(String, String)> = node
        .members()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let text = match value.to_value() {
                serde_json::Value::String(text) => text,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (key.clone(), text)
        })
        .collect();
    pairs.sort();
    let body: Vec<String> =
        pairs.iter().map(|(key, value)| format!("{}:{}", json_string(key, true), json_string(value, true))).collect();
    format!("{{{}}}", body.join(","))
}

/// Which fields name an object of a kind: kustomize's `nameReference` configuration, as
/// `(referred kind, referring kind, path)`. A path ends at a string, a list of strings, or a
/// mapping whose `name` is the reference.
fn referrers() -> &'static [(&'static str, &'static str, String)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, &'static str, String)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(referrer_table)
}

fn referrer_table() -> Vec<(&'static str, &'static str, String)> {
    let mut out: Vec<(&'static str, &'static str, String)> = Vec::new();
    let pod_paths = |prefix: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("ConfigMap", format!("{prefix}volumes/configMap/name")),
            ("ConfigMap", format!("{prefix}containers/env/valueFrom/configMapKeyRef/name")),
            ("ConfigMap", format!("{prefix}initContainers/env/valueFrom/configMapKeyRef/name")),
            ("ConfigMap", format!("{prefix}containers/envFrom/configMapRef/name")),
            ("ConfigMap", format!("{prefix}initContainers/envFrom/configMapRef/name")),
            ("ConfigMap", format!("{prefix}volumes/projected/sources/configMap/name")),
            ("Secret", format!("{prefix}volumes/secret/secretName")),
            ("Secret", format!("{prefix}containers/env/valueFrom/secretKeyRef/name")),
            ("Secret", format!("{prefix}initContainers/env/valueFrom/secretKeyRef/name")),
            ("Secret", format!("{prefix}containers/envFrom/secretRef/name")),
            ("Secret", format!("{prefix}initContainers/envFrom/secretRef/name")),
            ("Secret", format!("{prefix}imagePullSecrets/name")),
            ("Secret", format!("{prefix}volumes/projected/sources/secret/name")),
            ("ServiceAccount", format!("{prefix}serviceAccountName")),
            ("PersistentVolumeClaim", format!("{prefix}volumes/persistentVolumeClaim/claimName")),
            ("PriorityClass", format!("{prefix}priorityClassName")),
        ]
    };
    let workloads: [(&'static str, &'static str); 7] = [
        ("Pod", "spec/"),
        ("Deployment", "spec/template/spec/"),
        ("ReplicaSet", "spec/template/spec/"),
        ("DaemonSet", "spec/template/spec/"),
        ("StatefulSet", "spec/template/spec/"),
        ("Job", "spec/template/spec/"),
        ("CronJob", "spec/jobTemplate/spec/template/spec/"),
    ];
    for (kind, prefix) in workloads {
        for (referred, path) in pod_paths(prefix) {
            out.push((referred, kind, path));
        }
    }
    // ReplicationController: service accounts, claims and priority classes only.
    for (referred, path) in [
        ("ServiceAccount", "spec/template/spec/serviceAccountName"),
        ("PersistentVolumeClaim", "spec/template/spec/volumes/persistentVolumeClaim/claimName"),
        ("PriorityClass", "spec/template/spec/priorityClassName"),
    ] {
        out.push((referred, "ReplicationController", path.to_owned()));
    }
    let others: [(&'static str, &'static str, &'static str); 34] = [
        ("Deployment", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name"),
        ("ReplicationController", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name"),
        ("ReplicaSet", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name"),
        ("StatefulSet", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name"),
        ("ConfigMap", "Role", "rules/resourceNames"),
        ("ConfigMap", "ClusterRole", "rules/resourceNames"),
        ("Secret", "Role", "rules/resourceNames"),
        ("Secret", "ClusterRole", "rules/resourceNames"),
        ("Secret", "Ingress", "spec/tls/secretName"),
        ("Secret", "ServiceAccount", "imagePullSecrets/name"),
        ("Secret", "StorageClass", "parameters/secretName"),
        ("Secret", "StorageClass", "parameters/adminSecretName"),
        ("Secret", "StorageClass", "parameters/userSecretName"),
        ("Secret", "StorageClass", "parameters/secretRef"),
        ("Secret", "PersistentVolume", "spec/azureFile/secretName"),
        ("Service", "StatefulSet", "spec/serviceName"),
        ("Service", "Ingress", "spec/rules/http/paths/backend/serviceName"),
        ("Service", "Ingress", "spec/backend/serviceName"),
        ("Service", "Ingress", "spec/rules/http/paths/backend/service/name"),
        ("Service", "Ingress", "spec/defaultBackend/service/name"),
        ("Service", "APIService", "spec/service/name"),
        ("Service", "ValidatingWebhookConfiguration", "webhooks/clientConfig/service"),
        ("Service", "MutatingWebhookConfiguration", "webhooks/clientConfig/service"),
        ("Role", "RoleBinding", "roleRef/name"),
        ("ClusterRole", "RoleBinding", "roleRef/name"),
        ("ClusterRole", "ClusterRoleBinding", "roleRef/name"),
        ("ServiceAccount", "RoleBinding", "subjects"),
        ("ServiceAccount", "ClusterRoleBinding", "subjects"),
        ("PersistentVolume", "PersistentVolumeClaim", "spec/volumeName"),
        ("PersistentVolume", "ClusterRole", "rules/resourceNames"),
        ("StorageClass", "PersistentVolume", "spec/storageClassName"),
        ("StorageClass", "PersistentVolumeClaim", "spec/storageClassName"),
        ("StorageClass", "StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName"),
        ("IngressClass", "Ingress", "spec/ingressClassName"),
    ];
    out.extend(others.into_iter().map(|(referred, referrer, path)| (referred, referrer, path.to_owned())));
    out
}

/// A renamed object: its kind, the names it had, its name and namespace now.
struct Renamed {
    kind: String,
    previous: Vec<(String, Option<String>)>,
    name: String,
    namespace: Option<String>,
    cluster_scoped: bool,
}

fn fix_references(resources: &mut [Res]) {
    let renamed: Vec<Renamed> = resources
        .iter()
        .filter(|res| {
            res.previous.iter().any(|(name, namespace)| name != res.name() || namespace.as_deref() != res.namespace())
        })
        .map(|res| Renamed {
            kind: res.kind().to_owned(),
            previous: res.previous.clone(),
            name: res.name().to_owned(),
            namespace: res.namespace().map(str::to_owned),
            cluster_scoped: super::transform::is_cluster_scoped(res.kind()),
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    let table = referrers();
    for res in resources.iter_mut() {
        let kind = res.kind().to_owned();
        let namespace = res.namespace().map(str::to_owned);
        for (referred, _, path) in table.iter().filter(|(_, referrer, _)| *referrer == kind) {
            let candidates: Vec<&Renamed> = renamed.iter().filter(|r| r.kind == *referred).collect();
            if candidates.is_empty() {
                continue;
            }
            let segments: Vec<&str> = path.split('/').collect();
            rewrite(&mut res.node, &segments, &candidates, namespace.as_deref(), referred);
        }
    }
}

/// The object a reference by `name` from an object in `namespace` means: one that had that
/// name, in the same namespace when it is namespaced.
fn referral<'r>(candidates: &[&'r Renamed], name: &str, namespace: Option<&str>) -> Option<&'r Renamed> {
    let had_name = |r: &&&Renamed| r.previous.iter().any(|(previous, _)| previous == name);
    let same_namespace = |r: &&&Renamed| r.cluster_scoped || r.namespace.as_deref() == namespace;
    candidates.iter().filter(had_name).find(same_namespace).or_else(|| candidates.iter().find(had_name)).copied()
}

fn rewrite(node: &mut Node, segments: &[&str], candidates: &[&Renamed], namespace: Option<&str>, referred: &str) {
    let Some((first, rest)) = segments.split_first() else {
        rewrite_value(node, candidates, namespace, referred);
        return;
    };
    let Some(child) = node.get_mut(first) else { return };
    match &mut child.tree {
        Tree::Seq(items) if !rest.is_empty() => {
            items.iter_mut().for_each(|item| rewrite(item, rest, candidates, namespace, referred));
        }
        _ => rewrite(child, rest, candidates, namespace, referred),
    }
}

fn rewrite_value(node: &mut Node, candidates: &[&Renamed], namespace: Option<&str>, referred: &str) {
    match &mut node.tree {
        Tree::Scalar(serde_json::Value::String(name)) => {
            if let Some(target) = referral(candidates, name, namespace) {
                if *name != target.name {
                    *name = target.name.clone();
                }
            }
        }
        Tree::Seq(items) => items.iter_mut().for_each(|item| rewrite_value(item, candidates, namespace, referred)),
        Tree::Map(_) => {
            // A subject (`kind`, `name`, `namespace`) or a webhook's service (`name`, `namespace`).
            if node.str_at(&["kind"]).is_some_and(|kind| kind != referred) {
                return;
            }
            let Some(name) = node.str_at(&["name"]).map(str::to_owned) else { return };
            let in_namespace = node.str_at(&["namespace"]).map(str::to_owned).or_else(|| namespace.map(str::to_owned));
            let Some(target) = referral(candidates, &name, in_namespace.as_deref()) else { return };
            let origin = node.get("name").and_then(|n| n.origin.clone());
            node.set("name", Node::string(&target.name, origin));
            // A subject names its namespace: kustomize writes the one the object is in now.
            if let Some(new_namespace) = &target.namespace {
                let origin = node.get("namespace").and_then(|n| n.origin.clone()).or_else(|| node.origin.clone());
                node.set("namespace", Node::string(new_namespace, origin));
            }
        }
        Tree::Scalar(_) => {}
    }
}

/// kustomize's legacy order: namespaces, then what others need first, by kind; webhooks last.
const FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const LAST: [&str; 2] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

fn order_key(res: &Res) -> (i64, String, String, String) {
    let kind = res.kind();
    let rank = match (FIRST.iter().position(|k| *k == kind), LAST.iter().position(|k| *k == kind)) {
        (Some(at), _) => i64::try_from(at).unwrap_or(0) - 100,
        (None, Some(at)) => i64::try_from(at).unwrap_or(0) + 1,
        (None, None) => 0,
    };
    let gvk = format!("{}.{}.{}", kind, res.version(), res.group());
    (rank, gvk, res.namespace().unwrap_or("").to_owned(), res.name().to_owned())
}
