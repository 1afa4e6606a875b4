#!/bin/sh
set -eu
export NUGET_API_KEY="<<ward:SEC-081>>"
./bin/release --env production
