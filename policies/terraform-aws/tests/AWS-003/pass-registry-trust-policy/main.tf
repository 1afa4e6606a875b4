# From 5.30.0 the custom trust policy is used only with create_custom_role_trust_policy; the
# module's own policy requires MFA by default (a Condition).
module "ignored_custom_trust" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.30"

  create_role = true
  role_name   = "shared"
  custom_role_trust_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
  trusted_role_arns = ["arn:aws:iam::111122223333:root"]
}

module "with_mfa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.30"

  create_role       = true
  role_name         = "with-mfa"
  trusted_role_arns = ["*"]
}
