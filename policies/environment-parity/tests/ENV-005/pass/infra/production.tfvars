# Sizing differs on purpose: it is not compared.
db_instance_class        = "db.r6g.xlarge"
db_multi_az              = true
db_engine_version        = "16.3"
db_backup_retention_days = 7
lambda_runtime           = "python3.12"
eks_cluster_version      = "1.30"
