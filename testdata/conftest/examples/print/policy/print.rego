package main

import rego.v1

deny contains msg if {
	print("checking", input.kind, input.metadata.name)
	input.kind == "Deployment"
	msg := sprintf("%s is a Deployment", [input.metadata.name])
}
