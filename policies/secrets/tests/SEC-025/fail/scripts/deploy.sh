#!/bin/sh
set -eu
export DIGITALOCEAN_ACCESS_TOKEN="<<ward:SEC-025>>"
./bin/release --env production
