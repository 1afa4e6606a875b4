# The module's ingress is private by default; "api" opens its application port to everyone.
module "internal" {
  source = "./modules/service"
  port   = 8080
}

module "api" {
  source      = "./modules/service"
  port        = 8080
  cidr_blocks = ["0.0.0.0/0"] # finding
}
