# METADATA
# title: Containers do not bind host ports
# description: >-
#   A `hostPort` binds the port on the node's own address: the pod is reachable from outside
#   the cluster network and around its Services and NetworkPolicies, only one such pod fits on
#   a node (the scheduler refuses a second), and it keeps the port while it runs. The Pod
#   Security Standards restrict host ports at the Baseline level. Checked for containers, init
#   and ephemeral containers of every workload kind; each port is its own finding.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://kubernetes.io/docs/concepts/configuration/overview/#services
#   - https://avd.aquasec.com/misconfig/ksv024
# custom:
#   id: K8S-013
#   severity: medium
#   kinds: [kubernetes]
#   remediation: >-
#     Remove `hostPort` and expose the port through a Service (ClusterIP, NodePort or
#     LoadBalancer) or an Ingress.
package ward.kubernetes.host_ports

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	ports := entry.container.ports
	is_array(ports)
	some j, port in ports
	is_number(port.hostPort)
	port.hostPort != 0
	result := {
		"msg": sprintf("%s binds host port %d", [entry.label, port.hostPort]),
		"path": array.concat(entry.path, ["ports", j, "hostPort"]),
	}
}
