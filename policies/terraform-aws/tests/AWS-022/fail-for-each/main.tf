variable "groups" {
  default = {
    web    = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
    worker = ["DEPLOYMENT_FAILURE"]
  }
}

resource "aws_codedeploy_deployment_group" "this" {
  for_each              = var.groups
  app_name              = each.key
  deployment_group_name = each.key
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy"

  auto_rollback_configuration {
    enabled = true
    events  = each.value # finding
  }

  alarm_configuration {
    enabled = true
    alarms  = ["${each.key}-errors"]
  }
}
