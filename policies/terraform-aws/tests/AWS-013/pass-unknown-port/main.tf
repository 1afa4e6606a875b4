# A port that is not known before apply (a variable with no default nor tfvars value) may
# not be an admin port: not reported.
variable "port" {
  type = number
}

resource "aws_security_group" "api" {
  name = "api"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
