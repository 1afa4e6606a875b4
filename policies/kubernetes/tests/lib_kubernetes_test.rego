package lib.kubernetes_test

import rego.v1

import data.lib.kubernetes as k8s

# --- image references -----------------------------------------------------------------------

test_image_tag_and_digest if {
	k8s.image_tag("ghcr.io/example/api:1.4.2") == "1.4.2"
	k8s.image_tag("busybox") == null
	k8s.image_digest("busybox") == null
	k8s.image_tag("app:1.2@sha256:abc") == "1.2"
	k8s.image_digest("app:1.2@sha256:abc") == "sha256:abc"
}

test_registry_port_is_not_a_tag if {
	k8s.image_tag("registry.internal:5000/tools/migrate") == null
	k8s.image_name("registry.internal:5000/tools/migrate") == "registry.internal:5000/tools/migrate"
	k8s.image_tag("registry.internal:5000/tools/migrate:1.0") == "1.0"
	k8s.image_name("registry.internal:5000/tools/migrate:1.0") == "registry.internal:5000/tools/migrate"
	k8s.image_name("app@sha256:abc") == "app"
}

test_mutable_images if {
	k8s.mutable_image("busybox")
	k8s.mutable_image("ghcr.io/example/worker:latest")
	not k8s.mutable_image("ghcr.io/example/worker:2.0.1")
	not k8s.mutable_image("busybox@sha256:abc")
	not k8s.mutable_image("busybox:latest@sha256:abc")
}

# --- workloads, from the engine's facts ------------------------------------------------------
#
# (The facts themselves — where each kind keeps its pod spec, what each container inherits —
# are the engine's, tested with every workload kind in testdata/kubernetes/workloads.yaml.)

cronjob := {
	"value": {
		"kind": "CronJob",
		"spec": {"jobTemplate": {"spec": {"template": {
			"metadata": {"labels": {"app": "report"}},
			"spec": {
				"initContainers": [{"name": "wait"}],
				"containers": [{"name": "report", "securityContext": {"runAsUser": 1000}}, {"image": "x"}],
				"securityContext": {"runAsNonRoot": true},
			},
		}}}},
	},
	"workload": {
		"template": ["spec", "jobTemplate", "spec", "template"],
		"pod_spec": ["spec", "jobTemplate", "spec", "template", "spec"],
		"runs_to_completion": true,
		"containers": [
			{"name": "report", "group": "containers", "index": 0, "sidecar": false, "path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0], "security": {
				"runAsUser": {"value": 1000, "from": "container", "path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "runAsUser"]},
				"runAsNonRoot": {"value": true, "from": "pod", "path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "runAsNonRoot"]},
			}},
			{"name": null, "group": "containers", "index": 1, "sidecar": false, "path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 1], "security": {}},
			{"name": "wait", "group": "initContainers", "index": 0, "sidecar": false, "path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0], "security": {}},
		],
	},
}

test_containers_carry_their_value_path_and_label if {
	entries := k8s.containers(cronjob)
	count(entries) == 3
	some report in entries
	report.name == "report"
	report.container.securityContext.runAsUser == 1000
	report.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0]
	not report.init
	some unnamed in entries
	unnamed.label == "container \"#1\""
	some wait in entries
	wait.init
	wait.label == "init container \"wait\""
	count(k8s.containers_in(cronjob, {"initContainers"})) == 1
}

test_pod_labels_and_spec if {
	k8s.pod_labels(cronjob) == {"app": "report"}
	k8s.pod_spec(cronjob).securityContext.runAsNonRoot == true
	k8s.runs_to_completion(cronjob)
	pod := {"value": {"metadata": {"labels": {"app": "x"}}, "spec": {}}, "workload": {"template": [], "pod_spec": ["spec"], "containers": []}}
	k8s.pod_labels(pod) == {"app": "x"}
	not k8s.runs_to_completion(pod)
}

test_settings_and_where_they_are_written if {
	some entry in k8s.containers(cronjob)
	entry.name == "report"
	k8s.effective_security(entry, "runAsUser") == 1000
	k8s.effective_security(entry, "runAsNonRoot") == true
	k8s.from_pod(entry, "runAsNonRoot")
	not k8s.from_pod(entry, "runAsUser")
	k8s.security_path(entry, "runAsNonRoot") == ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "runAsNonRoot"]
	k8s.security_path(entry, "seccompProfile") == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext"]
	some wait in k8s.containers(cronjob)
	wait.name == "wait"
	k8s.security_path(wait, "seccompProfile") == ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0]
}

