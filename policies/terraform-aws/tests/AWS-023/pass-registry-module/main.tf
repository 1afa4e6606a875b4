module "ci" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.0"

  name                  = "ci"
  create_iam_access_key = false
}
