ALTER TABLE users
  ADD COLUMN display_name text,
  -- ward: expand-contract (nickname unread since 3.9)
  DROP COLUMN nickname;

-- ward: backup-verified
DROP TABLE user_avatars;

CREATE TEMP TABLE import_rows (id int);
DROP TABLE import_rows;

ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0, DROP CONSTRAINT orders_total_check;
