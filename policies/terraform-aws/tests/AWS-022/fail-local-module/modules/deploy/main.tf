variable "name" {}

variable "rollback_events" {
  default = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name              = var.name
  deployment_group_name = var.name
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy"

  auto_rollback_configuration {
    enabled = true
    events  = var.rollback_events
  }

  alarm_configuration {
    enabled = true
    alarms  = ["${var.name}-errors"]
  }
}
