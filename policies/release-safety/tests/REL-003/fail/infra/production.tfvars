domain = "shop.example.com"
alert_emails = [
  "oncall@northwind.dev",
  "<fill-in>",
]
ami_id      = "ami-xxxxxxxx"
db_password = "changeme"
tags = {
  owner       = "TODO"
  cost_center = "4711"
}
