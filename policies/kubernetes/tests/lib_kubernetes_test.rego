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

# --- pod specs and containers ---------------------------------------------------------------

cronjob := {
	"kind": "CronJob",
	"spec": {"jobTemplate": {"spec": {"template": {
		"metadata": {"labels": {"app": "report"}},
		"spec": {
			"initContainers": [{"name": "wait"}],
			"containers": [{"name": "report", "securityContext": {"runAsUser": 1000}}],
			"securityContext": {"runAsNonRoot": true},
		},
	}}}},
}

test_cronjob_containers_have_exact_paths if {
	entries := k8s.containers(cronjob)
	count(entries) == 2
	some report in entries
	report.name == "report"
	report.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0]
	not report.init
	some wait in entries
	wait.init
	wait.label == "init container \"wait\""
	wait.path == ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0]
}

test_pod_labels if {
	k8s.pod_labels(cronjob) == {"app": "report"}
	k8s.pod_labels({"kind": "Pod", "metadata": {"labels": {"app": "x"}}, "spec": {}}) == {"app": "x"}
	k8s.pod_labels({"kind": "Deployment", "spec": {}}) == {}
}

test_container_settings_win_over_the_pod if {
	some entry in k8s.containers(cronjob)
	entry.name == "report"
	k8s.effective_security(cronjob, entry, "runAsUser") == 1000
	k8s.effective_security(cronjob, entry, "runAsNonRoot") == true
	k8s.security_path(cronjob, entry, "runAsNonRoot") == ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "runAsNonRoot"]
	k8s.security_path(cronjob, entry, "seccompProfile") == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext"]
}

test_a_pod_without_spec_has_no_containers if {
	k8s.containers({"kind": "Pod"}) == []
	k8s.containers({"kind": "Deployment", "spec": {"template": {"spec": null}}}) == []
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
