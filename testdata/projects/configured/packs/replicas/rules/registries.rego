# METADATA
# title: Images come from allowed registries
# custom:
#   id: REPLICAS-002
#   severity: medium
#   kinds: [kubernetes]
package ward.replicas.registries

import rego.v1

deny contains {"msg": sprintf("container %q pulls from a registry not in params.allowed_registries: %s", [c.name, c.image]), "path": ["spec", "template", "spec", "containers", i, "image"]} if {
  some i, c in input.object.spec.template.spec.containers
  not allowed(c.image)
}

allowed(image) if {
  some registry in input.params.allowed_registries
  startswith(image, concat("", [registry, "/"]))
}
