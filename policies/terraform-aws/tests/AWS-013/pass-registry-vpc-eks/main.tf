# Before 5.0 the vpc module leaves the default security group alone unless asked: the ingress
# given is never created.
module "vpc_4" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "4.0.2"

  name = "legacy"
  default_security_group_ingress = [
    { from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = "0.0.0.0/0" },
  ]
}

# Managed, open to the VPC only.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.8"

  name = "main"
  default_security_group_ingress = [
    { from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = "10.0.0.0/16,10.1.0.0/16" },
  ]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.11"

  cluster_name = "main"

  node_security_group_additional_rules = {
    egress_all = {
      type        = "egress"
      protocol    = "-1"
      from_port   = 0
      to_port     = 0
      cidr_blocks = ["0.0.0.0/0"]
    }
    ssh_from_vpn = {
      type        = "ingress"
      protocol    = "tcp"
      from_port   = 22
      to_port     = 22
      cidr_blocks = ["10.8.0.0/16"]
    }
  }
}
