# A legacy module that configures its own provider from its inputs.
variable "access_key" {
  default = ""
}

variable "secret_key" {
  default = ""
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.access_key
  secret_key = var.secret_key
}

resource "aws_sqs_queue" "this" {
  name = "legacy"
}
