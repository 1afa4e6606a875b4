# METADATA
# title: Node.js services run with NODE_ENV=production
# description: >-
#   Node.js libraries switch behaviour on `NODE_ENV`: Express only caches view templates and
#   hides stack traces from error responses when it is `production`, React and many others
#   drop development-only checks, and npm skips devDependencies. Anything else — unset,
#   `development`, `prod`, `Production` — runs the development code paths in production:
#   slower, chattier, and leaking internals. The rule reports, in production, every `NODE_ENV`
#   whose value is not exactly `production` (env files, Compose services, ConfigMaps,
#   container env, what production kustomize overlays render), and every Node.js service that
#   gets no `NODE_ENV` at all: a production Compose service or Kubernetes workload whose image,
#   or the final stage of the Dockerfile that builds it, is a Node.js image (`node_images`:
#   `node:22-alpine`, `cgr.dev/chainguard/node`, `gcr.io/distroless/nodejs22-debian12`) and
#   whose Dockerfile does not set `ENV NODE_ENV=production` either.
# related_resources:
#   - https://nodejs.org/en/learn/getting-started/nodejs-the-difference-between-development-and-production
#   - https://expressjs.com/en/advanced/best-practice-performance.html#set-node_env-to-production
#   - https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#environment-variables
# custom:
#   id: RDY-004
#   severity: medium
#   kinds: [dotenv, kubernetes, compose]
#   scope: graph
#   remediation: >-
#     Set `NODE_ENV=production` in the production configuration (env file, ConfigMap or
#     container env), or `ENV NODE_ENV=production` in the final stage of the Node.js image.
package ward.production_readiness.node_env_production

import rego.v1

import data.ward.production_readiness.lib
import data.ward.production_readiness.units

deny contains result if {
	some s in lib.settings_with({"NODE_ENV"})
	s.value != "production"
	result := {
		"msg": sprintf("NODE_ENV=%s in production, in %s: Node.js runs its development code paths", [s.value, lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}

deny contains result if {
	some unit in units.units
	node_service(unit)
	not "NODE_ENV" in unit.keys
	not image_sets_production(unit)
	result := {
		"msg": sprintf("%s runs Node.js in production without NODE_ENV=production", [unit.label]),
		"resource": unit.resource,
		"path": unit.path,
	}
}

node_service(unit) if {
	some image in unit.images
	node_image(image)
}

node_service(unit) if {
	some id in unit.dockerfiles
	node_image(final_base(lib.by_id[id]).repository)
}

node_image(image) if {
	is_string(image)
	without_digest := split(image, "@")[0]
	segments := split(without_digest, "/")
	last := split(segments[count(segments) - 1], ":")[0]
	some pattern in input.params.node_images
	regex.match(pattern, lower(last))
}

# The stages the final image is made of: the final stage and the stages it builds FROM, as the
# Dockerfile parser chains them (`final.chain`).
final_stages(dockerfile) := {dockerfile.value.stages[s] | some s in dockerfile.value.final.chain}

# The image the chain starts from, with the global ARGs' defaults substituted.
final_base(dockerfile) := base if {
	some base in {stage.base | some stage in final_stages(dockerfile); stage.base != null}
}

image_sets_production(unit) if {
	some id in unit.dockerfiles
	some stage in final_stages(lib.by_id[id])
	some instruction in stage.instructions
	instruction.cmd == "env"
	some pair in object.get(instruction, "pairs", [])
	pair.key == "NODE_ENV"
	pair.value == "production"
}
