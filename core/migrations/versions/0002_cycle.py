"""cycle: a case can be marked as one of the government's social-policy documents

Revision ID: 0002_cycle
Revises: 0001_core
Create Date: 2026-11-30 02:00:00

The 30 June rule (supplementary provision 8) is met when the approved Plan Articulado and the
documents a government marks as its policy documents have been sent (core/submissions.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_cycle"
down_revision = "0002_scale"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_document", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("policy_document")
