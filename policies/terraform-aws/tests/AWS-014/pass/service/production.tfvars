allowed_ingress_cidrs = ["10.30.0.0/16"]
