# Deny with NotResource: the usual "only these buckets" guardrail.
data "aws_iam_policy_document" "only_exports" {
  statement {
    effect        = "Deny"
    actions       = ["s3:*"]
    not_resources = ["arn:aws:s3:::acme-exports", "arn:aws:s3:::acme-exports/*"]
  }

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-exports/*"]
  }
}
