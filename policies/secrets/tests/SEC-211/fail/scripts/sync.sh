#!/bin/sh
curl -fsS -H "Authorization: Basic <<ward:SEC-211>>" https://jenkins.example.com/job/sync/build
