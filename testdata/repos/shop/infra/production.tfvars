environment        = "production"
region             = "eu-west-1"
db_instance_class  = "db.r6g.large"
db_multi_az        = false
log_retention_days = 90
api_desired_count  = 3
api_image_tag      = "1.14.2"

allowed_ingress_cidrs = [
  "0.0.0.0/0",
]
