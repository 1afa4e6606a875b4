# Plain HTTP only redirects to HTTPS, in 8.x's lists and 9.x's map.
module "alb_v8" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.7"

  name = "web"

  http_tcp_listeners = [
    {
      port        = 80
      protocol    = "HTTP"
      action_type = "redirect"
      redirect = {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    },
  ]

  https_listeners = [
    {
      port            = 443
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    },
  ]
}

module "alb_v9" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name = "api"

  listeners = {
    http = {
      port = 80
      redirect = {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      forward         = { target_group_key = "api" }
    }
  }
}
