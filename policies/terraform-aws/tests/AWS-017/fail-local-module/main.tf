# The module's default policy is TLS 1.2+; "legacy" passes one that accepts TLS 1.0.
module "web" {
  source            = "./modules/https"
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"
}

module "legacy" {
  source            = "./modules/https"
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/legacy/1"
  ssl_policy        = "ELBSecurityPolicy-2016-08" # finding
}
