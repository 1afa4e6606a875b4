"""drop legacy columns"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a"
down_revision = "2e19"


def upgrade():
    op.drop_column("invoices", "legacy_ref")
    # ward: expand-contract (readers moved to invoice_refs in 4.2)
    op.drop_column("invoices", "legacy_note")
    with op.batch_alter_table("payments") as batch_op:
        batch_op.alter_column("amount", type_=sa.Numeric(12, 2))
    op.execute("DROP TABLE payment_attempts")


def downgrade():
    op.add_column("invoices", sa.Column("legacy_ref", sa.String()))
    op.drop_table("invoice_refs")
