# METADATA
# title: Service account tokens are not mounted where they are not needed
# description: >-
#   By default every pod gets a token for its ServiceAccount mounted at
#   /var/run/secrets/kubernetes.io/serviceaccount. Most applications never call the
#   Kubernetes API, and for them the token is only something an attacker can steal and use
#   against the API server with whatever RBAC the account has. The token is off when the pod
#   spec sets `automountServiceAccountToken: false`, or when the pod spec leaves it unset and
#   its ServiceAccount (found through the graph's `uses` edge; `default` when the pod names
#   none) sets it to false. A pod spec that sets it to `true` explicitly declares that the
#   workload needs the API, and is not reported. Checked for the pod spec of every workload
#   kind.
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
#   - https://kubernetes.io/docs/concepts/security/service-accounts/
#   - https://avd.aquasec.com/misconfig/ksv036
#   - https://www.cisecurity.org/benchmark/kubernetes
# custom:
#   id: K8S-018
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Set `automountServiceAccountToken: false` on the workload's ServiceAccount (one per
#     workload) or on its pod spec. Workloads that call the API set it to true on the pod spec,
#     with an RBAC Role that grants only what they need.
package ward.kubernetes.automount_service_account_token

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some w in k8s.workloads
	spec := k8s.pod_spec(w)
	not is_boolean(object.get(spec, "automountServiceAccountToken", null))
	account := account_name(spec)
	not account_disables(w, account)
	result := {
		"msg": sprintf("%s mounts a service account token: %s", [k8s.describe(w), why(w, account)]),
		"path": k8s.pod_spec_path(w),
		"resource": w.id,
	}
}

account_name(spec) := name if {
	name := object.get(spec, "serviceAccountName", object.get(spec, "serviceAccount", "default"))
	is_string(name)
} else := "default"

# The ServiceAccounts in the repository that workload `w` uses (the graph's `uses` edges), by name.
accounts(w, name) := [account |
	some account in k8s.targets(w.id, "uses")
	account.type == "ServiceAccount"
	account.name == name
]

account_disables(w, name) if {
	count(accounts(w, name)) > 0
	every account in accounts(w, name) {
		account.value.automountServiceAccountToken == false
	}
}

why(w, name) := sprintf("neither its pod spec nor its ServiceAccount %q sets automountServiceAccountToken: false", [name]) if {
	count(accounts(w, name)) > 0
} else := sprintf("its pod spec does not set automountServiceAccountToken: false, and its ServiceAccount %q is not in the repository", [name])
