# 8.x gives an HTTPS listener without `ssl_policy` the module's `listener_ssl_policy_default`,
# ELBSecurityPolicy-2016-08 (TLS 1.0): at the argument that lists the listener.
module "alb_v8" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.7"

  name = "web"

  https_listeners = [ # finding
    {
      port            = 443
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
    },
  ]
}

# 9.x defaults to a TLS 1.2+ policy; "legacy" asks for the old one.
module "alb_v9" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name = "api"

  listeners = { # finding
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      forward         = { target_group_key = "api" }
    }
    legacy = {
      port            = 8443
      protocol        = "HTTPS"
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      ssl_policy      = "ELBSecurityPolicy-2016-08"
      forward         = { target_group_key = "api" }
    }
  }
}
