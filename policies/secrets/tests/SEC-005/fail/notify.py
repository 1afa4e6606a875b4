import slack_sdk

client = slack_sdk.WebClient(token="<<ward:slack:xoxb>>")
user_client = slack_sdk.WebClient(token="<<ward:slack:xoxp>>")
