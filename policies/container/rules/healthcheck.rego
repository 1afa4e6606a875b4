# METADATA
# title: The final stage has a HEALTHCHECK, or its workloads have probes
# description: >-
#   Docker, Compose and Swarm only know whether a container's process is alive. A HEALTHCHECK
#   tells them whether it still serves: without one a wedged process (deadlocked, out of
#   connections, stuck on a dead dependency) is reported healthy, is not restarted, and keeps
#   receiving traffic; `depends_on: condition: service_healthy` cannot wait for it. The
#   HEALTHCHECK that applies is the last one of the final stage or of the stage it builds FROM;
#   `HEALTHCHECK NONE` turns an inherited one off. Kubernetes ignores HEALTHCHECK and uses
#   probes instead, so an image that the graph shows running on Kubernetes (a workload with a
#   `built-from` edge to the Dockerfile) whose container — the one whose image is named after
#   the Dockerfile's directory — has a livenessProbe or readinessProbe, in the workload or in a
#   kustomize patch of it, is not reported.
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#healthcheck
#   - https://docs.docker.com/reference/compose-file/services/#healthcheck
#   - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0026/
# custom:
#   id: CTR-004
#   severity: low
#   kinds: [dockerfile]
#   remediation: >-
#     Add a HEALTHCHECK that exercises the service to the final stage, e.g.
#     `HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-qO-", "http://127.0.0.1:8080/healthz"]`
#     (exec form, with a tool the image has), or give the Kubernetes workloads that run the image
#     a livenessProbe and readinessProbe.
package ward.container.healthcheck

import rego.v1

import data.lib.container

deny contains result if {
	container.final_index >= 0
	not container.last_final_instruction("healthcheck")
	not probed_on_kubernetes
	result := {
		"msg": "the final stage has no HEALTHCHECK, and no Kubernetes workload running this image has probes",
		"path": ["stages", container.final_index],
	}
}

deny contains result if {
	[s, j] := container.last_final_instruction("healthcheck")
	instruction := container.stages[s].instructions[j]
	count(instruction.args) > 0
	upper(trim_space(instruction.args[0])) == "NONE"
	not probed_on_kubernetes
	result := {
		"msg": "HEALTHCHECK NONE turns the health check of the final image off",
		"path": ["stages", s, "instructions", j, "args", 0],
	}
}

probed_on_kubernetes if {
	some workload in workloads
	some c in serving_containers(workload)
	probed(workload, c)
}

# The graph's indexes (built once per scan) turn "which edges point here" into a lookup.
index := data.ward.graph.index

resource(id) := data.ward.graph.resources[index.resources_by_id[id]]

# Kubernetes resources built from this Dockerfile.
workloads contains r if {
	some id in index.edges_to[input.meta.id]["built-from"]
	r := resource(id)
	r.kind == "kubernetes"
}

pod_spec_paths := [["spec"], ["spec", "template", "spec"], ["spec", "jobTemplate", "spec", "template", "spec"]]

containers(obj) := [c |
	some path in pod_spec_paths
	spec := object.get(obj, path, {})
	is_object(spec)
	some c in object.get(spec, "containers", [])
]

# The containers that run this image: those whose image is named after the Dockerfile's
# directory (`ghcr.io/acme/shop-api` ↔ `services/api/Dockerfile`), else all of them.
serving_containers(workload) := named if {
	named := [c | some c in containers(workload.value); names_directory(c)]
	count(named) > 0
} else := containers(workload.value)

directory := d if {
	parts := split(input.meta.path, "/")
	count(parts) > 1
	d := parts[count(parts) - 2]
} else := ""

names_directory(c) if {
	directory != ""
	is_string(c.image)
	without_digest := split(c.image, "@")[0]
	segments := split(without_digest, "/")
	name := split(segments[count(segments) - 1], ":")[0]
	some accepted in {directory, concat("", ["-", directory]), concat("", ["_", directory])}
	endswith(name, accepted)
	name_boundary(name, accepted)
}

name_boundary(name, accepted) if name == accepted

name_boundary(name, accepted) if startswith(accepted, "-")

name_boundary(name, accepted) if startswith(accepted, "_")

probed(_, c) if has_probe(c)

# A kustomize patch of the workload gives the same container (by name) a probe.
probed(workload, c) if {
	some id in index.edges_to[workload.id].patches
	r := resource(id)
	some patched in containers(r.value)
	patched.name == c.name
	has_probe(patched)
}

has_probe(c) if c.livenessProbe

has_probe(c) if c.readinessProbe
