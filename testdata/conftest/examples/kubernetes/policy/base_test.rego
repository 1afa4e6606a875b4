package main

test_deployment_without_security_context if {
	deny["Containers must not run as root in Deployment sample"] with input as {"kind": "Deployment", "metadata": {"name": "sample"}}
}

test_service_warns if {
	warn["Found service sample but services are not allowed"] with input as {"kind": "Service", "metadata": {"name": "sample"}}
}

test_services_are_not_denied if {
	count(deny) == 0 with input as {"kind": "Service", "metadata": {"name": "sample"}}
}

test_deployments_are_violations if {
	count(violation) == 1 with input as {"kind": "Deployment", "metadata": {"name": "sample"}}
}
