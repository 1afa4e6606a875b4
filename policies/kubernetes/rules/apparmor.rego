# METADATA
# title: Containers do not run without AppArmor
# description: >-
#   On AppArmor nodes the runtime confines each container with its default profile, which
#   denies writes to `/proc` and `/sys`, mounts and raw access to host files. An
#   `Unconfined` profile turns that off. The Pod Security Standards forbid overriding the
#   default with `Unconfined` at the Baseline level. A container's profile is, as the kubelet
#   reads it, its own `securityContext.appArmorProfile`, else the legacy annotation
#   `container.apparmor.security.beta.kubernetes.io/<name>` (`unconfined`, `runtime/default`,
#   `localhost/<profile>`), else its pod's `appArmorProfile`; a profile the containers
#   inherit is reported once, at the pod's field. Checked for containers, init and ephemeral
#   containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/tutorials/security/apparmor/
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://avd.aquasec.com/misconfig/ksv002
# custom:
#   id: K8S-030
#   severity: medium
#   kinds: [kubernetes]
#   remediation: >-
#     Remove the `Unconfined` profile: leave `appArmorProfile` unset (the runtime's default),
#     or set `type: RuntimeDefault` or a `Localhost` profile.
package ward.kubernetes.apparmor

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some place in k8s.by_place(k8s.containers(k8s.input_resource(input)), "appArmorProfile")
	some first in array.slice(place.entries, 0, 1)
	profile := k8s.effective_security(first, "appArmorProfile")
	profile.type == "Unconfined"
	result := {
		"msg": sprintf("%s: the AppArmor profile is Unconfined", [k8s.applies_to(place)]),
		"path": type_path(first),
	}
}

# The `type` of an appArmorProfile field; an annotation is its own line.
type_path(entry) := entry.security.appArmorProfile.path if {
	entry.security.appArmorProfile.from == "container-annotation"
} else := array.concat(entry.security.appArmorProfile.path, ["type"])
