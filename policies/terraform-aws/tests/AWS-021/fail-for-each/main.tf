variable "services" {
  default = {
    api   = true
    batch = false
  }
}

resource "aws_ecs_service" "this" {
  for_each        = var.services
  name            = each.key
  cluster         = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
  task_definition = "${each.key}:1"

  deployment_circuit_breaker {
    enable   = true
    rollback = each.value # finding
  }
}
