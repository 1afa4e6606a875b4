#!/bin/sh
set -eu
export TWILIO_API_KEY="<<ward:SEC-123>>"
./bin/release --env production
