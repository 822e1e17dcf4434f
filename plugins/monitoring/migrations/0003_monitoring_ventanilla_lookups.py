"""monitoring: the Ventanilla CRECER counts tracking lookups of codes that match nothing (the lookup limit)

Revision ID: 0003_monitoring_ventanilla_lookups
Revises: 0002_monitoring_ventanilla
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monitoring_ventanilla_lookups"
down_revision = "0002_monitoring_ventanilla"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ventanilla_lookup_miss",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_lookup_miss")),
    )
    with op.batch_alter_table("ventanilla_lookup_miss", schema=None) as batch_op:
        batch_op.create_index("ix_ventanilla_lookup_miss_ip_at", ["ip_hash", "at"], unique=False)


def downgrade():
    op.drop_table("ventanilla_lookup_miss")
