#!/bin/sh
set -eu
export ARTIFACTORY_API_KEY="<<ward:SEC-165>>"
./bin/release --env production
