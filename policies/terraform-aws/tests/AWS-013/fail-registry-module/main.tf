module "bastion_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.1"

  name                = "bastion"
  vpc_id              = "vpc-1"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["https-443-tcp", "ssh-tcp"]
}

module "db_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.1"

  name   = "db"
  vpc_id = "vpc-1"
  ingress_with_cidr_blocks = [
    { from_port = 5432, to_port = 5432, protocol = "tcp", cidr_blocks = "10.0.0.0/16" },
    { rule = "rdp-tcp", cidr_blocks = "0.0.0.0/0" },
  ]
}
