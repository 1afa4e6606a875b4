package main

import data.kubernetes

recommended_label := "app.kubernetes.io/name"

deny contains msg if {
	kubernetes.is_deployment
	not input.metadata.labels[recommended_label]
	msg := sprintf("%s must include Kubernetes recommended labels: %s", [name, recommended_label])
}
