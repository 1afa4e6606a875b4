provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      env         = "production"
      service     = "orders"
      owner       = "checkout-team"
      cost_center = "cc-104"
    }
  }
}

provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}

module "queues" {
  source = "./modules/replicated"
  providers = {
    aws         = aws
    aws.replica = aws.eu
  }
}

# The default provider passed on by another name: its default tags apply.
module "tagged" {
  source = "./modules/replicated"
  providers = {
    aws         = aws
    aws.replica = aws
  }
}
