"""HTTP entry point: health, catalogue and checkout."""

import logging

import psycopg
import requests
from flask import Flask, abort, jsonify, request

from . import settings

logging.basicConfig(level=settings.LOG_LEVEL)
log = logging.getLogger("shop.api")

app = Flask(__name__)
app.config["DEBUG"] = settings.DEBUG


def db():
    return psycopg.connect(settings.DATABASE_URL, connect_timeout=3)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/readyz")
def readyz():
    try:
        with db() as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        log.warning("database not reachable")
        return {"status": "unavailable"}, 503
    return {"status": "ready"}


@app.get("/products")
def products():
    with db() as conn:
        rows = conn.execute("SELECT id, name, price_cents FROM products ORDER BY id").fetchall()
    return jsonify([{"id": r[0], "name": r[1], "price_cents": r[2]} for r in rows])


@app.post("/checkout")
def checkout():
    order = request.get_json(silent=True) or abort(400)
    response = requests.post(
        f"{settings.PAYMENTS_API_URL}/v1/charges",
        json={"amount_cents": order["total_cents"], "currency": "EUR"},
        headers={"Authorization": f"Bearer {settings.PAYMENTS_API_KEY}"},
        timeout=settings.REQUEST_TIMEOUT_SECONDS,
    )
    if response.status_code != 201:
        log.error("payment failed: %s", response.status_code)
        abort(502)
    return {"charge": response.json()["id"]}, 201
