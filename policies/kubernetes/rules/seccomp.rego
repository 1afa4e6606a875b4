# METADATA
# title: Containers run with a seccomp profile
# description: >-
#   Without a seccomp profile a container may call every system call the kernel offers,
#   including the rarely used ones most kernel exploits go through. Kubernetes does not apply
#   the runtime's default profile unless asked to (`seccompProfile.type: RuntimeDefault`, or
#   `Localhost` for a custom profile), either on the pod's securityContext (inherited) or on the
#   container's (which wins). `Unconfined` turns it off. The allowed types are the
#   `allowed_seccomp_profiles` param. Checked for containers and init containers of every
#   workload kind. (The pre-1.19 seccomp annotations are not read: they are ignored by
#   Kubernetes since 1.27.)
# related_resources:
#   - https://kubernetes.io/docs/tutorials/security/seccomp/
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
#   - https://avd.aquasec.com/misconfig/ksv030
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

deny contains result if {
	k8s.is_workload(input.object)
	some entry in k8s.containers(input.object)
	profile := k8s.effective_security(input.object, entry, "seccompProfile")
	is_object(profile)
	not profile.type in allowed
	result := {
		"msg": sprintf("%s runs with the seccomp profile %v", [entry.label, object.get(profile, "type", "(no type)")]),
		"path": array.concat(k8s.security_path(input.object, entry, "seccompProfile"), ["type"]),
	}
}

deny contains result if {
	k8s.is_workload(input.object)
	some entry in k8s.containers(input.object)
	not k8s.effective_security(input.object, entry, "seccompProfile")
	result := {
		"msg": sprintf("%s has no seccomp profile: neither it nor its pod sets seccompProfile.type: RuntimeDefault", [entry.label]),
		"path": k8s.security_path(input.object, entry, "seccompProfile"),
	}
}
