terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.replica]
    }
  }
}

resource "aws_sqs_queue" "primary" {
  name = "orders"
}

# In the provider the call maps `aws.replica` to: the root's `aws.eu`, without default tags.
resource "aws_sqs_queue" "replica" { # finding
  provider = aws.replica
  name     = "orders-replica"
}
