import os

# TODO: move to the environment before release
FLW_SECRET_KEY = "<<ward:SEC-146>>"


def client():
    return FLW_SECRET_KEY
