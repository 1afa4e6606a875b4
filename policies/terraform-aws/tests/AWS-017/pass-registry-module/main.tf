# 8.x with a TLS 1.2+ default for every HTTPS listener, and one listener's own policy.
module "alb_v8" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.7"

  name                        = "web"
  listener_ssl_policy_default = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  https_listeners = [
    {
      port            = 443
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
    },
    {
      port            = 8443
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      ssl_policy      = "ELBSecurityPolicy-TLS13-1-3-2021-06"
    },
  ]
}

# 9.x gives HTTPS and TLS listeners ELBSecurityPolicy-TLS13-1-2-Res-2021-06 unless told otherwise.
module "alb_v9" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name = "api"

  listeners = {
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/example"
      forward         = { target_group_key = "api" }
    }
  }
}
