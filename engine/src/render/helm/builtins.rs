//! The objects every template sees besides `.Values`, as Helm builds them for `helm template`:
//! `.Release` (`release-name`, namespace `default`, an install), `.Chart` (the chart's
//! `Chart.yaml` under Helm's Go field names), `.Capabilities` (Helm's defaults — Kubernetes
//! v1.31.0 and the API versions Helm knows without a cluster — or the cluster `ward.toml`
//! describes), `.Files` and `.Template`.

use std::collections::BTreeMap;

use super::chart::Chart;
use crate::config::HelmCluster;
use crate::render::gotemplate::Value;
use crate::render::tracked::Node;

/// The Kubernetes version `helm template` assumes without a cluster: Helm 3.16 is built with
/// client-go v0.31, and its `chartutil.DefaultCapabilities` says v1.31.0.
pub(crate) const KUBE_VERSION: (u64, u64, u64) = (1, 31, 0);

/// What `.Capabilities.APIVersions.Has` answers true for without a cluster: Helm's
/// `DefaultVersionSet`, every group/version client-go's scheme registers (betas and alphas
/// included, kinds not: `Has "apps/v1/Deployment"` is false in `helm template`) and the two of
/// `apiextensions.k8s.io`. `[helm] api_versions` adds to them, as `--api-versions` does.
const API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1alpha1",
    "certificates.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "coordination.k8s.io/v1alpha1",
    "coordination.k8s.io/v1beta1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1alpha1",
    "rbac.authorization.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storage.k8s.io/v1beta1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1",
    "apiextensions.k8s.io/v1beta1",
];

/// `Chart.yaml`'s keys and the Go field names templates use for them (`.Chart.AppVersion`).
const CHART_FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("home", "Home"),
    ("sources", "Sources"),
    ("version", "Version"),
    ("description", "Description"),
    ("keywords", "Keywords"),
    ("maintainers", "Maintainers"),
    ("icon", "Icon"),
    ("apiVersion", "APIVersion"),
    ("condition", "Condition"),
    ("tags", "Tags"),
    ("appVersion", "AppVersion"),
    ("deprecated", "Deprecated"),
    ("annotations", "Annotations"),
    ("kubeVersion", "KubeVersion"),
    ("dependencies", "Dependencies"),
    ("type", "Type"),
];

/// The string fields of Helm's `chart.Metadata`: present (empty) when `Chart.yaml` leaves them out.
const STRING_FIELDS: &[&str] = &[
    "Name",
    "Home",
    "Version",
    "Description",
    "Icon",
    "APIVersion",
    "Condition",
    "Tags",
    "AppVersion",
    "KubeVersion",
    "Type",
];

/// `.Chart`.
pub(crate) fn chart_object(chart: &Chart, is_root: bool) -> Value {
    let mut members: BTreeMap<String, Value> =
        STRING_FIELDS.iter().map(|field| ((*field).to_owned(), Value::string(""))).collect();
    for (key, field) in CHART_FIELDS {
        let Some(node) = chart.metadata.get(key) else { continue };
        let value = match *key {
            "maintainers" => maintainers(node),
            _ => Value::from_tracked(&stringified(node, STRING_FIELDS.contains(field))),
        };
        members.insert((*field).to_owned(), value);
    }
    // An alias renames the chart for its parent and for its own templates.
    members.insert(
        "Name".to_owned(),
        Value::string(chart.name.as_str()).with_origin(chart.metadata.get("name").and_then(|node| node.origin.clone())),
    );
    members.insert("IsRoot".to_owned(), Value::bool(is_root));
    Value::map(members)
}

/// A scalar of a string field as the string Go reads it into (`appVersion: 1.10` is `"1.10"`).
fn stringified(node: &Node, string_field: bool) -> Node {
    match (&node.tree, string_field) {
        (crate::render::tracked::Tree::Scalar(serde_json::Value::Number(number)), true) => {
            Node::string(&number.to_string(), node.origin.clone())
        }
        (crate::render::tracked::Tree::Scalar(serde_json::Value::Bool(state)), true) => {
            Node::string(&state.to_string(), node.origin.clone())
        }
        _ => node.clone(),
    }
}

