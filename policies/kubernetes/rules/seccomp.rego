# METADATA
# title: Containers run with a seccomp profile
# description: >-
#   Without a seccomp profile a container may call every system call the kernel offers,
#   including the rarely used ones most kernel exploits go through. Kubernetes does not apply
#   the runtime's default profile unless asked to (`seccompProfile.type: RuntimeDefault`, or
#   `Localhost` for a custom profile). `Unconfined` turns it off. The kubelet takes a
#   container's profile from its own securityContext, else from the legacy annotation
#   `container.seccomp.security.alpha.kubernetes.io/<name>`, else from the pod's
#   securityContext, else from the legacy pod annotation
#   `seccomp.security.alpha.kubernetes.io/pod` (`runtime/default` and `docker/default` are
#   RuntimeDefault, `localhost/<file>` Localhost); the annotations count because clusters
#   before 1.27 read them and copied them into the fields. The allowed types are the
#   `allowed_seccomp_profiles` param. A profile the containers inherit from the pod is
#   reported once, at the pod's field or annotation, naming the containers. Checked for
#   containers, init and ephemeral containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/tutorials/security/seccomp/
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
#   - https://avd.aquasec.com/misconfig/ksv030
#   - https://kubernetes.io/docs/reference/labels-annotations-taints/#seccomp-security-alpha-kubernetes-io-pod
# custom:
#   id: K8S-014
#   severity: medium
#   kinds: [kubernetes]
#   remediation: >-
#     Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod spec (or on each
#     container).
package ward.kubernetes.seccomp

import rego.v1

import data.lib.kubernetes as k8s

allowed := {t | some t in object.get(input.params, "allowed_seccomp_profiles", ["RuntimeDefault", "Localhost"])}

entries := k8s.containers(k8s.input_resource(input))

# Containers whose profile is not an allowed one.
unconfined := [entry |
	some entry in entries
	profile := k8s.effective_security(entry, "seccompProfile")
	not object.get(object_of(profile), "type", null) in allowed
]

# A profile the container sets itself (field or its own annotation).
deny contains result if {
	some entry in unconfined
	not k8s.from_pod(entry, "seccompProfile")
	result := {
		"msg": sprintf("%s runs with the seccomp profile %s", [entry.label, profile_type(entry)]),
		"path": type_path(entry),
	}
}

# A profile the pod sets (field or annotation), once for the containers that inherit it.
deny contains result if {
	some path in {type_path(entry) | some entry in unconfined; k8s.from_pod(entry, "seccompProfile")}
	inheriting := [entry | some entry in unconfined; k8s.from_pod(entry, "seccompProfile"); type_path(entry) == path]
	some first in inheriting
	result := {
		"msg": sprintf("the pod's seccomp profile %s applies to %s", [profile_type(first), k8s.labels(inheriting)]),
		"path": path,
	}
}

deny contains result if {
	some entry in entries
	not k8s.effective_security(entry, "seccompProfile")
	result := {
		"msg": sprintf("%s has no seccomp profile: neither it nor its pod sets seccompProfile.type: RuntimeDefault", [entry.label]),
		"path": k8s.security_path(entry, "seccompProfile"),
	}
}

object_of(x) := x if is_object(x)

else := {}

profile_type(entry) := sprintf("%v", [object.get(object_of(k8s.effective_security(entry, "seccompProfile")), "type", "(no type)")])

# The `type` of a seccompProfile field; an annotation is its own line.
type_path(entry) := k8s.security_path(entry, "seccompProfile") if {
	endswith(k8s.security_source(entry, "seccompProfile"), "annotation")
} else := array.concat(k8s.security_path(entry, "seccompProfile"), ["type"])
