# 5.x adds a circuit breaker only when the caller passes one: none at the call.
module "api" { # finding
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.11"

  name        = "api"
  cluster_arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
}

# A circuit breaker that does not roll back: at the argument.
module "worker" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.11"

  name        = "worker"
  cluster_arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"

  deployment_circuit_breaker = { # finding
    enable   = true
    rollback = false
  }
}
