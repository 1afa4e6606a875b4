package main.gke

import rego.v1

deny contains "the cluster's provider is not pinned to the payments-prod project" if {
	not project_pinned
}

project_pinned if {
	input[_].contents.provider[0].google[0].project == "payments-prod"
}
