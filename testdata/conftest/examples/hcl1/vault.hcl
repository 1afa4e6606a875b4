# Vault server configuration (HCL1)
ui = true

storage "raft" {
  path    = "/vault/data"
  node_id = "node-a"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = 1
}

listener "tcp" {
  address       = "127.0.0.1:8201"
  tls_cert_file = "/etc/vault/tls.crt"
}

telemetry {
  disable_hostname = true
}
