#!/bin/sh
set -eu
export PAYPAL_CLIENT_SECRET="<<ward:SEC-137>>"
./bin/release --env production
