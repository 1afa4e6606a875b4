"""Order fulfilment worker: pops paid orders from Redis and asks the warehouse to ship them."""

import json
import logging
import os
import time

import psycopg
import redis
import requests

REDIS_URL = os.environ["REDIS_URL"]
DATABASE_URL = os.environ["DATABASE_URL"]
WAREHOUSE_API_URL = os.getenv("WAREHOUSE_API_URL", "http://localhost:8082")
API_TOKEN = os.environ["API_TOKEN"]
QUEUE = os.getenv("ORDER_QUEUE", "orders:paid")

logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO").upper())
log = logging.getLogger("shop.worker")


def ship(order):
    response = requests.post(
        f"{WAREHOUSE_API_URL}/shipments",
        json={"order_id": order["id"], "lines": order["lines"]},
        headers={"X-Api-Token": API_TOKEN},
        timeout=10,
    )
    response.raise_for_status()
    with psycopg.connect(DATABASE_URL) as conn:
        conn.execute("UPDATE orders SET status = 'shipped' WHERE id = %s", (order["id"],))


def main():
    queue = redis.Redis.from_url(REDIS_URL)
    log.info("waiting for orders on %s", QUEUE)
    while True:
        item = queue.blpop(QUEUE, timeout=5)
        if item is None:
            continue
        order = json.loads(item[1])
        try:
            ship(order)
        except requests.RequestException:
            log.exception("shipping order %s failed, requeueing", order["id"])
            queue.rpush(QUEUE, item[1])
            time.sleep(2)


if __name__ == "__main__":
    main()
