# METADATA
# title: Production base images are pinned by digest
# description: >-
#   A tag is a name that can be moved: `python:3.12-slim` is re-pushed with every patch release
#   and can be re-pointed by whoever controls the repository. Only a digest (`@sha256:…`) names
#   exactly the bytes that were tested, so a production image built twice from the same commit
#   is the same image, and a compromised or re-tagged upstream cannot slip into a rebuild.
#   This rule judges the Dockerfiles that reach production: those under a production path
#   (`meta.environment`), and those a production resource is built from according to the graph
#   (a workload with a `built-from` edge to the Dockerfile that is itself in production, or is
#   included or patched, through kustomize `includes`/`patches` edges at any depth, by a
#   production resource). With the param `require_digest_everywhere: true` it judges every
#   Dockerfile. Base images tagged `latest` or untagged are CTR-001's finding and are not
#   reported twice. A reference made of global build arguments is judged as their defaults make
#   it (`ARG PY=3.12` … `FROM python:${PY}-slim`); stages built FROM an earlier stage,
#   `scratch`, and references to arguments without a default are not judged.
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#from
#   - https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
#   - https://cloud.google.com/kubernetes-engine/docs/concepts/about-container-images#using_image_digests
#   - https://slsa.dev/spec/v1.0/requirements
# custom:
#   id: CTR-002
#   severity: medium
#   kinds: [dockerfile]
#   remediation: >-
#     Append the digest the tag resolves to (`docker buildx imagetools inspect python:3.12-slim`
#     prints it): `FROM python:3.12-slim@sha256:…`. Keep the tag for readers; let Renovate or
#     Dependabot update tag and digest together.
package ward.container.base_image_digest

import rego.v1

import data.lib.container

deny contains result if {
	judged
	some i, stage in container.stages
	base := stage.base
	lower(base.image) != "scratch"
	base.digest == null
	base.tag != null
	base.tag != "latest"
	result := {
		"msg": sprintf("%s is built from %s, pinned by tag but not by digest", [container.stage_name(stage), container.base_label(stage)]),
		"path": ["stages", i, "from", "image"],
	}
}

judged if input.params.require_digest_everywhere == true

judged if input.meta.environment == "production"

# What places a Dockerfile's image somewhere — the workloads built from it, and what includes
# or patches them (kustomizations, overlays), to any depth — is the graph's
# `environments_reached` index, built once per scan: one lookup, not a walk of every edge for
# every Dockerfile.
judged if "production" in data.ward.graph.index.environments_reached[input.meta.id]
