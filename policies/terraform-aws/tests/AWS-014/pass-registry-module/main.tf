module "web_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.1"

  name                = "web"
  vpc_id              = "vpc-1"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["https-443-tcp", "http-80-tcp"]
}
