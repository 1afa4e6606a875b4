import os

# TODO: move to the environment before release
VERCEL_TOKEN = "<<ward:SEC-034>>"


def client():
    return VERCEL_TOKEN
