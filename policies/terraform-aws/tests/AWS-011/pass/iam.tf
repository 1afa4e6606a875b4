data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/*"]
  }

  statement {
    sid       = "ExportObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:List*"]
    resources = ["arn:aws:s3:::acme-exports/*"]
  }

  # A guardrail: Deny statements are not grants.
  statement {
    sid       = "NoIam"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "storage_reader" {
  name   = "storage-reader"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:GetObject", "dynamodb:GetItem"], "Resource": "arn:aws:s3:::acme-*" }
  ]
}
EOT
}

resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = data.aws_iam_policy_document.worker.json

  inline_policy {
    name = "ops"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::acme-ops/*" }]
    })
  }
}

resource "aws_iam_role_policy" "exporter" {
  name = "exporter"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = "${aws_s3_bucket.exports.arn}/*"
    }]
  })
}
