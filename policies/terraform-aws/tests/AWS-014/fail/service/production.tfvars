allowed_ingress_cidrs = [
  "0.0.0.0/0",
]
