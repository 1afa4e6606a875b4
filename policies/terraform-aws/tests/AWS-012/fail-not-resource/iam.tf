# NotResource in an Allow: every resource but the one listed.
data "aws_iam_policy_document" "almost_everywhere" {
  statement {
    actions       = ["s3:GetObject"]
    not_resources = ["arn:aws:s3:::acme-audit/*"]
  }
}

resource "aws_iam_policy" "json" {
  name   = "json"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"NotResource\":\"arn:aws:dynamodb:eu-west-1:111122223333:table/audit\"}]}"
}
