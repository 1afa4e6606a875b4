resource "aws_iam_policy" "this" {
  for_each = { reader = "s3:GetObject", admin = "*" }
  name     = each.key
  policy = jsonencode({ # finding
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = each.value, Resource = "arn:aws:s3:::acme/*" }]
  })
}
