db_instance_class   = "db.r6g.xlarge"
db_multi_az         = false
db_engine_version   = "15.7"
lambda_runtime      = "python3.12"
