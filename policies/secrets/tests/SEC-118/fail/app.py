import os

# TODO: move to the environment before release
SLACK_WORKFLOW_URL = "<<ward:SEC-118>>"


def client():
    return SLACK_WORKFLOW_URL
