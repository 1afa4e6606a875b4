# METADATA
# title: Containers run as a non-root user
# description: >-
#   A container whose process runs as UID 0 is root inside its namespaces: one kernel or
#   runtime escape away from root on the node, and able to change anything in its own
#   filesystem. `runAsNonRoot: true` makes the kubelet refuse to start a container whose image
#   would run as root; a non-zero `runAsUser` sets the UID outright. Either may be set on the
#   pod's securityContext (inherited by every container) or on the container's (which wins).
#   Checked for containers and init containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
#   - https://avd.aquasec.com/misconfig/ksv012
# custom:
#   id: K8S-007
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`) on the pod spec, or
#     on each container, and build the image with a non-root `USER`.
package ward.kubernetes.run_as_non_root

import rego.v1

import data.lib.kubernetes as k8s

# Runs as UID 0 explicitly.
deny contains result if {
	k8s.is_workload(input.object)
	some entry in k8s.containers(input.object)
	k8s.effective_security(input.object, entry, "runAsUser") == 0
	result := {
		"msg": sprintf("%s runs as UID 0 (root)", [entry.label]),
		"path": k8s.security_path(input.object, entry, "runAsUser"),
	}
}

# Neither runAsNonRoot: true nor a non-zero runAsUser applies to it.
deny contains result if {
	k8s.is_workload(input.object)
	some entry in k8s.containers(input.object)
	not k8s.effective_security(input.object, entry, "runAsUser") == 0
	not k8s.effective_security(input.object, entry, "runAsNonRoot") == true
	not non_zero_user(input.object, entry)
	result := {
		"msg": message(input.object, entry),
		"path": k8s.security_path(input.object, entry, "runAsNonRoot"),
	}
}

non_zero_user(obj, entry) if {
	uid := k8s.effective_security(obj, entry, "runAsUser")
	is_number(uid)
	uid > 0
}

message(obj, entry) := sprintf("%s sets runAsNonRoot: false and no non-zero runAsUser", [entry.label]) if {
	k8s.effective_security(obj, entry, "runAsNonRoot") == false
} else := sprintf("%s may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser", [entry.label])
