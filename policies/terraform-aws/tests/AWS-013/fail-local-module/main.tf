module "internal" {
  source = "./modules/bastion"
  vpc_id = "vpc-1"
}

module "public" {
  source    = "./modules/bastion"
  vpc_id    = "vpc-1"
  ssh_cidrs = ["10.0.0.0/8", "0.0.0.0/0"]
}
