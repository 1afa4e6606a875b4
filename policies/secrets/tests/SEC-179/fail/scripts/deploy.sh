#!/bin/sh
set -eu
export TYPEFORM_TOKEN="<<ward:SEC-179>>"
./bin/release --env production
