#!/bin/sh
set -eu
export GOOGLE_REFRESH_TOKEN="<<ward:SEC-193>>"
./bin/release --env production
