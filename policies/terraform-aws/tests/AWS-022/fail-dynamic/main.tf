variable "rollback_events" {
  default = ["DEPLOYMENT_FAILURE"]
}

resource "aws_codedeploy_deployment_group" "web" {
  app_name              = "web"
  deployment_group_name = "web"
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy"

  dynamic "auto_rollback_configuration" {
    for_each = [var.rollback_events] # finding
    content {
      enabled = true
      events  = auto_rollback_configuration.value
    }
  }

  alarm_configuration {
    enabled = true
    alarms  = ["web-errors"]
  }
}
