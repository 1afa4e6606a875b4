import os

# TODO: move to the environment before release
DOPPLER_TOKEN = "<<ward:SEC-090>>"


def client():
    return DOPPLER_TOKEN
