package ward.lib.k8s

import rego.v1

workload_kinds := {"Deployment", "StatefulSet"}

is_workload(resource) if resource.type in workload_kinds
