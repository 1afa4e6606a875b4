-- ward: backup-verified (snapshot shop-2024-05-30 restored and checked)
DROP TABLE legacy_carts;

CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
