//! Workloads: the one place that knows where each kind of Kubernetes object keeps the pods it
//! runs, and what the kubelet makes of their settings. For an object of a workload kind it
//! derives, once per scan, the path of its pod template and pod spec, and every container (init
//! and ephemeral ones too) with the security settings that apply to it: a container's own
//! `securityContext` field, else the legacy annotation naming it, else the pod's field, else the
//! pod's legacy annotation — in the order the kubelet reads them. Rules read these facts
//! (`meta.workload`, and `workload` on the graph's resources) instead of each knowing the kinds.

use serde::Serialize;
use serde_json::{Map, Value};

/// A kind of object that runs pods, and where its pod template is.
struct WorkloadKind {
    /// The API groups that define it (`""` is the core group, `v1`). A kind is a workload only
    /// in these groups: Knative's `serving.knative.dev` `Service` runs pods, the core `Service`
    /// does not.
    groups: &'static [&'static str],
    kind: &'static str,
    /// The path of the pod template: what holds the pod's `metadata` and `spec`. Empty when
    /// the object is the pod itself (a Pod, a Knative Revision).
    template: &'static [&'static str],
    /// Whether its pods run to completion (Jobs) instead of serving until they are replaced.
    runs_to_completion: bool,
}

const fn workload(
    groups: &'static [&'static str],
    kind: &'static str,
    template: &'static [&'static str],
    runs_to_completion: bool,
) -> WorkloadKind {
    WorkloadKind { groups, kind, template, runs_to_completion }
}

const SPEC_TEMPLATE: &[&str] = &["spec", "template"];

/// Every workload kind ward knows. `extensions` is where Deployments, DaemonSets and
/// ReplicaSets lived before `apps`; OpenShift 3 served DeploymentConfig from the core group.
const WORKLOAD_KINDS: &[WorkloadKind] = &[
    workload(&[""], "Pod", &[], false),
    workload(&[""], "PodTemplate", &["template"], false),
    workload(&[""], "ReplicationController", SPEC_TEMPLATE, false),
    workload(&["apps", "extensions"], "Deployment", SPEC_TEMPLATE, false),
    workload(&["apps"], "StatefulSet", SPEC_TEMPLATE, false),
    workload(&["apps", "extensions"], "DaemonSet", SPEC_TEMPLATE, false),
    workload(&["apps", "extensions"], "ReplicaSet", SPEC_TEMPLATE, false),
    workload(&["batch"], "Job", SPEC_TEMPLATE, true),
    workload(&["batch"], "CronJob", &["spec", "jobTemplate", "spec", "template"], true),
    workload(&["serving.knative.dev"], "Service", SPEC_TEMPLATE, false),
    workload(&["serving.knative.dev"], "Configuration", SPEC_TEMPLATE, false),
    workload(&["serving.knative.dev"], "Revision", &[], false),
    workload(&["argoproj.io"], "Rollout", SPEC_TEMPLATE, false),
    workload(&["apps.openshift.io", ""], "DeploymentConfig", SPEC_TEMPLATE, false),
    workload(&["keda.sh"], "ScaledJob", &["spec", "jobTargetRef", "template"], true),
];

/// The lists of a pod spec that hold containers.
const CONTAINER_GROUPS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// The `securityContext` fields a container inherits from its pod's when it does not set its
/// own. (`privileged`, `allowPrivilegeEscalation`, `capabilities`, `readOnlyRootFilesystem` and
/// `procMount` exist on containers only.)
const INHERITED: [&str; 6] =
    ["runAsNonRoot", "runAsUser", "runAsGroup", "seccompProfile", "seLinuxOptions", "appArmorProfile"];

/// The pod's seccomp profile before the `seccompProfile` field (Kubernetes 1.19), and the
/// prefix of a container's. The kubelet read them until 1.27; the API server copied them into
/// the fields of pods created until then, so they still decide what older clusters run.
const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";
/// A container's AppArmor profile before the `appArmorProfile` field (Kubernetes 1.30).
const APPARMOR_CONTAINER_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The facts about one workload object that rules read.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Workload {
    /// Path of the pod template (the value holding the pod's `metadata` and `spec`); empty
    /// when the object is the pod.
    template: Vec<&'static str>,
    /// Path of the pod spec.
    pod_spec: Vec<&'static str>,
    /// Whether the pods run to completion (Job, CronJob, KEDA ScaledJob).
    runs_to_completion: bool,
    /// Every container of the pod spec, containers first, then init and ephemeral ones.
    containers: Vec<Container>,
}

/// One container and the settings that apply to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Container {
    /// Its `name`, when it has one.
    name: Option<String>,
    /// `containers`, `initContainers` or `ephemeralContainers`.
    group: &'static str,
    /// Its position in that list.
    index: usize,
    /// Its path in the object.
    path: Vec<Value>,
    /// An init container with `restartPolicy: Always`: a sidecar that runs beside the
    /// containers for the pod's whole life.
    sidecar: bool,
    /// For each inherited field that is set somewhere, the value that applies and where it is.
    security: Map<String, Value>,
}

