variable "actions" {
  default = ["s3:GetObject"]
}

resource "aws_iam_policy" "this" {
  name = "generated"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "arn:aws:s3:::acme/*" }]
  })
}
