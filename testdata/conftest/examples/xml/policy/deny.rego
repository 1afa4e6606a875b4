package main

plugin_list := input.project.build.plugins.plugin

deny contains msg if {
	expected := "3.6.1"
	plugin_list.artifactId == "maven-plugin"
	plugin_list.version != expected
	msg := sprintf("--- maven-plugin must have the version: %s", [expected])
}

deny contains msg if {
	input.project.modelVersion != "4.0.0"
	msg := "the model version must be 4.0.0"
}
