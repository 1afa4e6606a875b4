CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_number_key
  ON public.orders (number);

CREATE TABLE refunds (id bigserial PRIMARY KEY, order_id bigint NOT NULL);
CREATE INDEX refunds_order_id_idx ON refunds (order_id);
