variable "load_balancer_arn" {}

variable "protocol" {
  default = "HTTPS"
}

variable "target_group_arn" {}

resource "aws_lb_listener" "this" {
  load_balancer_arn = var.load_balancer_arn
  port              = var.protocol == "HTTPS" ? 443 : 80
  protocol          = var.protocol
  certificate_arn   = var.protocol == "HTTPS" ? "arn:aws:acm:eu-west-1:111122223333:certificate/example" : null

  default_action {
    type             = "forward"
    target_group_arn = var.target_group_arn
  }
}
