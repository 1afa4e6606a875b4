environment = "prod"
public_site = true
