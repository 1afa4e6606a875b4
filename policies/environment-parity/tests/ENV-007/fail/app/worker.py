import os

REDIS_URL = os.environ["REDIS_URL"]
QUEUE = os.getenv("QUEUE_NAME")
BATCH = int(os.getenv("BATCH_SIZE", "100"))
HOME = os.environ["HOME"]
