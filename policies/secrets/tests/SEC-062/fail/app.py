import os

# TODO: move to the environment before release
RUNNER_TOKEN = "<<ward:SEC-062>>"


def client():
    return RUNNER_TOKEN
