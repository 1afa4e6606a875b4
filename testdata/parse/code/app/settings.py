"""Configuration, read once from the environment at import time."""

import os

# Required: the service refuses to start without these.
DATABASE_URL = os.environ["DATABASE_URL"]
JWT_SECRET = os.environ["JWT_SECRET"]

# Optional, with defaults that suit local development.
PAYMENTS_API_URL = os.getenv("PAYMENTS_API_URL", "http://localhost:8081")
PAYMENTS_API_KEY = os.getenv("PAYMENTS_API_KEY", "")
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
LOG_LEVEL = os.getenv("LOG_LEVEL", "info").upper()
DEBUG = os.getenv("DEBUG", "false").lower() in ("1", "true", "yes")
REQUEST_TIMEOUT_SECONDS = float(os.getenv("REQUEST_TIMEOUT_SECONDS", "5"))
