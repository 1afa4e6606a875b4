# Deny grants nothing, whatever it names.
data "aws_iam_policy_document" "guardrail" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }

  statement {
    effect      = "Deny"
    not_actions = ["iam:ChangePassword"]
    resources   = ["*"]
  }
}

# A prefix wildcard is not every action of the service.
resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = { Effect = "Allow", Action = ["s3:Get*", "s3:List*"], Resource = "arn:aws:s3:::acme-reports/*" }
  })
}

resource "aws_iam_role_policy_attachment" "read_only" {
  role       = "auditor"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# A statement that names no action grants none (its actions come from a source document).
data "aws_iam_policy_document" "overrides" {
  source_policy_documents = [data.aws_iam_policy_document.guardrail.json]

  statement {
    sid       = "Scope"
    resources = ["*"]
  }
}
