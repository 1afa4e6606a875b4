variable "resources" {
  default = ["arn:aws:s3:::acme/*"]
}

data "aws_iam_policy_document" "this" {
  statement {
    actions   = ["s3:GetObject"]
    resources = var.resources
  }
}
