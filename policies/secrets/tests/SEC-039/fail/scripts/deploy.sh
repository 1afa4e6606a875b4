#!/bin/sh
set -eu
export CF_ORIGIN_CA_KEY="<<ward:SEC-039>>"
./bin/release --env production
