WAREHOUSE = "etl"
SQLALCHEMY_URL = "snowflake://etl_user:<<ward:SEC-151>>@acme-xy12345/analytics/public?warehouse=etl"
