# terraform-aws-modules/security-group: an application port open to the internet.
module "app_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.1"

  name                = "app"
  vpc_id              = "vpc-1"
  ingress_cidr_blocks = ["0.0.0.0/0"] # finding
  ingress_rules       = ["https-443-tcp", "http-8080-tcp"]
}
