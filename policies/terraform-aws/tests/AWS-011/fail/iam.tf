data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/*"]
  }

  statement {
    sid       = "Everything"
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "storage_admin" {
  name   = "storage-admin"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:*", "dynamodb:GetItem"], "Resource": "arn:aws:s3:::acme-*" }
  ]
}
EOT
}

resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = data.aws_iam_policy_document.worker.json

  inline_policy {
    name = "almost-admin"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", NotAction = ["iam:*"], Resource = "arn:aws:s3:::acme-ops/*" }]
    })
  }
}

# Unresolvable (it names a bucket's ARN): read from its text.
resource "aws_iam_role_policy" "exporter" {
  name = "exporter"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "${aws_s3_bucket.exports.arn}/*"
    }]
  })
}