/// `maintainers` with Go's field names (`Name`, `Email`, `URL`).
fn maintainers(node: &Node) -> Value {
    let items = node.items().map(Vec::as_slice).unwrap_or_default();
    Value::list(
        items
            .iter()
            .map(|item| {
                let field = |key: &str| item.get(key).map_or_else(|| Value::string(""), Value::from_tracked);
                Value::map(BTreeMap::from([
                    ("Name".to_owned(), field("name")),
                    ("Email".to_owned(), field("email")),
                    ("URL".to_owned(), field("url")),
                ]))
            })
            .collect(),
    )
}

/// `.Release` as `helm template CHART` gives it when no release name is given: named
/// `release-name`, so that names made by a chart's usual `fullname` helper
/// (`release-name-<chart>`) are the ones other scanners of `helm template`'s output report.
pub(crate) fn release() -> Value {
    Value::map(BTreeMap::from([
        ("Name".to_owned(), Value::string("release-name")),
        ("Namespace".to_owned(), Value::string("default")),
        ("IsInstall".to_owned(), Value::bool(true)),
        ("IsUpgrade".to_owned(), Value::bool(false)),
        ("Revision".to_owned(), Value::int(1)),
        ("Service".to_owned(), Value::string("Helm")),
    ]))
}

/// `.Capabilities` for a render told of `cluster` (`[helm]` in `ward.toml`), Helm's defaults
/// where it says nothing.
pub(crate) fn capabilities(cluster: &HelmCluster) -> Value {
    let (major, minor, version) = match &cluster.kube_version {
        Some(configured) => (configured.major, configured.minor, configured.to_string()),
        None => {
            let (major, minor, patch) = KUBE_VERSION;
            (major, minor, format!("v{major}.{minor}.{patch}"))
        }
    };
    let kube_version = Value::map(BTreeMap::from([
        ("Version".to_owned(), Value::string(version.as_str())),
        ("GitVersion".to_owned(), Value::string(version.as_str())),
        ("Major".to_owned(), Value::string(major.to_string())),
        ("Minor".to_owned(), Value::string(minor.to_string())),
    ]));
    let helm_version = Value::map(BTreeMap::from([
        ("Version".to_owned(), Value::string("v3.16.0")),
        ("GitCommit".to_owned(), Value::string("")),
        ("GitTreeState".to_owned(), Value::string("")),
        ("GoVersion".to_owned(), Value::string("go1.22")),
    ]));
    let versions = API_VERSIONS.iter().map(|v| (*v).to_owned()).chain(cluster.api_versions.iter().cloned()).collect();
    Value::map(BTreeMap::from([
        ("KubeVersion".to_owned(), kube_version),
        ("APIVersions".to_owned(), Value::api_versions(versions)),
        ("HelmVersion".to_owned(), helm_version),
    ]))
}

/// `.Files`: the chart's files that are not templates, values or `Chart.yaml`, by their path
/// in the chart, to 8 MiB in all.
pub(crate) fn files(chart: &Chart) -> Value {
    const MAX_FILES_BYTES: usize = 8 * 1024 * 1024;
    let mut total = 0;
    let mut files = BTreeMap::new();
    for file in &chart.files {
        total += file.text.len();
        if total > MAX_FILES_BYTES {
            break;
        }
        files.insert(file.name.clone(), file.text.clone());
    }
    Value::files(files)
}

/// `.Template` for the template `name` of a chart whose templates are under `base_path`.
pub(crate) fn template(name: &str, base_path: &str) -> Value {
    Value::map(BTreeMap::from([
        ("Name".to_owned(), Value::string(name)),
        ("BasePath".to_owned(), Value::string(base_path)),
    ]))
}
