resource "aws_iam_user" "github_actions" {
  name = "github-actions"
}

resource "aws_iam_user" "release" {
  name = "release-bot"
}

resource "aws_iam_access_key" "release" {
  user = aws_iam_user.release.name
}

# A person, with a console login: not a machine identity.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_access_key" "alice" {
  user = aws_iam_user.alice.name
}

# A key for a user created by hand.
resource "aws_iam_access_key" "legacy_ci" {
  user = "legacy-ci"
}
