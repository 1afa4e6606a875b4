# The module forwards on HTTPS; "plain" makes it forward on plain HTTP.
module "secure" {
  source            = "./modules/listener"
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"
  target_group_arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1"
}

module "plain" {
  source            = "./modules/listener"
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"
  target_group_arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1"
  protocol          = "HTTP" # finding
}
