"""monitoring: the quarterly follow-up report (a case) and the dashboards' indexes on measurements

Revision ID: 0003_monitoring_dashboards
Revises: 0002_monitoring_indicators
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monitoring_dashboards"
down_revision = "0002_monitoring_indicators"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "monitoring_quarterly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("difficulties", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["case.id"], name=op.f("fk_monitoring_quarterly_report_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_quarterly_report")),
    )
    with op.batch_alter_table("monitoring_quarterly_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_quarterly_report_quarter"), ["quarter"], unique=False)
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_measurement_latest", ["indicator_id", "year"], unique=False)
        batch_op.create_index(
            "ix_monitoring_measurement_dept_latest", ["department", "indicator_id", "year"], unique=False
        )


def downgrade():
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_measurement_dept_latest")
        batch_op.drop_index("ix_monitoring_measurement_latest")
    with op.batch_alter_table("monitoring_quarterly_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_quarterly_report_quarter"))
    op.drop_table("monitoring_quarterly_report")