test_a_pod_spec_that_is_not_a_mapping_has_no_containers if {
	broken := {"value": {"spec": {"template": {"spec": null}}}, "workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "containers": [{"name": "a", "group": "containers", "index": 0}]}}
	k8s.containers(broken) == []
}

# --- label selectors ------------------------------------------------------------------------

labels := {"app": "worker", "tier": "backend"}

test_selector_match_labels_and_expressions if {
	k8s.selector_matches({"matchLabels": {"app": "worker"}}, labels)
	k8s.selector_matches({}, labels)
	not k8s.selector_matches({"matchLabels": {"app": "api"}}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "In", "values": ["worker", "api"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "track", "operator": "DoesNotExist"}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, labels)
	not k8s.selector_matches({"matchLabels": {"app": "worker"}, "matchExpressions": [{"key": "track", "operator": "Exists"}]}, labels)
}

# --- kustomize chains -----------------------------------------------------------------------

kustomized := {
	"resources": [
		{"id": "k8s:Deployment/web@base", "kind": "kubernetes", "type": "Deployment", "name": "web", "environment": null, "labels": [], "value": {}},
		{"id": "k8s:Kustomization@base", "kind": "kubernetes", "type": "Kustomization", "environment": null, "labels": [], "value": {}},
		{"id": "k8s:Kustomization@overlays/production", "kind": "kubernetes", "type": "Kustomization", "environment": "production", "labels": [], "value": {"namespace": "web", "images": [{"name": "ghcr.io/example/web", "newTag": "1.0.0"}]}},
		{"id": "k8s:Kustomization@overlays/staging", "kind": "kubernetes", "type": "Kustomization", "environment": "staging", "labels": [], "value": {}},
	],
	"edges": [
		{"from": "k8s:Kustomization@base", "to": "k8s:Deployment/web@base", "relation": "includes"},
		{"from": "k8s:Kustomization@overlays/production", "to": "k8s:Kustomization@base", "relation": "includes"},
		{"from": "k8s:Kustomization@overlays/staging", "to": "k8s:Kustomization@base", "relation": "includes"},
	],
	# What the engine indexes (data.ward.graph.index) for these resources and edges.
	"index": {
		"resources_by_id": {"k8s:Deployment/web@base": 0, "k8s:Kustomization@base": 1, "k8s:Kustomization@overlays/production": 2, "k8s:Kustomization@overlays/staging": 3},
		"by_kind": {"kubernetes": [0, 1, 2, 3]},
		"by_type": {"Deployment": [0], "Kustomization": [1, 2, 3]},
		"edges_from": {
			"k8s:Kustomization@base": {"includes": ["k8s:Deployment/web@base"]},
			"k8s:Kustomization@overlays/production": {"includes": ["k8s:Kustomization@base"]},
			"k8s:Kustomization@overlays/staging": {"includes": ["k8s:Kustomization@base"]},
		},
		"edges_to": {
			"k8s:Deployment/web@base": {"includes": ["k8s:Kustomization@base"]},
			"k8s:Kustomization@base": {"includes": ["k8s:Kustomization@overlays/production", "k8s:Kustomization@overlays/staging"]},
		},
	},
}

test_ancestors if {
	k8s.ancestors("k8s:Deployment/web@base") == {"k8s:Kustomization@base", "k8s:Kustomization@overlays/production", "k8s:Kustomization@overlays/staging"} with data.ward.graph as kustomized
}

test_roots if {
	k8s.roots("k8s:Deployment/web@base") == {"k8s:Kustomization@overlays/production", "k8s:Kustomization@overlays/staging"} with data.ward.graph as kustomized
}

test_chain if {
	k8s.chain("k8s:Kustomization@overlays/staging", "k8s:Deployment/web@base") == {"k8s:Kustomization@base", "k8s:Kustomization@overlays/staging"} with data.ward.graph as kustomized
}

# (The resource is bound first: regorus does not evaluate `f(rule.x[0]) with data.… as …` inline.)
test_environments if {
	web := kustomized.resources[0]
	environments := k8s.environments(web) with data.ward.graph as kustomized
	environments == {"production", "staging"}
}

test_in_production if {
	web := kustomized.resources[0]
	k8s.in_production(web) with data.ward.graph as kustomized
}

test_an_image_is_pinned_only_when_every_overlay_pins_it if {
	id := "k8s:Deployment/web@base"
	not k8s.pinned_by_kustomize(id, "ghcr.io/example/web") with data.ward.graph as kustomized
	k8s.roots_not_pinning(id, "ghcr.io/example/web") == {"k8s:Kustomization@overlays/staging"} with data.ward.graph as kustomized
	k8s.kustomization_dir("k8s:Kustomization@overlays/staging") == "overlays/staging"
}
