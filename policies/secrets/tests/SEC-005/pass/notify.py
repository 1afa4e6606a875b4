import os
import slack_sdk

client = slack_sdk.WebClient(token=os.environ["SLACK_BOT_TOKEN"])
# Tokens look like xoxb-000000000000-000000000000-xxxxxxxxxxxxxxxxxxxxxxxx
