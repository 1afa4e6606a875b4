variable "environment" {
  type    = string
  default = "production"
}

variable "subnets" {
  type = map(object({
    cidr = string
    az   = string
    public = optional(bool, false)
  }))
  default = {
    a = { cidr = "10.0.1.0/24", az = "eu-west-1a", public = true }
    b = { cidr = "10.0.2.0/24", az = "eu-west-1b" }
  }
}

locals {
  is_production = var.environment == "production"

  # Conditionals, nested and with null.
  instance_type = local.is_production ? "m6i.large" : "t3.small"
  replicas      = var.environment == "production" ? 3 : var.environment == "staging" ? 2 : 1
  kms_key_id    = local.is_production ? aws_kms_key.main[0].arn : null

  # for expressions: list and map results, with filters, index and grouping.
  subnet_cidrs   = [for s in var.subnets : s.cidr]
  public_subnets = { for name, s in var.subnets : name => s.cidr if s.public }
  upper_names    = [for i, name in keys(var.subnets) : "${i}-${upper(name)}"]
  by_az          = { for name, s in var.subnets : s.az => name... }

  # Splat expressions: full and legacy attribute-only.
  instance_ids = aws_instance.web[*].id
  private_ips  = aws_instance.web.*.private_ip
  first_sg_ids = aws_instance.web[0].vpc_security_group_ids

  # String templates with directives, strip markers and escapes.
  greeting = "Hello, %{ if local.is_production }customer%{ else }tester%{ endif }!"
  listing  = "%{ for name, s in var.subnets ~}${name}=${s.cidr} %{ endfor ~}"
  literal  = "$${not_interpolated} and %%{not_a_directive}"

  # Operators, function calls, index and attribute access, tuples and objects.
  total       = (1 + 2) * 3 - 4 / 2 % 3
  not_prod    = !local.is_production && length(var.subnets) > 0 || false
  merged_tags = merge({ Environment = var.environment }, try(var.extra_tags, {}))
  first_cidr  = values(var.subnets)[0]["cidr"]
  cidr_block  = cidrsubnet("10.0.0.0/16", 8, 4)
  nested      = { list = [1, "two", true, null], "quoted key" = { deeper = [[1, 2], [3]] } }
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}

resource "aws_kms_key" "main" {
  count       = local.is_production ? 1 : 0
  description = "main"
}

resource "aws_instance" "web" {
  count         = local.replicas
  ami           = "ami-0123456789abcdef0"
  instance_type = local.instance_type
  subnet_id     = element(local.subnet_cidrs, count.index)
}
