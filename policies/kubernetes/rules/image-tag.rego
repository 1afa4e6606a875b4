# METADATA
# title: Images are not `latest` or untagged
# description: >-
#   An image tagged `latest`, or with no tag (which means `latest`), is whatever was pushed
#   last: two pods of one Deployment can run different code, a node that restarts a pod can
#   pick up an untested build, and rolling back the manifest does not roll back the image.
#   Checked for containers, init and ephemeral containers of every workload kind. A base manifest whose
#   image every kustomize overlay that builds it overrides with a pinned tag or a digest
#   (`images:` with `newTag` or `digest`) is not reported; one overlay that leaves it alone is
#   enough to report it, and the message names that overlay.
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/#image-names
#   - https://kubernetes.io/docs/concepts/configuration/overview/#container-images
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/
#   - https://avd.aquasec.com/misconfig/ksv013
# custom:
#   id: K8S-015
#   severity: high
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Use an immutable version tag (`app:1.4.2`), ideally with its digest
#     (`app:1.4.2@sha256:…`), or override the image in every overlay's `images:`.
package ward.kubernetes.image_tag

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some w in k8s.workloads
	some entry in k8s.containers(w)
	image := entry.container.image
	is_string(image)
	k8s.mutable_image(image)
	not k8s.pinned_by_kustomize(w.id, image)
	result := {
		"msg": sprintf("%s uses %s, %s%s", [entry.label, image, what(image), overlays(w.id, image)]),
		"path": array.concat(entry.path, ["image"]),
		"resource": w.id,
	}
}

what(image) := "a mutable tag" if {
	k8s.image_tag(image) == "latest"
} else := "which has no tag (so it means latest)"

# Which kustomizations that build this workload leave the image as it is.
overlays(id, image) := sprintf(" (not overridden in %s)", [concat(", ", sort(dirs))]) if {
	dirs := {k8s.kustomization_dir(root) | some root in k8s.roots_not_pinning(id, image)}
	count(dirs) > 0
} else := ""
