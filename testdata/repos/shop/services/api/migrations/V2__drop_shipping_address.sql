-- The shipping address moved to the addresses table in 1.12.
ALTER TABLE orders DROP COLUMN shipping_address;

CREATE INDEX orders_created_at_idx ON orders (created_at);
