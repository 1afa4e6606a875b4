variable "readers" {
  default = ["*"]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-public/*"]

    dynamic "principals" {
      for_each = [var.readers] # finding
      content {
        type        = "AWS"
        identifiers = principals.value
      }
    }
  }
}