/// Where a setting that applies to a container comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Source {
    Container,
    ContainerAnnotation,
    Pod,
    PodAnnotation,
}

/// The workload kind of an object, by its `apiVersion` group and `kind`.
fn kind_of(object: &Value) -> Option<&'static WorkloadKind> {
    let kind = object.get("kind").and_then(Value::as_str)?;
    let api_version = object.get("apiVersion").and_then(Value::as_str)?;
    // `apps/v1` is group `apps`; `v1` is the core group.
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    WORKLOAD_KINDS.iter().find(|known| known.kind == kind && known.groups.contains(&group))
}

/// The value at `path` below `value`, following object keys.
fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, key| value.get(key))
}

/// A workload object's pod template (the value holding the pod's `metadata` and `spec`):
/// `None` for objects of other kinds, and for a workload without one (an Argo Rollout that
/// runs a Deployment's pods through `workloadRef`).
pub(crate) fn pod_template(object: &Value) -> Option<&Value> {
    let kind = kind_of(object)?;
    at(object, kind.template).filter(|template| template.get("spec").is_some_and(Value::is_object))
}

/// The facts rules read about an object of a workload kind; `None` for objects of other kinds.
/// A workload without a pod spec (an Argo Rollout that runs a Deployment's pods through
/// `workloadRef`, an object cut short) has the paths where its kind keeps one, and no
/// containers.
fn facts(object: &Value) -> Option<Workload> {
    let kind = kind_of(object)?;
    let template = at(object, kind.template);
    let spec = template.and_then(|template| template.get("spec")).filter(|spec| spec.is_object());
    let pod_spec: Vec<&'static str> = kind.template.iter().copied().chain(["spec"]).collect();
    let pod = Pod {
        template_path: kind.template,
        pod_spec_path: &pod_spec,
        security: spec.and_then(|spec| spec.get("securityContext")),
        annotations: template
            .and_then(|template| template.get("metadata"))
            .and_then(|metadata| metadata.get("annotations")),
    };
    let mut containers = Vec::new();
    for group in CONTAINER_GROUPS {
        let list = spec.and_then(|spec| spec.get(group)).and_then(Value::as_array);
        for (index, container) in list.into_iter().flatten().enumerate() {
            if container.is_object() {
                containers.push(pod.container(group, index, container));
            }
        }
    }
    Some(Workload {
        template: kind.template.to_vec(),
        pod_spec: pod_spec.clone(),
        runs_to_completion: kind.runs_to_completion,
        containers,
    })
}

/// [`facts`] as the JSON rules see.
pub(crate) fn facts_json(object: &Value) -> Option<Value> {
    facts(object).and_then(|workload| serde_json::to_value(workload).ok())
}

/// The pod-level places a container's settings can come from.
struct Pod<'a> {
    template_path: &'static [&'static str],
    pod_spec_path: &'a [&'static str],
    /// The pod's `securityContext`.
    security: Option<&'a Value>,
    /// The pod template's annotations.
    annotations: Option<&'a Value>,
}

impl Pod<'_> {
    fn container(&self, group: &'static str, index: usize, container: &Value) -> Container {
        let name = container.get("name").and_then(Value::as_str).map(str::to_owned);
        let path: Vec<Value> = self
            .pod_spec_path
            .iter()
            .map(|key| Value::from(*key))
            .chain([Value::from(group), Value::from(index)])
            .collect();
        let sidecar =
            group == "initContainers" && container.get("restartPolicy").and_then(Value::as_str) == Some("Always");
        let own = container.get("securityContext");
        let mut security = Map::new();
        for field in INHERITED {
            if let Some(applied) = self.applied(field, own, &path, name.as_deref()) {
                security.insert(field.to_owned(), applied);
            }
        }
        Container { name, group, index, path, sidecar, security }
    }

    /// The value of `field` that applies to a container (`own` is its `securityContext`), as
    /// `{value, from, path}`; `None` when nothing sets it. A `null` sets nothing.
    fn applied(&self, field: &str, own: Option<&Value>, container_path: &[Value], name: Option<&str>) -> Option<Value> {
        let set = |value: Option<&Value>| value.filter(|value| !value.is_null()).cloned();
        if let Some(value) = set(own.and_then(|security| security.get(field))) {
            let path = container_path.iter().cloned().chain([Value::from("securityContext"), Value::from(field)]);
            return Some(applied(value, Source::Container, path.collect()));
        }
        let container_annotation = match field {
            "seccompProfile" => Some(SECCOMP_CONTAINER_ANNOTATION),
            "appArmorProfile" => Some(APPARMOR_CONTAINER_ANNOTATION),
            _ => None,
        };
        if let (Some(prefix), Some(name)) = (container_annotation, name) {
            if let Some(applied) = self.annotation(&format!("{prefix}{name}"), Source::ContainerAnnotation) {
                return Some(applied);
            }
        }
        if let Some(value) = set(self.security.and_then(|security| security.get(field))) {
            let path = self.pod_spec_path.iter().copied().chain(["securityContext", field]).map(Value::from);
            return Some(applied(value, Source::Pod, path.collect()));
        }
        if field == "seccompProfile" {
            return self.annotation(SECCOMP_POD_ANNOTATION, Source::PodAnnotation);
        }
        None
    }

    /// A legacy profile annotation of the pod template, read as the field it stands for.
    fn annotation(&self, key: &str, source: Source) -> Option<Value> {
        let written = self.annotations.and_then(|annotations| annotations.get(key)).and_then(Value::as_str)?;
        let path = self.template_path.iter().copied().chain(["metadata", "annotations", key]).map(Value::from);
        Some(applied(profile_of_annotation(written), source, path.collect()))
    }
}

