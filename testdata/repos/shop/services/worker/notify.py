"""Tells the on-call channel when an order cannot be shipped."""

import os

import requests

WEBHOOK_URL = os.environ["ONCALL_WEBHOOK_URL"]


def notify(order_id, reason):
    requests.post(WEBHOOK_URL, json={"text": f"order {order_id} not shipped: {reason}"}, timeout=5)
