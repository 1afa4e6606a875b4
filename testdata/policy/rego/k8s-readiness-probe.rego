# METADATA
# title: Containers have a readiness probe
# description: Without a readiness probe, traffic reaches pods before they can serve it.
# custom:
#   id: K8S-PROBE-001
#   severity: medium
#   kinds: [kubernetes]
package ward.k8s.probes

import rego.v1

deny contains result if {
  input.object.kind == "Deployment"
  some i, container in input.object.spec.template.spec.containers
  not container.readinessProbe
  result := {"msg": sprintf("container %q has no readinessProbe", [container.name]), "path": ["spec", "template", "spec", "containers", i]}
}
