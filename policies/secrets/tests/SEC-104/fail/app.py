import os

# TODO: move to the environment before release
DD_API_KEY = "<<ward:SEC-104>>"


def client():
    return DD_API_KEY
