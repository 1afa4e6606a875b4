from alembic import op
import sqlalchemy as sa


def upgrade():
    op.add_column("invoices", sa.Column("ref", sa.String()))
    op.drop_column("invoices", "legacy_ref")  # ward: backup-verified


def downgrade():
    op.drop_column("invoices", "ref")
    op.drop_table("invoice_refs")
