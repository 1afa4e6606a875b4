#!/bin/sh
export AWS_ACCESS_KEY_ID="<<ward:aws-key-id>>" AWS_SECRET_ACCESS_KEY="<<ward:aws-secret>>"
aws s3 sync dist/ s3://shop-assets/
