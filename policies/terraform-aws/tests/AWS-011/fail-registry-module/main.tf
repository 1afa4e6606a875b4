module "admin_policy" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-policy"
  version = "~> 5.30"

  name = "admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

# 6.x: the role's inline policy from statement maps.
module "deployer" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "~> 6.0"

  name                 = "deployer"
  create_inline_policy = true
  inline_policy_permissions = {
    Everything = {
      actions   = ["iam:*"]
      resources = [module.admin_policy.arn]
    }
  }
}
