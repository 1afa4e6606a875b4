# METADATA
# title: Containers do not add dangerous capabilities
# description: >-
#   Some Linux capabilities are root in all but name: SYS_ADMIN (mount, namespaces, BPF and
#   much more), NET_ADMIN and NET_RAW (reconfigure or spoof the pod's network), SYS_PTRACE
#   (read other processes' memory), SYS_MODULE (load kernel modules), and ALL. Adding one
#   undoes most of what dropping capabilities buys, and several are known container-escape
#   paths. The list is the `dangerous_capabilities` param. Checked for containers, init
#   and ephemeral containers of every workload kind; each added capability is its own finding.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://man7.org/linux/man-pages/man7/capabilities.7.html
#   - https://avd.aquasec.com/misconfig/ksv005
#   - https://avd.aquasec.com/misconfig/ksv022
# custom:
#   id: K8S-010
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Remove the capability from `securityContext.capabilities.add`. If the workload really
#     needs it (a CNI plugin, a node agent), isolate it in its own namespace and suppress the
#     finding with the reason.
package ward.kubernetes.dangerous_capabilities

import rego.v1

import data.lib.kubernetes as k8s

dangerous := {normalize(name) | some name in object.get(input.params, "dangerous_capabilities", [])}

# `cap_sys_admin` and `SYS_ADMIN` name the same capability.
normalize(name) := trim_prefix(upper(name), "CAP_")

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	added := entry.container.securityContext.capabilities.add
	is_array(added)
	some j, capability in added
	is_string(capability)
	normalize(capability) in dangerous
	result := {
		"msg": sprintf("%s adds the capability %s", [entry.label, capability]),
		"path": array.concat(entry.path, ["securityContext", "capabilities", "add", j]),
	}
}
