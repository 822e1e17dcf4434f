"""diagnosis cycle: the plan records the Instancia that approved it and the ordinance that annexes it

Revision ID: 0002_diagnosis_cycle
Revises: 0001_diagnosis
Create Date: 2026-11-30 02:00:00

``articulated_plan.body_id``: the id of the articulation body (set on "approve_instancia");
``articulated_plan.ordinance_id``: the ordinance that approves its objectives and goals. Kept
without foreign keys: SQLite cannot add one to an existing table without copying the table and
the tables that reference it; a body is never deleted (it is dissolved).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_diagnosis_cycle"
down_revision = "0001_diagnosis"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("articulated_plan", sa.Column("body_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_articulated_plan_body_id"), "articulated_plan", ["body_id"], unique=False)
    op.add_column("articulated_plan", sa.Column("ordinance_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_articulated_plan_ordinance_id"), "articulated_plan", ["ordinance_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_articulated_plan_ordinance_id"), table_name="articulated_plan")
    op.drop_index(op.f("ix_articulated_plan_body_id"), table_name="articulated_plan")
    with op.batch_alter_table("articulated_plan", schema=None) as batch_op:
        batch_op.drop_column("ordinance_id")
        batch_op.drop_column("body_id")
