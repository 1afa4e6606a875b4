# METADATA
# title: Containers keep the runtime's SELinux type, user and role
# description: >-
#   On SELinux nodes the runtime confines each container with the `container_t` type. A
#   `seLinuxOptions.type` of another domain (`spc_t`, `unconfined_t`, …) lifts that
#   confinement, and a custom `user` or `role` grants the process an SELinux identity of the
#   host. The Pod Security Standards allow, at the Baseline level, only the types
#   `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` (the
#   `allowed_selinux_types` param) and no user or role. A container's `seLinuxOptions` wins
#   over its pod's, which applies to containers that set none: a value the containers inherit
#   is reported once, at the pod's field. Checked for containers, init and ephemeral
#   containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container
#   - https://avd.aquasec.com/misconfig/ksv025
# custom:
#   id: K8S-029
#   severity: medium
#   kinds: [kubernetes]
#   remediation: >-
#     Remove `seLinuxOptions.type`, `user` and `role` from the pod's and containers'
#     securityContext (keep `level` if the workload needs an MCS level).
package ward.kubernetes.selinux_options

import rego.v1

import data.lib.kubernetes as k8s

allowed_types := {t | some t in object.get(input.params, "allowed_selinux_types", ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"])}

deny contains result if {
	some place in k8s.by_place(k8s.containers(k8s.input_resource(input)), "seLinuxOptions")
	some first in array.slice(place.entries, 0, 1)
	options := k8s.effective_security(first, "seLinuxOptions")
	some field, problem in problems(options)
	result := {
		"msg": sprintf("%s: %s", [k8s.applies_to(place), problem]),
		"path": array.concat(place.path, [field]),
	}
}

problems(options) := {field: problem |
	some field in ["type", "user", "role"]
	value := options[field]
	problem := problem_of(field, value)
}

problem_of("type", value) := sprintf("seLinuxOptions.type %v lifts the runtime's confinement", [value]) if {
	not value in allowed_types
}

problem_of(field, value) := sprintf("seLinuxOptions.%s %v gives the process a host SELinux identity", [field, value]) if {
	field in {"user", "role"}
	value != ""
}
