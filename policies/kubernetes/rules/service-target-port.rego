# METADATA
# title: Services target a port their pods declare
# description: >-
#   A Service forwards each of its ports to the `targetPort` of the pods it selects (the same
#   number as `port` when `targetPort` is not set). A named `targetPort` is looked up among
#   the selected pods' container ports, by name and protocol: when no container has a port of
#   that name, the pod gets no endpoint for it and traffic to the Service fails. A number that
#   no container declares is usually a typo or a port changed on one side only (Kubernetes
#   sends traffic to it anyway, to whatever listens there); when the pods declare no ports at
#   all, it is only a warning (`low`): nothing says which port they listen on. Checked for every Service with a
#   selector that selects workloads of any kind (not ExternalName Services): each port must
#   name a port of some container or sidecar (an init container with `restartPolicy:
#   Always`) of the pods it selects. Services that select nothing are K8S-026's.
# related_resources:
#   - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
#   - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
#   - https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
# custom:
#   id: K8S-027
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Make the Service port's `targetPort` the number or name of a port the selected
#     containers declare (`ports: [{name: http, containerPort: 8080}]`), or declare the port
#     on the container.
package ward.kubernetes.service_target_port

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some [service, selected, port, target, path] in unserved
	not undeclared_number(selected, target)
	result := finding(service, selected, port, target, path)
}

# A number, when the pods declare no ports at all: Kubernetes sends the traffic to whatever
# listens there, so it is a warning.
warn contains result if {
	some [service, selected, port, target, path] in unserved
	undeclared_number(selected, target)
	result := finding(service, selected, port, target, path)
}

# [service, the workloads it selects, port, where the port's traffic goes, where that is
# written] for each Service port no container of the selected pods takes.
unserved contains [service, selected, port, target, path] if {
	some service in services
	selected := k8s.targets(service.id, "selects")
	count(selected) > 0
	some i, port in k8s.array_of(service.value.spec.ports)
	is_object(port)
	[target, path] := target_of(port, i)
	not served(selected, target, protocol(port))
}

undeclared_number(selected, target) if {
	is_number(target)
	count(container_ports(selected)) == 0
}

finding(service, selected, port, target, path) := {
	"msg": sprintf("%s port %v %s, %s", [k8s.describe(service), port.port, what(port, target), declared_by(selected)]),
	"path": path,
	"resource": service.id,
	"related": [{"resource": w.id, "path": k8s.pod_spec_path(w), "message": sprintf("the pods of %s", [k8s.describe(w)])} | some w in selected],
}

# Core Services with a selector, not ExternalName ones (Knative's `Service` is a workload).
services := [s |
	some s in k8s.of_type("Service")
	s.kind == "kubernetes"
	not k8s.is_patch(s)
	s.value.apiVersion == "v1"
	object.get(s.value, ["spec", "type"], "ClusterIP") != "ExternalName"
]

# [the port traffic goes to, where that is written]: targetPort, else the port itself.
target_of(port, i) := [port.targetPort, ["spec", "ports", i, "targetPort"]] if {
	port.targetPort != null
} else := [port.port, ["spec", "ports", i, "port"]]

protocol(port) := object.get(port, "protocol", "TCP")

# The container ports of the selected pods that take the Service's traffic: containers and
# sidecars.
container_ports(selected) := [p |
	some w in selected
	some entry in k8s.containers(w)
	serving(entry)
	some p in k8s.array_of(entry.container.ports)
	is_object(p)
]

serving(entry) if entry.group == "containers"

serving(entry) if entry.sidecar

# A number: some container declares it. A name: some container port has it, with the
# Service port's protocol (as the endpoints controller looks names up).
served(selected, target, _) if {
	is_number(target)
	some p in container_ports(selected)
	p.containerPort == target
}

served(selected, target, proto) if {
	is_string(target)
	some p in container_ports(selected)
	p.name == target
	object.get(p, "protocol", "TCP") == proto
}

what(port, target) := sprintf("targets the %s port named %q", [protocol(port), target]) if {
	is_string(target)
} else := sprintf("targets port %v", [target]) if {
	port.targetPort != null
} else := sprintf("sets no targetPort, so it targets port %v", [target])

declared_by(selected) := sprintf("which no container of the pods it selects declares (%s)", [ports_text(selected)]) if {
	count(container_ports(selected)) > 0
} else := "but the pods it selects declare no container ports"

ports_text(selected) := concat(", ", sort({port_text(p) | some p in container_ports(selected)}))

port_text(p) := sprintf("%v/%s %q", [p.containerPort, object.get(p, "protocol", "TCP"), p.name]) if {
	is_string(p.name)
} else := sprintf("%v/%s", [p.containerPort, object.get(p, "protocol", "TCP")])
