variable "create" {
  default = true
}

variable "limit" {
  default = 500
}

resource "aws_budgets_budget" "this" {
  count        = var.create ? 1 : 0
  name         = "monthly"
  budget_type  = "COST"
  limit_amount = var.limit
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
}
