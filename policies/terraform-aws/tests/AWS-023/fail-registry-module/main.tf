# iam-user creates an access key unless told not to: at the call.
module "ci" { # finding
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.0"

  name = "ci"
}

# Asked for in plain sight: at the argument.
module "deploy" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.0"

  name                  = "deploy"
  create_iam_access_key = true # finding
}
