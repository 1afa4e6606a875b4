CREATE TABLE products (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  price_cents integer NOT NULL
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'paid',
  shipping_address text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A new, empty table: no need to build its index concurrently.
CREATE INDEX orders_status_idx ON orders (status);
