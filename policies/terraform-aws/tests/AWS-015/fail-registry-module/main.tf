# terraform-aws-modules/eks 19+ creates the secrets-encryption key; the caller turns its
# rotation off.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name            = "main"
  enable_kms_key_rotation = false
}
