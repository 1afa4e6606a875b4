provider "google" {
  project = "payments-prod"
  region  = "europe-west1"
}

resource "google_container_cluster" "primary" {
  name               = "payments"
  initial_node_count = 1

  master_auth {
    username = ""
    password = ""
  }
}
