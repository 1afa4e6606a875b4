# METADATA
# title: Production deploys images by an immutable reference
# description: >-
#   A release is only reproducible, and a rollback only rolls back, when production names the
#   exact image it runs. A mutable tag (`latest`, `main`, `stable`…, or no tag at all) is
#   moved by every push: two pods of one Deployment can run different code, a node restart
#   silently upgrades, and "roll back to the previous release" redeploys the same moving tag.
#   This rule judges what kustomize actually deploys to production: every `images:` entry of a
#   production overlay, and every container of every workload a production overlay includes —
#   its base's image, changed by production patches and by the overlays' `images:` entries. A
#   base image that stays at `:latest` because the production overlay has no `images:` entry
#   for it is reported at that overlay's `images:`. With the param `require_digest: true` a
#   version tag is not enough either: the image must be pinned by digest. (Workloads written
#   directly in a production path are judged by the kubernetes pack's digest rule.)
# related_resources:
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/
#   - https://kubernetes.io/docs/concepts/containers/images/#image-names
#   - https://kubernetes.io/docs/concepts/configuration/overview/#container-images
# custom:
#   id: REL-004
#   severity: high
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Add an `images:` entry for the image to the production kustomization with a version
#     `newTag` and, better, a `digest:` (`kustomize edit set image app=registry/app:1.4.2@sha256:…`),
#     set by the release pipeline from the image it tested.
package ward.release_safety.production_image_immutable

import data.ward.release_safety.lib.kustomize as k
import rego.v1

environment := "production"

# An `images:` entry of a production kustomization that sets a mutable tag (or, with
# require_digest, any tag without a digest).
deny contains result if {
	some r in data.ward.graph.resources
	r.type == "Kustomization"
	r.environment == environment
	some i, entry in k.list(k.get(r.value, "images", []))
	is_object(entry)
	not is_string(object.get(entry, "digest", null))
	object.get(entry, "newTag", null) != null
	image := {"tag": sprintf("%v", [entry.newTag]), "digest": null}
	reason := weakness(image)
	result := {
		"msg": sprintf("images entry %v sets newTag %v in production: %s", [object.get(entry, "name", i), image.tag, reason]),
		"path": ["images", i, "newTag"],
		"resource": r.id,
	}
}

# A container of a workload a production overlay deploys whose image ends up mutable without
# a production `images:` entry deciding its tag.
deny contains result if {
	some d in k.deployments
	d.environment == environment
	d.kustomization != null
	r := k.by_id[d.resource]
	some c in k.containers(r)
	image := k.effective_image(environment, r, c.name)
	not decided_by_entry(image)
	not written_in_production_manifest(image)
	reason := weakness(image)
	location := place(d, image)
	result := {
		"msg": sprintf("%s %s, %s %s, runs %s in production: %s; %s", [
			r.type, r.name, container_kind(c), c.name, image.ref, reason, origin(image),
		]),
		"path": location.path,
		"resource": location.resource,
	}
}

weakness(image) := sprintf("the tag %s is mutable", [image.tag]) if {
	k.mutable(image, input.params.mutable_tags)
	image.tag != null
} else := "it has no tag, which means latest" if {
	k.mutable(image, input.params.mutable_tags)
} else := "it is pinned by tag only, not by digest" if {
	input.params.require_digest == true
	image.digest == null
}

# A production `images:` entry with a tag or digest decides the image: the entry is judged by
# the first rule.
decided_by_entry(image) if {
	image.entry != null
	image.entry.rank == 2
	image.source.resource == image.entry.resource
}

# The reference is written in a whole production manifest: the kubernetes pack judges it.
written_in_production_manifest(image) if {
	source := k.by_id[image.source.resource]
	source.environment == environment
	not k.is_patch(source)
}

# Where to fix it: a production patch that writes the reference, else the production `images:`
# entry that renames the image, else the overlay's `images:` (or the overlay, without one).
place(d, image) := {"resource": image.source.resource, "path": image.source.path} if {
	k.by_id[image.source.resource].environment == environment
} else := {"resource": image.entry.resource, "path": ["images", image.entry.index]} if {
	image.entry != null
	image.entry.rank == 2
} else := {"resource": d.kustomization, "path": ["images"]} if {
	is_array(k.get(k.by_id[d.kustomization].value, "images", null))
} else := {"resource": d.kustomization, "path": []}

container_kind(c) := "init container" if c.group == "initContainers"

else := "container"

origin(image) := sprintf("no production images entry pins %s; the reference comes from %s", [
	image.name, k.by_id[image.source.resource].path,
]) if {
	image.entry == null
} else := sprintf("the images entry in %s changes only its name; the tag comes from %s", [
	k.by_id[image.entry.resource].path, k.by_id[image.source.resource].path,
]) if {
	image.entry.resource != image.source.resource
} else := sprintf("set in %s", [k.by_id[image.source.resource].path])
