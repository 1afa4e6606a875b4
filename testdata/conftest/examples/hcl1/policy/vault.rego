package main

import rego.v1

# hashicorp/hcl v1: `listener "tcp" { … }` is input.listener[_].tcp[_].
deny contains msg if {
	some listener in input.listener
	some tcp in listener.tcp
	tcp.tls_disable == 1
	msg := sprintf("listener %s has TLS disabled", [tcp.address])
}

warn contains "the web UI is enabled" if {
	input.ui == true
}
