variable "statements" {
  default = [
    { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::acme-reports/*"] },
    { actions = ["s3:PutObject"], resources = ["*"] },
  ]
}

data "aws_iam_policy_document" "generated" {
  dynamic "statement" {
    for_each = var.statements # finding
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
