resource "aws_iam_user" "this" {
  for_each = toset(["alice", "jenkins"])
  name     = each.key
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.this["alice"].name
}
