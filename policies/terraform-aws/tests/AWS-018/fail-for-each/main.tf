variable "listeners" {
  default = {
    "80"  = "HTTP"
    "443" = "HTTPS"
  }
}

# One listener per port, each forwarding: the one on port 80 forwards plain HTTP.
resource "aws_lb_listener" "web" {
  for_each          = var.listeners
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"
  port              = tonumber(each.key)
  protocol          = each.value
  ssl_policy        = each.value == "HTTPS" ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : null
  certificate_arn   = each.value == "HTTPS" ? "arn:aws:acm:eu-west-1:111122223333:certificate/example" : null

  default_action { # finding
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1"
  }
}
