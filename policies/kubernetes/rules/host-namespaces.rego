# METADATA
# title: Pods do not share the host's network, PID or IPC namespace
# description: >-
#   `hostNetwork: true` puts the pod on the node's network stack: it can bind the node's ports,
#   reach services listening on localhost (the kubelet, cloud metadata proxies) and sniff the
#   node's traffic, and NetworkPolicies no longer apply to it. `hostPID: true` lets it see and
#   signal every process on the node and read their environment; `hostIPC: true` lets it use
#   the node's shared memory. The Pod Security Standards forbid all three at the Baseline
#   level. Checked for the pod spec of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://avd.aquasec.com/misconfig/ksv008
#   - https://avd.aquasec.com/misconfig/ksv009
#   - https://avd.aquasec.com/misconfig/ksv010
# custom:
#   id: K8S-012
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false);
#     expose the pod through a Service instead of the node's network.
package ward.kubernetes.host_namespaces

import rego.v1

import data.lib.kubernetes as k8s

namespaces := {
	"hostNetwork": "the node's network namespace",
	"hostPID": "the node's process namespace",
	"hostIPC": "the node's IPC namespace",
}

deny contains result if {
	some field, what in namespaces
	k8s.pod_spec(k8s.input_resource(input))[field] == true
	result := {
		"msg": sprintf("%s %s shares %s (%s: true)", [input.meta.type, k8s.quote(input.meta.name), what, field]),
		"path": array.concat(k8s.pod_spec_path(k8s.input_resource(input)), [field]),
	}
}
