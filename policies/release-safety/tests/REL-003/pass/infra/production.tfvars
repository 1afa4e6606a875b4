domain = "shop.northwind.dev"
alert_emails = [
  "oncall@northwind.dev",
  "platform@northwind.dev",
]
ami_id = "ami-0f9e8d7c6b5a43210"
tags = {
  owner       = "team-storefront"
  cost_center = "4711"
}
