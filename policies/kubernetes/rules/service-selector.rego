# METADATA
# title: Services select a workload
# description: >-
#   A Service whose selector matches no pod template has no endpoints: whatever routes to it
#   (an Ingress, another service, a DNS name in a config) gets connection errors. It usually
#   means a label was renamed on one side only, or the workload was removed and the Service
#   left behind. Checked for every Service with a selector (not ExternalName Services, nor
#   Services without a selector, whose endpoints are managed by hand): it passes when the
#   graph has a `selects` edge from it to a workload of any kind (same namespace, agreeing
#   environment): the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
#   ReplicationController, Job, CronJob, Argo Rollout, OpenShift DeploymentConfig, or a Pod.
# related_resources:
#   - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
#   - https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/
# custom:
#   id: K8S-026
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Make the Service's `spec.selector` match the labels of the workload's pod template
#     (`spec.template.metadata.labels`), or remove the Service.
package ward.kubernetes.service_selector

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some service in k8s.of_type("Service")
	service.kind == "kubernetes"
	not k8s.is_patch(service)
	service.value.apiVersion == "v1"
	selector := service.value.spec.selector
	is_object(selector)
	count(selector) > 0
	object.get(service.value, ["spec", "type"], "ClusterIP") != "ExternalName"
	not selects_workload(service)
	result := {
		"msg": sprintf("%s selects %s, which matches no workload's pods", [k8s.describe(service), labels(selector)]),
		"path": ["spec", "selector"],
		"resource": service.id,
	}
}

selects_workload(service) if count(k8s.ids_from(service.id, "selects")) > 0

labels(selector) := concat(", ", sort([sprintf("%s=%v", [key, value]) | some key, value in selector]))
