db_instance_class        = "db.t4g.medium"
db_multi_az              = true
db_engine_version        = "16.3"
db_backup_retention_days = 7
eks_cluster_version      = "1.30"
