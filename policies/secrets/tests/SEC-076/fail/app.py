import os

# TODO: move to the environment before release
JIRA_API_TOKEN = "<<ward:SEC-076>>"


def client():
    return JIRA_API_TOKEN
