from alembic import op


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_payments_order_id", "payments", ["order_id"], postgresql_concurrently=True)
        op.execute("CREATE INDEX CONCURRENTLY ix_payments_state ON payments (state)")


def downgrade():
    op.create_index("ix_payments_old", "payments", ["old"])
