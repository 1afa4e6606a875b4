package main

deny contains msg if {
	not input.entryPoints.http.compress
	msg := "Compression should be enabled on the http entry point"
}

deny contains msg if {
	input.api.dashboard
	msg := "The dashboard should not be exposed"
}
