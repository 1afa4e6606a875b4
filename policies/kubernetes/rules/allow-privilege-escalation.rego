# METADATA
# title: Containers set allowPrivilegeEscalation to false
# description: >-
#   Unless `allowPrivilegeEscalation` is false, a process in the container can gain more
#   privileges than its parent (setuid binaries, file capabilities): the `no_new_privs` flag is
#   not set. The default is true, so it must be set explicitly; the Pod Security Standards
#   require it at the Restricted level. Kubernetes documents that escalation is always allowed
#   for a container that runs privileged or has CAP_SYS_ADMIN, whatever the field says (the API
#   server rejects `allowPrivilegeEscalation: false` beside `privileged: true` or an added
#   `CAP_SYS_ADMIN`): such a container is reported at the setting that allows it. The field
#   exists on containers only; a pod-level one is ignored by Kubernetes. Checked for
#   containers, init and ephemeral containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
#   - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
#   - https://avd.aquasec.com/misconfig/ksv001
# custom:
#   id: K8S-006
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Set `securityContext.allowPrivilegeEscalation: false` on every container, init and
#     ephemeral container, and do not run it privileged or add SYS_ADMIN.
package ward.kubernetes.allow_privilege_escalation

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	not entry.container.securityContext.allowPrivilegeEscalation == false
	result := {
		"msg": sprintf("%s does not set allowPrivilegeEscalation: false", [entry.label]),
		"path": array.concat(entry.path, ["securityContext", "allowPrivilegeEscalation"]),
	}
}

# allowPrivilegeEscalation: false that does not hold: privileged, or CAP_SYS_ADMIN.
deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	entry.container.securityContext.allowPrivilegeEscalation == false
	entry.container.securityContext.privileged == true
	result := {
		"msg": sprintf("%s sets allowPrivilegeEscalation: false but runs privileged, which always allows escalation", [entry.label]),
		"path": array.concat(entry.path, ["securityContext", "privileged"]),
	}
}

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	entry.container.securityContext.allowPrivilegeEscalation == false
	some j, capability in k8s.array_of(entry.container.securityContext.capabilities.add)
	is_string(capability)
	trim_prefix(upper(capability), "CAP_") == "SYS_ADMIN"
	result := {
		"msg": sprintf("%s sets allowPrivilegeEscalation: false but adds %s, which always allows escalation", [entry.label, capability]),
		"path": array.concat(entry.path, ["securityContext", "capabilities", "add", j]),
	}
}

