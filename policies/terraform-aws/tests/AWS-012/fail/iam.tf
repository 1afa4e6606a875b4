data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "Everything"
    actions   = ["*"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadAllSecrets"
    actions   = ["secretsmanager:GetSecretValue", "sts:GetCallerIdentity"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "ci" {
  name   = "ci"
  user   = "ci"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}}"
}

resource "aws_iam_role_policy" "exporter" {
  name = "exporter"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "kms:Decrypt"]
      Resource = "*"
    }, {
      Effect   = "Allow"
      Action   = "sqs:SendMessage"
      Resource = aws_sqs_queue.exports.arn
    }]
  })
}
