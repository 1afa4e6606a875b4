# METADATA
# title: Namespaces with workloads have a default-deny NetworkPolicy
# description: >-
#   Kubernetes lets every pod talk to every other pod until a NetworkPolicy selects it. A
#   namespace without a default-deny ingress policy (`podSelector: {}` with `policyTypes:
#   [Ingress]`) leaves each new workload open to the whole cluster, so one compromised pod
#   anywhere can reach its ports. The rule reports each workload whose pods no ingress
#   NetworkPolicy isolates: neither a default-deny policy of its namespace nor a policy of its
#   own selects them (an empty podSelector selects every pod of its namespace; a policy
#   without `policyTypes` is an ingress policy). A policy counts when it is deployed where the
#   workload is (the same namespace, and an environment that agrees: equal, or either side
#   environment-neutral like a kustomize base). Checked for every workload kind; the finding
#   sits on the workload, because that is the pod that accepts traffic from anywhere.
# related_resources:
#   - https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
#   - https://kubernetes.io/docs/concepts/services-networking/network-policies/
#   - https://www.cisecurity.org/benchmark/kubernetes
#   - https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF
# custom:
#   id: K8S-023
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Add a default-deny NetworkPolicy to each namespace (`podSelector: {}`, `policyTypes:
#     [Ingress]`, no `ingress` rules), then one policy per workload that allows exactly the
#     traffic it needs.
package ward.kubernetes.default_deny_network_policy

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some w in k8s.workloads
	not isolated(w)
	result := {
		"msg": sprintf("%s accepts traffic from any pod: its namespace%s has no default-deny NetworkPolicy, and no ingress policy selects its pods", [k8s.describe(w), namespace_text(w)]),
		"resource": w.id,
	}
}

isolated(w) if {
	some policy in k8s.selectors_of(w, "NetworkPolicy")
	ingress_policy(policy)
}

# Policy types default to Ingress (plus Egress when the policy has egress rules).
ingress_policy(policy) if not policy.value.spec.policyTypes

ingress_policy(policy) if "Ingress" in k8s.array_of(policy.value.spec.policyTypes)

namespace_text(w) := sprintf(" %q", [w.value.metadata.namespace]) if {
	is_string(w.value.metadata.namespace)
} else := ""
