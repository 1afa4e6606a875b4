# A user whose name is not known before apply, with a static key and no console login.
variable "user_name" {
  type = string
}

resource "aws_iam_user" "integration" { # finding
  name = var.user_name
}

resource "aws_iam_access_key" "integration" {
  user = aws_iam_user.integration.name
}
