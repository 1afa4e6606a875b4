import os

# TODO: move to the environment before release
ANTHROPIC_API_KEY = "<<ward:SEC-048>>"


def client():
    return ANTHROPIC_API_KEY
