package main

test_ssh_is_denied if {
	count(deny) == 1 with input as {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 22}]}}
}
