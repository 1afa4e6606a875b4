-- Drop what the new profile service owns now.
ALTER TABLE users
  ADD COLUMN display_name text,
  DROP COLUMN nickname;

-- ward: backup-verified (snapshot 2024-05-30, restore tested)
DROP TABLE user_avatars;

TRUNCATE TABLE sessions;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
ALTER TABLE orders RENAME COLUMN state TO status;

CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  -- not a statement of its own: DROP TABLE nothing;
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
