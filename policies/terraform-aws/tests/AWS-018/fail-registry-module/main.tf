# 8.x: an HTTP listener forwards unless its `action_type` is "redirect": at the argument that
# lists it.
module "alb_v8" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.7"

  name = "web"

  http_tcp_listeners = [ # finding
    {
      port     = 80
      protocol = "HTTP"
    },
  ]
}

# 9.x: a listener without `protocol` is HTTP (`default_protocol`); this one forwards.
module "alb_v9" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name = "api"

  listeners = { # finding
    http = {
      port    = 80
      forward = { target_group_key = "api" }
    }
  }
}
