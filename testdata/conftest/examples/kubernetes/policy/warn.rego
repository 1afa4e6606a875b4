package main

import data.kubernetes

warn contains msg if {
	kubernetes.is_service
	msg := sprintf("Found service %s but services are not allowed", [name])
}
