resource "aws_iam_role" "task" {
  name = "task"

  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": []
}
EOF
}
