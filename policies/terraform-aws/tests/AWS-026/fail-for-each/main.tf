provider "aws" { # finding
  region = "eu-west-1"
}

variable "budgets" {
  description = "Monthly limits by budget name."
  type        = map(number)
  default     = {}
}

# A budget per entry of an empty map is no budget at all.
resource "aws_budgets_budget" "monthly" {
  for_each     = var.budgets
  name         = each.key
  budget_type  = "COST"
  limit_amount = each.value
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
}
