#!/bin/sh
set -eu
export NEW_RELIC_LICENSE_KEY="<<ward:SEC-109>>"
./bin/release --env production
