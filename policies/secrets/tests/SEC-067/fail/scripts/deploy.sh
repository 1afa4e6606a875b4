#!/bin/sh
set -eu
export GITLAB_INCOMING_EMAIL_TOKEN="<<ward:SEC-067>>"
./bin/release --env production
