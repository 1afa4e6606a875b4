variable "writers" {
  default = {
    reports = "arn:aws:s3:::acme-reports/*"
    scratch = "*"
  }
}

resource "aws_iam_policy" "writer" {
  for_each = var.writers
  name     = "${each.key}-writer"
  policy = jsonencode({ # finding
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = each.value
    }]
  })
}
