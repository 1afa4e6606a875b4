# iam-assumable-role creates nothing unless `create_role = true`: the admin policy named here
# is never attached. Before 5.40.0 the module had no inline policy, so statements passed to
# an older version create nothing either.
module "disabled" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.40"

  role_name           = "break-glass"
  attach_admin_policy = true
}

module "old" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "5.39.1"

  create_role             = true
  role_name               = "old"
  custom_role_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  inline_policy_statements = [
    { actions = ["*"], resources = ["*"] },
  ]
}

module "scoped" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.40"

  create_role = true
  role_name   = "scoped"
  inline_policy_statements = [
    { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::acme-reports/*"] },
    { effect = "Deny", actions = ["*"], resources = ["*"] },
  ]
}
