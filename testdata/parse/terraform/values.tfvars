# Variable values: scalars, lists, maps, nested objects and a heredoc.
environment        = "production"
region             = "eu-west-1"
db_multi_az        = true
log_retention_days = 90
replica_count      = 3
cpu_target         = 0.7

availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

allowed_cidrs = [
  "10.0.0.0/8",
  "192.168.0.0/16", # office VPN
]

tags = {
  Team       = "checkout"
  CostCenter = "cc-4102"
  "app:tier" = "backend"
}

services = {
  api = {
    cpu    = 512
    memory = 1024
    ports  = [8000]
    env    = { LOG_LEVEL = "info" }
  }
  worker = {
    cpu    = 256
    memory = 512
    ports  = []
    env    = {}
  }
}

motd = <<-EOT
  Production. Changes go through the change board.
EOT
