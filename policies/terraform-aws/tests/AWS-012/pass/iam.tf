data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "Identity"
    actions   = ["sts:GetCallerIdentity", "ecr:GetAuthorizationToken", "ec2:DescribeInstances"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/*"]
  }

  # Narrowed by a condition on the resource's tags.
  statement {
    sid       = "TeamInstances"
    actions   = ["ec2:StartInstances", "ec2:StopInstances"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["checkout"]
    }
  }

  statement {
    sid       = "NoDeletes"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "ci" {
  name   = "ci"
  user   = "ci"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-artifacts/*\"}}"
}

resource "aws_iam_role_policy" "exporter" {
  name = "exporter"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.exports.arn}/*"
    }, {
      Effect   = "Allow"
      Action   = "sqs:SendMessage"
      Resource = aws_sqs_queue.exports.arn
    }]
  })
}
