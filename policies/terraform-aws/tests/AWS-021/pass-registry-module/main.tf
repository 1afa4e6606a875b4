module "web" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.11"

  name        = "web"
  cluster_arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"

  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }
}

# Deployed blue/green by CodeDeploy (AWS-022 checks its rollback), with the task definition
# managed outside Terraform.
module "bluegreen" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.11"

  name                           = "bluegreen"
  cluster_arn                    = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
  ignore_task_definition_changes = true

  deployment_controller = {
    type = "CODE_DEPLOY"
  }
}
