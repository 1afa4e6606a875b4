resource "aws_iam_user" "bot" {
  for_each = toset(["deploy", "release"])
  name     = each.key
}

resource "aws_iam_access_key" "bot" { # finding
  for_each = aws_iam_user.bot
  user     = each.value.name
}
