# METADATA
# title: Containers run as a non-root user
# description: >-
#   A container whose process runs as UID 0 is root inside its namespaces: one kernel or
#   runtime escape away from root on the node, and able to change anything in its own
#   filesystem. `runAsNonRoot: true` makes the kubelet refuse to start a container whose image
#   would run as root; a non-zero `runAsUser` sets the UID outright. Either may be set on the
#   pod's securityContext (inherited by every container that does not set its own) or on the
#   container's (which wins), as the kubelet combines them: `runAsUser: 0` on a container is
#   root even when its pod sets `runAsNonRoot: true` (the kubelet then refuses to start it).
#   A value the containers inherit from the pod is reported once, at the pod's field, naming
#   the containers; a container's own value at the container's. Checked for containers, init
#   and ephemeral containers of every workload kind.
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

entries := k8s.containers(k8s.input_resource(input))

# Runs as UID 0: the container's own runAsUser.
deny contains result if {
	some entry in entries
	k8s.effective_security(entry, "runAsUser") == 0
	not k8s.from_pod(entry, "runAsUser")
	result := {
		"msg": sprintf("%s runs as UID 0 (root)%s", [entry.label, refused([entry])]),
		"path": k8s.security_path(entry, "runAsUser"),
	}
}

# Runs as UID 0: the pod's runAsUser, one finding for every container that inherits it.
deny contains result if {
	some path in {k8s.security_path(entry, "runAsUser") | some entry in root_by_pod}
	inheriting := [entry | some entry in root_by_pod; k8s.security_path(entry, "runAsUser") == path]
	result := {
		"msg": sprintf("the pod's runAsUser: 0 makes %s run as UID 0 (root)%s", [k8s.labels(inheriting), refused(inheriting)]),
		"path": path,
	}
}

root_by_pod := [entry |
	some entry in entries
	k8s.effective_security(entry, "runAsUser") == 0
	k8s.from_pod(entry, "runAsUser")
]

# Neither runAsNonRoot: true nor a non-zero runAsUser applies to it: where runAsNonRoot: false
# is written, or, when nothing is, at the container.
deny contains result if {
	some entry in may_be_root
	not k8s.from_pod(entry, "runAsNonRoot")
	result := {
		"msg": message(entry),
		"path": k8s.security_path(entry, "runAsNonRoot"),
	}
}

# The pod's runAsNonRoot: false, one finding for every container that inherits it.
deny contains result if {
	some path in {k8s.security_path(entry, "runAsNonRoot") | some entry in may_be_root; k8s.from_pod(entry, "runAsNonRoot")}
	inheriting := [entry | some entry in may_be_root; k8s.from_pod(entry, "runAsNonRoot"); k8s.security_path(entry, "runAsNonRoot") == path]
	result := {
		"msg": sprintf("the pod's runAsNonRoot: false, with no non-zero runAsUser, lets %s run as root", [k8s.labels(inheriting)]),
		"path": path,
	}
}

may_be_root := [entry |
	some entry in entries
	not k8s.effective_security(entry, "runAsUser") == 0
	not k8s.effective_security(entry, "runAsNonRoot") == true
	not non_zero_user(entry)
]

non_zero_user(entry) if {
	uid := k8s.effective_security(entry, "runAsUser")
	is_number(uid)
	uid > 0
}

# runAsNonRoot: true with UID 0 does not make the container non-root: it stops it starting.
refused(inheriting) := " (with runAsNonRoot: true the kubelet refuses to start it)" if {
	every entry in inheriting {
		k8s.effective_security(entry, "runAsNonRoot") == true
	}
} else := ""

message(entry) := sprintf("%s sets runAsNonRoot: false and no non-zero runAsUser", [entry.label]) if {
	k8s.effective_security(entry, "runAsNonRoot") == false
} else := sprintf("%s may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser", [entry.label])
