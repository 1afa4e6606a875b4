package main

import data.services

deny contains msg if {
	input.kind == "Service"
	some port in input.spec.ports
	port.port in services.ports
	msg := sprintf("Cannot expose port %v on service %s", [port.port, input.metadata.name])
}
