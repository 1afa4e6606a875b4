from alembic import op


def upgrade():
    op.create_index("ix_payments_order_id", "payments", ["order_id"])
    op.execute("CREATE INDEX ix_payments_state ON payments (state)")


def downgrade():
    op.drop_index("ix_payments_order_id", table_name="payments")
