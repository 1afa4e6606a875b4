import os

# TODO: move to the environment before release
NEON_API_KEY = "<<ward:SEC-160>>"


def client():
    return NEON_API_KEY
