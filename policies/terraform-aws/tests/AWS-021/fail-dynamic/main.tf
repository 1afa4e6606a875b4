variable "rollback" {
  default = false
}

# The circuit breaker written as a dynamic block, its rollback off.
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
  task_definition = "api:1"

  dynamic "deployment_circuit_breaker" {
    for_each = [1]
    content {
      enable   = true
      rollback = var.rollback # finding
    }
  }
}
