# The downloaded package's example: not a module any call reaches, never read.
resource "aws_security_group" "example" {
  name = "example"

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
