-- +goose Up
-- +goose StatementBegin
CREATE TABLE "Events" (id bigserial PRIMARY KEY, payload jsonb NOT NULL DEFAULT '{}'::jsonb);
-- +goose StatementEnd
ALTER TABLE IF EXISTS ONLY public.orders DROP IF EXISTS "Note", RENAME TO purchases;
COMMENT ON TABLE purchases IS 'it''s; not a statement end';
INSERT INTO t VALUES (E'a\';b');
/* nested /* comment; */ still a comment; */
-- +goose Down
DROP TABLE "Events";
