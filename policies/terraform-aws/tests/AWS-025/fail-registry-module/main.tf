# terraform-aws-modules/iam's iam-user makes an access key unless told not to.
module "deployer" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.30"

  name = "gitlab-deployer"
}
