"""monitoring: the quarterly follow-up report (a case), the dashboards' indexes on measurements, and the yearly
evaluation of a plan (a case) with its result appraisals and goal adjustments

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

    op.create_table(
        "monitoring_plan_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=True),
        sa.Column("conclusions", sa.Text(), nullable=True),
        sa.Column("next_plan_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["case.id"], name=op.f("fk_monitoring_plan_evaluation_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["articulated_plan.id"], name=op.f("fk_monitoring_plan_evaluation_plan_id_articulated_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan_evaluation")),
    )
    with op.batch_alter_table("monitoring_plan_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_plan_evaluation_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_plan_evaluation_next_plan_id"), ["next_plan_id"], unique=False)
    op.create_table(
        "monitoring_result_appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("efficacy", sa.Text(), nullable=True),
        sa.Column("efficiency", sa.Text(), nullable=True),
        sa.Column("effectiveness", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["monitoring_plan_evaluation.id"],
            name=op.f("fk_monitoring_result_appraisal_evaluation_id_monitoring_plan_evaluation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["plan_result.id"],
            name=op.f("fk_monitoring_result_appraisal_result_id_plan_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_result_appraisal")),
        sa.UniqueConstraint(
            "evaluation_id", "result_id", name=op.f("uq_monitoring_result_appraisal_evaluation_id_result_id")
        ),
    )
    with op.batch_alter_table("monitoring_result_appraisal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_result_appraisal_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitoring_result_appraisal_result_id"), ["result_id"], unique=False)
    op.create_table(
        "monitoring_goal_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["monitoring_plan_evaluation.id"],
            name=op.f("fk_monitoring_goal_adjustment_evaluation_id_monitoring_plan_evaluation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_monitoring_goal_adjustment_indicator_id_plan_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_goal_adjustment")),
        sa.UniqueConstraint(
            "evaluation_id", "indicator_id", name=op.f("uq_monitoring_goal_adjustment_evaluation_id_indicator_id")
        ),
    )
    with op.batch_alter_table("monitoring_goal_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_goal_adjustment_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitoring_goal_adjustment_indicator_id"), ["indicator_id"], unique=False)


def downgrade():
    op.drop_table("monitoring_goal_adjustment")
    op.drop_table("monitoring_result_appraisal")
    op.drop_table("monitoring_plan_evaluation")
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_measurement_dept_latest")
        batch_op.drop_index("ix_monitoring_measurement_latest")
    with op.batch_alter_table("monitoring_quarterly_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_quarterly_report_quarter"))
    op.drop_table("monitoring_quarterly_report")
