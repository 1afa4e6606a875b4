# A bucket whose name differs per environment but whose missing encryption does not: one
# finding, not one per tfvars file. Its for_each copies share the problem too.
variable "env" {
  default = "dev"
}

resource "aws_s3_bucket" "exports" {
  for_each = toset(["csv", "parquet"])
  bucket   = "shop-${var.env}-exports-${each.key}"
}
