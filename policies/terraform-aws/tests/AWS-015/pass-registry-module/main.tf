# 18.x creates no key unless asked.
module "eks_18" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 18.31"

  cluster_name            = "legacy"
  enable_kms_key_rotation = false
}

# The module's default: a rotating key.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name = "main"
}
