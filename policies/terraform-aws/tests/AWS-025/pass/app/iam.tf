# The repository has an OIDC provider (bootstrap/): CI uses it, and the remaining user is
# a person.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user" "github_actions" {
  name = "github-actions-readonly"
}
