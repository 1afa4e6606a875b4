env = "production"
