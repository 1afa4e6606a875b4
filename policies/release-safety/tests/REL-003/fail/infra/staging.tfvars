domain       = "staging.example.com"
alert_emails = ["oncall@northwind.dev"]
ami_id       = "ami-0a1b2c3d4e5f67890"
