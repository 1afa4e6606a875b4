package main

import rego.v1

deny contains msg if {
	response := http.send({"method": "get", "url": "https://collector.invalid/report"})
	msg := sprintf("%v", [response.status_code])
}
