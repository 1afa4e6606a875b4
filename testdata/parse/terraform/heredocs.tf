# Heredocs: plain and indented (<<-), with interpolation and directives inside, and a
# heredoc whose delimiter is not EOT.
resource "aws_iam_policy" "read_logs" {
  name   = "read-logs"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::${var.bucket}/*"
    }
  ]
}
EOT
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    echo "environment=${var.environment}" > /etc/environment.d/app.conf
    %{ for user in var.admin_users ~}
    useradd --create-home ${user}
    %{ endfor ~}
    echo "literal $${HOME} and %%{ not a directive }"
  EOT

  tags = {
    Name = "bastion"
  }
}

locals {
  banner = <<BANNER
Welcome to ${var.environment}.
Unauthorised access is prohibited.
BANNER

  empty_heredoc = <<EOT
EOT
}

variable "bucket" {
  type = string
}

variable "environment" {
  type    = string
  default = "staging"
}

variable "admin_users" {
  type    = list(string)
  default = ["alice", "bob"]
}
