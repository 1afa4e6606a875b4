package kubernetes

is_service if input.kind == "Service"

is_deployment if input.kind == "Deployment"
