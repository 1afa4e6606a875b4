# terraform-aws-modules/iam 5.x: administrator access passed to the assumable-role modules.
module "break_glass" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.40"

  create_role         = true
  role_name           = "break-glass"
  attach_admin_policy = true # finding
  trusted_role_arns   = ["arn:aws:iam::111122223333:root"]
}

module "deployer" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "5.44.0"

  create_role             = true
  role_name               = "deployer"
  custom_role_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] # finding
  inline_policy_statements = [ # finding
    {
      sid       = "Everything"
      actions   = ["*"]
      resources = ["*"]
    },
    {
      sid       = "Logs"
      actions   = ["logs:PutLogEvents"]
      resources = ["arn:aws:logs:eu-west-1:111122223333:log-group:/deployer:*"]
    },
  ]
}

module "ci" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version = "~> 5.0"

  create_role      = true
  role_name        = "ci"
  provider_url     = "token.actions.githubusercontent.com"
  role_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] # finding
}

module "irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.30"

  role_name = "controller"
  role_policy_arns = { # finding
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}

module "roles" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-roles"
  version = "~> 5.0"

  create_admin_role = true # finding
}

module "admins" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-group-with-policies"
  version = "~> 5.0"

  name                     = "admins"
  custom_group_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] # finding
}
