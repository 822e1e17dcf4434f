"""monitoring: the Ventanilla CRECER at scale — lookups of codes that match nothing are counted (the tracking
lookup limit), and the registry's filters get (filter, created_at) indexes instead of one-column ones

Revision ID: 0003_monitoring_ventanilla_scale
Revises: 0002_monitoring_ventanilla
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monitoring_ventanilla_scale"
down_revision = "0002_monitoring_ventanilla"
branch_labels = None
depends_on = None

#: column → (the one-column index replaced, the composite index with the registry's order)
FILTERS = {
    "kind": ("ix_ventanilla_entry_kind", "ix_ventanilla_entry_kind_created"),
    "status": ("ix_ventanilla_entry_status", "ix_ventanilla_entry_status_created"),
    "program_id": ("ix_ventanilla_entry_program_id", "ix_ventanilla_entry_program_created"),
    "emergency": ("ix_ventanilla_entry_emergency", "ix_ventanilla_entry_emergency_created"),
    "recurrent": ("ix_ventanilla_entry_recurrent", "ix_ventanilla_entry_recurrent_created"),
}


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
    with op.batch_alter_table("ventanilla_entry", schema=None) as batch_op:
        for column, (single, composite) in FILTERS.items():
            batch_op.drop_index(single)
            batch_op.create_index(composite, [column, "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("ventanilla_entry", schema=None) as batch_op:
        for column, (single, composite) in FILTERS.items():
            batch_op.drop_index(composite)
            batch_op.create_index(single, [column], unique=False)
    op.drop_table("ventanilla_lookup_miss")
