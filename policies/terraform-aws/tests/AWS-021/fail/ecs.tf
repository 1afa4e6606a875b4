resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 2

  deployment_circuit_breaker {
    enable   = true
    rollback = false
  }
}

resource "aws_ecs_service" "cron" {
  name            = "cron"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.cron.arn

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable = false
  }
}
