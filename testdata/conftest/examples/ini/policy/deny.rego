package main

deny contains "Users should verify their e-mail address" if {
	not input.users.verify_email_enabled
}

deny contains "Basic auth should be enabled" if {
	not input["auth.basic"].enabled
}

deny contains "Grafana should listen on port 3000" if {
	input.server.http_port != 3000
}
