variable "name" {}

variable "rollback" {
  default = true
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
  task_definition = "${var.name}:1"

  deployment_circuit_breaker {
    enable   = true
    rollback = var.rollback
  }
}
