# METADATA
# title: Containers have a readiness probe
# description: >-
#   Without a readiness probe, a Service sends traffic to a pod as soon as its process starts,
#   before it can serve, and keeps sending it to pods that can no longer serve.
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
# custom:
#   id: BASICS-003
#   severity: medium
#   kinds: [kubernetes]
#   remediation: Add a `readinessProbe` (HTTP, TCP or exec) to every serving container.
package ward.basics.k8s_readiness_probe

import rego.v1

workloads := {"Deployment", "StatefulSet", "DaemonSet"}

deny contains result if {
  input.object.kind in workloads
  some i, container in input.object.spec.template.spec.containers
  not container.readinessProbe
  result := {"msg": sprintf("container %q has no readinessProbe", [container.name]), "path": ["spec", "template", "spec", "containers", i]}
}
