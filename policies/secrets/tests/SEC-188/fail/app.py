import os

# TODO: move to the environment before release
SCALINGO_API_TOKEN = "<<ward:SEC-188>>"


def client():
    return SCALINGO_API_TOKEN
