# A role anyone may assume: through the caller's own trust policy, or the module's, trusting
# every AWS principal without the MFA condition.
module "custom_trust" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.30"

  create_role                     = true
  role_name                       = "shared"
  create_custom_role_trust_policy = true
  custom_role_trust_policy = jsonencode({ # finding
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "anyone" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.30"

  create_role       = true
  role_name         = "anyone"
  role_requires_mfa = false
  trusted_role_arns = ["*"] # finding
}
