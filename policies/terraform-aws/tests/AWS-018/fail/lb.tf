resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = var.public_subnets
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# No protocol on an application load balancer: HTTP.
resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.web.arn
  port              = 8080

  default_action {
    type = "redirect"

    redirect {
      port        = "8081"
      status_code = "HTTP_302"
    }
  }
}

resource "aws_lb_listener" "legacy" {
  load_balancer_arn = aws_lb.web.arn
  port              = 8000
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener_rule" "legacy_api" {
  listener_arn = aws_lb_listener.legacy.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }

  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
}

resource "aws_lb_listener" "maintenance" {
  load_balancer_arn = aws_lb.web.arn
  port              = 8080
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "down for maintenance"
      status_code  = "503"
    }
  }
}
