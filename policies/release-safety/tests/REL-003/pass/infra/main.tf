variable "domain" {
  type = string
}

variable "alert_emails" {
  type = list(string)
}

variable "ami_id" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_route53_zone" "main" {
  name = var.domain
}
