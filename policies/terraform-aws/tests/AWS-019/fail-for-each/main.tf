provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      env     = "production"
      service = "orders"
    }
  }
}

variable "queues" {
  default = {
    orders  = { owner = "checkout-team", cost_center = "cc-104" }
    refunds = { owner = "checkout-team" }
  }
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues
  name     = each.key
  tags     = each.value # finding
}
