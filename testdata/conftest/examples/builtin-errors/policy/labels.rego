package main

import rego.v1

# The annotation holds JSON; a malformed one makes json.unmarshal fail.
deny contains msg if {
	config := json.unmarshal(input.metadata.annotations["example.com/config"])
	config.debug == true
	msg := sprintf("%s runs with debug on", [input.metadata.name])
}
