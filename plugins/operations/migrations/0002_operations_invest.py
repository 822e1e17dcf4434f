"""operations (invest): the social-investment portfolio (projects, funding, phases, progress) and the
results-based budget (budget lines per activity, source, quarter and place; alignment thresholds)

Revision ID: 0002_operations_invest
Revises: 0002_operations_sessions
Create Date: 2026-11-30 06:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_operations_invest"
down_revision = "0002_operations_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "operations_budget_threshold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("share", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_operations_budget_threshold_government_id_government")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_budget_threshold")),
        sa.UniqueConstraint("government_id", name=op.f("uq_operations_budget_threshold_government_id")),
    )
    op.create_table(
        "operations_budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("pia", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("pim", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("accrued", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["plan_activity.id"],
            name=op.f("fk_operations_budget_line_activity_id_plan_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["articulated_plan.id"],
            name=op.f("fk_operations_budget_line_plan_id_articulated_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_operations_budget_line_territory_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_budget_line")),
        sa.UniqueConstraint(
            "activity_id",
            "source",
            "quarter",
            "territory_id",
            name=op.f("uq_operations_budget_line_activity_id_source_quarter_territory_id"),
        ),
    )
    op.create_index(
        op.f("ix_operations_budget_line_activity_id"), "operations_budget_line", ["activity_id"], unique=False
    )
    op.create_index(op.f("ix_operations_budget_line_plan_id"), "operations_budget_line", ["plan_id"], unique=False)
    op.create_table(
        "operations_investment_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("code_kind", sa.String(length=4), nullable=False),
        sa.Column("code", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("intervention_line_id", sa.Integer(), nullable=True),
        sa.Column("strategic_program_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("target_population", sa.String(length=500), nullable=True),
        sa.Column("beneficiaries", sa.Integer(), nullable=True),
        sa.Column("places", sa.String(length=2000), nullable=True),
        sa.Column("cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["plan_activity.id"],
            name=op.f("fk_operations_investment_project_activity_id_plan_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_operations_investment_project_government_id_government")
        ),
        sa.ForeignKeyConstraint(
            ["intervention_line_id"],
            ["intervention_line.id"],
            name=op.f("fk_operations_investment_project_intervention_line_id_intervention_line"),
        ),
        sa.ForeignKeyConstraint(
            ["strategic_program_id"],
            ["strategic_program.id"],
            name=op.f("fk_operations_investment_project_strategic_program_id_strategic_program"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_investment_project")),
        sa.UniqueConstraint(
            "government_id",
            "code_kind",
            "code",
            name=op.f("uq_operations_investment_project_government_id_code_kind_code"),
        ),
    )
    op.create_index(
        op.f("ix_operations_investment_project_activity_id"),
        "operations_investment_project",
        ["activity_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_operations_investment_project_government_id"),
        "operations_investment_project",
        ["government_id"],
        unique=False,
    )
    op.create_table(
        "operations_investment_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["operations_investment_project.id"],
            name=op.f("fk_operations_investment_funding_project_id_operations_investment_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_investment_funding")),
        sa.UniqueConstraint("project_id", "source", name=op.f("uq_operations_investment_funding_project_id_source")),
    )
    op.create_index(
        op.f("ix_operations_investment_funding_project_id"),
        "operations_investment_funding",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "operations_investment_phase_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["operations_investment_project.id"],
            name=op.f("fk_operations_investment_phase_change_project_id_operations_investment_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_investment_phase_change")),
    )
    op.create_index(
        op.f("ix_operations_investment_phase_change_project_id"),
        "operations_investment_phase_change",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "operations_investment_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("physical", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("financial", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["operations_investment_project.id"],
            name=op.f("fk_operations_investment_progress_project_id_operations_investment_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_investment_progress")),
        sa.UniqueConstraint(
            "project_id", "year", "quarter", name=op.f("uq_operations_investment_progress_project_id_year_quarter")
        ),
    )
    op.create_index(
        op.f("ix_operations_investment_progress_project_id"),
        "operations_investment_progress",
        ["project_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_operations_investment_progress_project_id"), table_name="operations_investment_progress")
    op.drop_table("operations_investment_progress")
    op.drop_index(
        op.f("ix_operations_investment_phase_change_project_id"), table_name="operations_investment_phase_change"
    )
    op.drop_table("operations_investment_phase_change")
    op.drop_index(op.f("ix_operations_investment_funding_project_id"), table_name="operations_investment_funding")
    op.drop_table("operations_investment_funding")
    op.drop_index(op.f("ix_operations_investment_project_government_id"), table_name="operations_investment_project")
    op.drop_index(op.f("ix_operations_investment_project_activity_id"), table_name="operations_investment_project")
    op.drop_table("operations_investment_project")
    op.drop_index(op.f("ix_operations_budget_line_plan_id"), table_name="operations_budget_line")
    op.drop_index(op.f("ix_operations_budget_line_activity_id"), table_name="operations_budget_line")
    op.drop_table("operations_budget_line")
    op.drop_table("operations_budget_threshold")
