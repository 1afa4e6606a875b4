# The module opens each rule to the world unless the rule names its ranges: SSH here.
module "bastion" {
  source = "./modules/sg"
  rules = [ # finding
    { port = 22 },
    { port = 5432, cidr_blocks = ["10.0.0.0/16"] },
  ]
}
