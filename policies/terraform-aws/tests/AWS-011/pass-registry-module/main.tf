# The inline policy is not created unless asked (`create_inline_policy` defaults to false).
module "deployer" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "~> 6.0"

  name = "deployer"
  inline_policy_permissions = {
    Everything = { actions = ["*"], resources = ["*"] }
  }
}

# Deny statements grant nothing.
module "guardrail" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-policy"
  version = "~> 6.0"

  name = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }]
  })
}
