CREATE INDEX orders_legacy_idx ON orders (legacy_id);
