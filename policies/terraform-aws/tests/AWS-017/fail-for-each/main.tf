variable "listeners" {
  default = {
    "443"  = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    "8443" = "ELBSecurityPolicy-2016-08"
  }
}

resource "aws_lb_listener" "https" {
  for_each          = var.listeners
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"
  port              = tonumber(each.key)
  protocol          = "HTTPS"
  ssl_policy        = each.value # finding
  certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/1"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1"
  }
}
