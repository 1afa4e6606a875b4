CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE UNIQUE INDEX IF NOT EXISTS orders_number_key
  ON public.orders (number);
