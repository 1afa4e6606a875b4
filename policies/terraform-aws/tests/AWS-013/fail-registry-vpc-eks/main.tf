# terraform-aws-modules/vpc 5.x manages the default security group: what the caller puts in it
# is created.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.8"

  name = "main"
  cidr = "10.0.0.0/16"

  default_security_group_ingress = [
    { from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = "0.0.0.0/0" },
  ]
}

# terraform-aws-modules/eks 20.x: a rule added to the nodes' security group.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.11"

  cluster_name = "main"

  node_security_group_additional_rules = {
    ssh = {
      type        = "ingress"
      protocol    = "tcp"
      from_port   = 22
      to_port     = 22
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

# 21.x: the same input without the `cluster_` prefix for the cluster's group.
module "eks_21" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name = "next"

  security_group_additional_rules = {
    postgres = {
      type        = "ingress"
      from_port   = 5432
      to_port     = 5432
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
