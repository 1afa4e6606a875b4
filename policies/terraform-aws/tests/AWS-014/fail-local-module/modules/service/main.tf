variable "port" {
  default = 443
}

variable "cidr_blocks" {
  default = ["10.0.0.0/8"]
}

resource "aws_security_group" "this" {
  name = "service"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = var.cidr_blocks
  }
}
