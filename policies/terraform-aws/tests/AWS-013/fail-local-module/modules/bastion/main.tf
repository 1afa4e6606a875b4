variable "vpc_id" {}

variable "ssh_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

resource "aws_security_group" "this" {
  name   = "bastion"
  vpc_id = var.vpc_id

  dynamic "ingress" {
    for_each = var.ssh_cidrs
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
