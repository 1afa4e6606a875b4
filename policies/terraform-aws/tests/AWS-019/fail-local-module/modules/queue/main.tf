variable "name" {}

variable "tags" {
  default = {}
}

# No provider block: the module's resources use the caller's provider, and its default tags.
resource "aws_sqs_queue" "this" {
  name = var.name
  tags = var.tags
}
