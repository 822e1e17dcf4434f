"""monitoring: an evaluation approved "to reformulate" records the reformulated plan it opened

Revision ID: 0003_monitoring_reformulation
Revises: 0003_monitoring_totals
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monitoring_reformulation"
down_revision = "0003_monitoring_totals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("monitoring_plan_evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reformulated_plan_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_monitoring_plan_evaluation_reformulated_plan_id"), ["reformulated_plan_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("monitoring_plan_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_plan_evaluation_reformulated_plan_id"))
        batch_op.drop_column("reformulated_plan_id")
