#!/bin/sh
set -eu
export DOPPLER_TOKEN="<<ward:SEC-095>>"
./bin/release --env production
