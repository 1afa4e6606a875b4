import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DB_PASSWORD = os.getenv("DB_PASSWORD")
API_TOKEN = settings.api_token
token = get_token()
access_token = accessToken
