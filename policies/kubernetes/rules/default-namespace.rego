# METADATA
# title: Workloads are not deployed to the default namespace
# description: >-
#   The `default` namespace is where everything lands by accident: it usually has no resource
#   quotas, no NetworkPolicies and no Pod Security admission labels, and RBAC granted there
#   applies to whatever else ends up in it. Workloads belong in a namespace of their own.
#   A workload is reported when it sets `metadata.namespace: default`, and when it sets no
#   namespace and nothing else does: a workload without a namespace is fine when every
#   kustomization that builds it (each overlay that includes it, directly or through a base)
#   sets `namespace:`, because kustomize then writes that namespace into it. A plain manifest
#   without a namespace is reported, since `kubectl apply` puts it in the current context's
#   namespace, usually `default`. A kustomization that sets `namespace: default` is reported
#   too.
# related_resources:
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/
#   - https://www.cisecurity.org/benchmark/kubernetes
#   - https://www.checkov.io/5.Policy%20Index/kubernetes.html
# custom:
#   id: K8S-017
#   severity: low
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Set `metadata.namespace` to the application's namespace, or set `namespace:` in the
#     kustomization (every overlay) that builds the workload.
package ward.kubernetes.default_namespace

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some w in k8s.workloads
	w.value.metadata.namespace == "default"
	result := {
		"msg": sprintf("%s is in the default namespace", [k8s.describe(w)]),
		"path": ["metadata", "namespace"],
		"resource": w.id,
	}
}

deny contains result if {
	some w in k8s.workloads
	not has_namespace(w.value)
	count(k8s.roots(w.id)) == 0
	result := {
		"msg": sprintf("%s sets no namespace, so it is applied to the default namespace", [k8s.describe(w)]),
		"path": ["metadata"],
		"resource": w.id,
	}
}

deny contains result if {
	some w in k8s.workloads
	not has_namespace(w.value)
	dirs := {k8s.kustomization_dir(root) |
		some root in k8s.roots(w.id)
		not sets_namespace(root, w.id)
	}
	count(dirs) > 0
	result := {
		"msg": sprintf("%s sets no namespace, and neither does the kustomization in %s: it is built into the default namespace", [k8s.describe(w), concat(", ", sort(dirs))]),
		"path": ["metadata"],
		"resource": w.id,
	}
}

deny contains result if {
	some kustomization in k8s.of_type("Kustomization")
	kustomization.value.namespace == "default"
	result := {
		"msg": "the kustomization puts everything it builds in the default namespace",
		"path": ["namespace"],
		"resource": kustomization.id,
	}
}

has_namespace(obj) if {
	is_string(obj.metadata.namespace)
	obj.metadata.namespace != ""
}

# Some kustomization between `root` and the workload sets a namespace.
sets_namespace(root, id) if {
	some k in k8s.chain(root, id)
	namespace := k8s.resource(k).value.namespace
	is_string(namespace)
	namespace != ""
}
