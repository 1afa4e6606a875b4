import os

SQLALCHEMY_URL = f"snowflake://{os.environ['SF_USER']}:{os.environ['SF_PASSWORD']}@acme-xy12345/analytics"
EXAMPLE = "snowflake://user:<password>@account/db"
