import os

# TODO: move to the environment before release
FIGMA_TOKEN = "<<ward:SEC-174>>"


def client():
    return FIGMA_TOKEN
