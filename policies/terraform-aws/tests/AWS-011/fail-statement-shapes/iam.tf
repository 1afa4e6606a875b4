# Every action on one bucket: not administrator access, still every action on it (deleting it,
# rewriting its policy).
data "aws_iam_policy_document" "bucket_owner" {
  statement {
    actions   = ["*"]
    resources = ["arn:aws:s3:::acme-exports", "arn:aws:s3:::acme-exports/*"]
  }
}

# A whole service's wildcard on every resource.
data "aws_iam_policy_document" "iam_admin" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

# `Statement` as a single object, `Action` as a string: administrator access.
resource "aws_iam_user_policy" "break_glass" {
  name   = "break-glass"
  user   = "break-glass"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
}

# The AWS-managed administrator policy, attached two ways.
resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = "ops"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "legacy" {
  name                = "legacy"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]
}

# NotAction with NotResource: every action but IAM's, on every resource but one.
resource "aws_iam_group_policy" "developers" {
  name  = "developers"
  group = "developers"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "iam:*", NotResource = "arn:aws:s3:::acme-audit/*" }]
  })
}

# In a policy document: NotAction, and every action with no resource named (a resource
# policy's statement applies to the resource it is attached to).
data "aws_iam_policy_document" "queue" {
  statement {
    not_actions = ["iam:*"]
    resources   = ["arn:aws:s3:::acme-ops/*"]
  }

  statement {
    actions = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
