#!/bin/sh
set -eu
export GITHUB_CLIENT_SECRET="<<ward:SEC-207>>"
./bin/release --env production