fn applied(value: Value, from: Source, path: Vec<Value>) -> Value {
    serde_json::json!({"value": value, "from": from, "path": path})
}

/// A legacy seccomp or AppArmor annotation's value as the profile field it stands for:
/// `runtime/default` (and seccomp's older `docker/default`) is `RuntimeDefault`,
/// `localhost/<profile>` is `Localhost` with that profile, `unconfined` is `Unconfined`.
/// Anything else keeps its text as the type, which no rule allows.
fn profile_of_annotation(written: &str) -> Value {
    match written {
        "runtime/default" | "docker/default" => serde_json::json!({"type": "RuntimeDefault"}),
        "unconfined" => serde_json::json!({"type": "Unconfined"}),
        _ => match written.strip_prefix("localhost/") {
            Some(profile) => serde_json::json!({"type": "Localhost", "localhostProfile": profile}),
            None => serde_json::json!({"type": written}),
        },
    }
}

#[cfg(test)]
mod tests {
    //! Data-driven: `testdata/kubernetes/workloads.yaml` holds the cases, each an object and
    //! what ward must derive from it.

    use super::*;

    fn cases() -> Vec<Value> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/kubernetes/workloads.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = serde_saphyr::from_str::<Value>(&text).unwrap();
        parsed.as_array().unwrap().clone()
    }

    /// Every case's object gives the facts its `expect` lists (`null`: not a workload). The
    /// expectation is compact: each container as `{name, group, sidecar, security}`, with each
    /// setting as `[value, from, path]`.
    #[test]
    fn workload_facts_follow_the_kubelet() {
        for case in cases() {
            let name = case["name"].as_str().unwrap();
            let facts = facts_json(&case["object"]);
            let expect = &case["expect"];
            if expect.is_null() {
                assert_eq!(facts, None, "{name}");
                continue;
            }
            let facts = facts.unwrap_or_else(|| panic!("{name}: not read as a workload"));
            assert_eq!(facts["pod_spec"], expect["pod_spec"], "{name}: pod_spec");
            if let Some(template) = expect.get("template") {
                assert_eq!(&facts["template"], template, "{name}: template");
            }
            if let Some(batch) = expect.get("runs_to_completion") {
                assert_eq!(&facts["runs_to_completion"], batch, "{name}: runs_to_completion");
            }
            let Some(expected_containers) = expect.get("containers") else { continue };
            let containers: Vec<Value> = facts["containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let security: Map<String, Value> = c["security"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(field, s)| (field.clone(), serde_json::json!([s["value"], s["from"], s["path"]])))
                        .collect();
                    let mut compact = serde_json::json!({"name": c["name"], "group": c["group"]});
                    if c["sidecar"] == true {
                        compact["sidecar"] = true.into();
                    }
                    if !security.is_empty() {
                        compact["security"] = security.into();
                    }
                    compact
                })
                .collect();
            assert_eq!(&Value::from(containers), expected_containers, "{name}: containers");
            for container in facts["containers"].as_array().unwrap() {
                let pointer = crate::document::pointer_from_tokens(
                    container["path"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_owned)),
                );
                let found = case["object"].pointer(&pointer);
                assert!(found.is_some_and(Value::is_object), "{name}: {pointer} is a container");
            }
        }
    }

    /// Each kind the table knows is a case, so that a kind added without a case fails here.
    #[test]
    fn every_workload_kind_has_a_case() {
        let cases = cases();
        for known in WORKLOAD_KINDS {
            for group in known.groups {
                let covered = cases.iter().any(|case| {
                    let object = &case["object"];
                    object["kind"] == known.kind
                        && object["apiVersion"].as_str().map(|v| v.rsplit_once('/').map_or("", |(g, _)| g))
                            == Some(group)
                        && !case["expect"].is_null()
                });
                assert!(covered, "no case for {group}/{}", known.kind);
            }
        }
    }

    /// A workload's pod template is what selectors and references are read from: present when
    /// it holds a pod spec (`pod_template: false` in a case says it has none).
    #[test]
    fn pod_templates_hold_a_pod_spec() {
        for case in cases() {
            let template = pod_template(&case["object"]);
            let expected = !case["expect"].is_null() && case["pod_template"] != false;
            assert_eq!(template.is_some(), expected, "{}", case["name"]);
        }
    }
}
