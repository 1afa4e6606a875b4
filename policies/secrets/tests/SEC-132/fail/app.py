import os

# TODO: move to the environment before release
STRIPE_WEBHOOK_SECRET = "<<ward:SEC-132>>"


def client():
    return STRIPE_WEBHOOK_SECRET
