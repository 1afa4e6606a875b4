# METADATA
# title: Containers keep the default /proc mask
# description: >-
#   The container runtime masks and makes read-only the parts of `/proc` that expose the node
#   (kernel keys, timers, interrupts, `/proc/sys`). `securityContext.procMount: Unmasked`
#   turns that off, so a process in the container can read and change host kernel settings.
#   The Pod Security Standards allow only `Default` at the Baseline level. The field exists on
#   containers only. Checked for containers, init and ephemeral containers of every workload
#   kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
#   - https://avd.aquasec.com/misconfig/ksv027
# custom:
#   id: K8S-028
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Remove `securityContext.procMount` (or set it to `Default`).
package ward.kubernetes.proc_mount

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	mount := entry.container.securityContext.procMount
	mount != null
	mount != "Default"
	result := {
		"msg": sprintf("%s mounts /proc unmasked (procMount: %v)", [entry.label, mount]),
		"path": array.concat(entry.path, ["securityContext", "procMount"]),
	}
}
