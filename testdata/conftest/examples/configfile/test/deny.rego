package config

deny contains "Containers must not run as root" if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
}
