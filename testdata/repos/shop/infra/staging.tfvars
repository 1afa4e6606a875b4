environment        = "staging"
region             = "eu-west-1"
db_instance_class  = "db.t4g.medium"
db_multi_az        = true
log_retention_days = 14
api_desired_count  = 2
api_image_tag      = "1.15.0-rc.2"
