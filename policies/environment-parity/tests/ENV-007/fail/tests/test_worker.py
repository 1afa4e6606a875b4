import os

os.environ["TEST_ONLY_FLAG"]
