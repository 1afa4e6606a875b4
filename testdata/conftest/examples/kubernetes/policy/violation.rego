package main

import data.kubernetes

violation contains {"msg": msg, "details": {}} if {
	kubernetes.is_deployment
	msg := sprintf("Found deployment %s but deployments are not allowed", [name])
}
