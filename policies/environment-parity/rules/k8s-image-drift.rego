# METADATA
# title: Kubernetes overlays deploy the same images to each environment
# description: >-
#   Staging exists to test what production will run. When one environment pins an image to a
#   release and the other leaves it at a mutable tag (typically a base's `:latest` that only
#   the staging overlay overrides), production runs something staging never tested, and it
#   changes with every push. This rule compares, for every workload both environments of a
#   pair deploy (matched by kind and name across kustomize overlays and plain manifests), the
#   image each container ends up with once each overlay's patches and `images:` entries are
#   applied, and reports: a different image name; one side pinned (version tag or digest) and
#   the other mutable (no tag, `latest`, …); the same tag with different digests; and the
#   higher environment running a newer semantic version than the lower one (production ahead
#   of what staging tested). Two different pinned versions are otherwise a release being
#   promoted and are not reported, unless the param `compare_image_versions` is true. Each
#   message names both environments' images and where each is set.
# related_resources:
#   - https://12factor.net/dev-prod-parity
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/
#   - https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: ENV-003
#   severity: high
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Pin the image in every environment's overlay (`images:` with `newTag` and, better,
#     `digest`), promoting the exact reference staging tested to production; list a deliberate
#     difference in `[params.environment-parity] intended` (`image`, or `worker:image`).
package ward.environment_parity.k8s_image_drift

import data.ward.environment_parity.lib.kustomize as k
import data.ward.environment_parity.lib.parity
import rego.v1

# Workloads both environments of a pair deploy, with their containers: {a, b, da, db, container}.
matches contains m if {
	some p in parity.pairs
	some da in k.deployments
	da.environment == p[0]
	some db in k.deployments
	db.environment == p[1]
	ra := k.by_id[da.resource]
	rb := k.by_id[db.resource]
	ra.type == rb.type
	ra.name == rb.name
	some ca in k.containers(ra)
	some cb in k.containers(rb)
	ca.name == cb.name
	m := {"a": ra, "b": rb, "da": da, "db": db, "container": ca.name, "pair": p}
}

images(m) := [k.effective_image(m.pair[0], m.a, m.container), k.effective_image(m.pair[1], m.b, m.container)]

names(m) := [
	"image",
	sprintf("%s:image", [m.b.name]),
	sprintf("%s/%s:image", [m.b.type, m.b.name]),
	sprintf("%s:image", [m.container]),
]

deny contains result if {
	some m in matches
	not parity.intended(names(m))
	[ia, ib] := images(m)
	some finding in findings(m, ia, ib)
	result := {
		"msg": sprintf("%s %s, container %s: %s", [m.b.type, m.b.name, m.container, finding.msg]),
		"path": finding.place.path,
		"resource": finding.place.resource,
		"related": [finding.other],
	}
}

# The other environment's side of a finding: where its image is decided, and what it runs.
side(env, d, image) := {
	"resource": p.resource,
	"path": p.path,
	"message": sprintf("%s runs %s", [env, image.ref]),
} if {
	p := place(d, image)
}

# Different images.
findings(m, ia, ib) := [{"msg": msg, "place": place(m.db, ib), "other": other}] if {
	ia.name != ib.name
	msg := sprintf("%s runs %s (%s), %s runs %s (%s): a different image", [m.pair[1], ib.ref, origin(m.db, ib), m.pair[0], ia.ref, origin(m.da, ia)])
	other := side(m.pair[0], m.da, ia)
}

# Pinned on one side only: reported where the mutable one is decided.
else := [{"msg": msg, "place": place(m.db, ib), "other": other}] if {
	mutable(ib)
	not mutable(ia)
	msg := sprintf("%s runs %s, a mutable tag (%s), while %s pins %s (%s)", [m.pair[1], ib.ref, origin(m.db, ib), m.pair[0], ia.ref, origin(m.da, ia)])
	other := side(m.pair[0], m.da, ia)
} else := [{"msg": msg, "place": place(m.da, ia), "other": other}] if {
	mutable(ia)
	not mutable(ib)
	msg := sprintf("%s runs %s, a mutable tag (%s), while %s pins %s (%s)", [m.pair[0], ia.ref, origin(m.da, ia), m.pair[1], ib.ref, origin(m.db, ib)])
	other := side(m.pair[1], m.db, ib)
}

# The same tag with different digests: not the same image.
else := [{"msg": msg, "place": place(m.db, ib), "other": other}] if {
	ia.tag == ib.tag
	ia.digest != null
	ib.digest != null
	ia.digest != ib.digest
	msg := sprintf("%s and %s both run tag %v but with different digests (%s: %s, %s; %s: %s, %s)", [m.pair[0], m.pair[1], ib.tag, m.pair[1], ib.digest, origin(m.db, ib), m.pair[0], ia.digest, origin(m.da, ia)])
	other := side(m.pair[0], m.da, ia)
}

# The higher environment ahead of the lower one.
else := [{"msg": msg, "place": place(m.db, ib), "other": other}] if {
	semver.is_valid(version(ia.tag))
	semver.is_valid(version(ib.tag))
	semver.compare(version(ib.tag), version(ia.tag)) > 0
	msg := sprintf("%s runs %s (%s), newer than the %s %s runs (%s): %s is ahead of what %s tested", [m.pair[1], ib.ref, origin(m.db, ib), ia.ref, m.pair[0], origin(m.da, ia), m.pair[1], m.pair[0]])
	other := side(m.pair[0], m.da, ia)
}

# Any other difference of version, when asked for.
else := [{"msg": msg, "place": place(m.db, ib), "other": other}] if {
	input.params.compare_image_versions == true
	ia.ref != ib.ref
	msg := sprintf("%s runs %s (%s), %s runs %s (%s)", [m.pair[1], ib.ref, origin(m.db, ib), m.pair[0], ia.ref, origin(m.da, ia)])
	other := side(m.pair[0], m.da, ia)
}

else := []

mutable(image) if k.mutable(image, input.params.mutable_tags)

version(tag) := trim_prefix(sprintf("%v", [tag]), "v")

# Where an environment's image is decided: its own `images:` entry or patch or manifest, else
# (a base's reference) the environment's overlay, where an `images:` entry would pin it.
place(d, image) := {"resource": image.source.resource, "path": image.source.path} if {
	k.by_id[image.source.resource].environment == d.environment
} else := {"resource": image.entry.resource, "path": ["images", image.entry.index]} if {
	image.entry != null
	image.entry.rank == 2
} else := {"resource": d.kustomization, "path": ["images"]} if {
	d.kustomization != null
	is_array(k.get(k.by_id[d.kustomization].value, "images", null))
} else := {"resource": d.kustomization, "path": []} if {
	d.kustomization != null
} else := {"resource": image.source.resource, "path": image.source.path}

# Where an environment's image comes from, in words.
origin(d, image) := sprintf("set in %s", [k.by_id[image.source.resource].path]) if {
	k.by_id[image.source.resource].environment == d.environment
} else := sprintf("set in %s", [k.by_id[image.source.resource].path]) if {
	image.entry != null
	image.entry.resource == image.source.resource
} else := sprintf("renamed in %s, tag from %s", [k.by_id[image.entry.resource].path, k.by_id[image.source.resource].path]) if {
	image.entry != null
} else := sprintf("from %s; %s has no images entry for it", [k.by_id[image.source.resource].path, k.by_id[d.kustomization].path]) if {
	d.kustomization != null
} else := sprintf("from %s", [k.by_id[image.source.resource].path])
