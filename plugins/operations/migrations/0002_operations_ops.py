"""operations: Convenios de Gestión and inter-institutional agreements (goals, commitments, support, progress)

Revision ID: 0002_operations_ops
Revises: 0001_operations
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_operations_ops"
down_revision = "0001_operations"
branch_labels = None
depends_on = "0003_ops"  # the core's case_participant

AGREEMENT = "operations_agreement"


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _parent(table: str) -> list:
    return [
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], [f"{AGREEMENT}.id"], name=op.f(f"fk_{table}_agreement_id_{AGREEMENT}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        AGREEMENT,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("object", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("external_name", sa.String(length=300), nullable=True),
        sa.Column("external_kind", sa.String(length=30), nullable=True),
        sa.Column("external_ruc", sa.String(length=11), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["case.id"], name=op.f(f"fk_{AGREEMENT}_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{AGREEMENT}")),
    )
    goal = "operations_agreement_goal"
    op.create_table(
        goal,
        _id(),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("plan_result_id", sa.Integer(), nullable=True),
        sa.Column("key_indicator_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("baseline", sa.Numeric(14, 2), nullable=True),
        sa.Column("target", sa.Numeric(14, 2), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_result_id"],
            ["plan_result.id"],
            name=op.f(f"fk_{goal}_plan_result_id_plan_result"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["key_indicator_id"], ["key_indicator.id"], name=op.f(f"fk_{goal}_key_indicator_id_key_indicator")
        ),
        *_parent(goal),
    )
    _index(goal, "agreement_id")
    commitment = "operations_agreement_commitment"
    op.create_table(
        commitment,
        _id(),
        sa.Column("party_government_id", sa.Integer(), nullable=True),
        sa.Column("party_external", sa.Boolean(), nullable=False),
        sa.Column("what", sa.String(length=500), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("fulfilled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["party_government_id"], ["government.id"], name=op.f(f"fk_{commitment}_party_government_id_government")
        ),
        *_parent(commitment),
    )
    _index(commitment, "agreement_id")
    evidence = "operations_agreement_evidence"
    op.create_table(
        evidence,
        _id(),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            [f"{commitment}.id"],
            name=op.f(f"fk_{evidence}_commitment_id_{commitment}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f(f"fk_{evidence}_attachment_id_attachment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{evidence}")),
    )
    _index(evidence, "commitment_id")
    _index(evidence, "attachment_id")
    support = "operations_agreement_support"
    op.create_table(
        support,
        _id(),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=True),
        *_parent(support),
    )
    _index(support, "agreement_id")
    report = "operations_agreement_report"
    op.create_table(
        report,
        _id(),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        *_parent(report),
    )
    _index(report, "agreement_id")
    progress = "operations_agreement_progress"
    op.create_table(
        progress,
        _id(),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("achieved", sa.Numeric(14, 2), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], [f"{report}.id"], name=op.f(f"fk_{progress}_report_id_{report}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], [f"{goal}.id"], name=op.f(f"fk_{progress}_goal_id_{goal}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{progress}")),
    )
    _index(progress, "report_id")
    _index(progress, "goal_id")
    acceptance = "operations_agreement_acceptance"
    op.create_table(
        acceptance,
        _id(),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f(f"fk_{acceptance}_government_id_government")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f(f"fk_{acceptance}_user_id_user_account")),
        sa.UniqueConstraint("agreement_id", "government_id", name=op.f(f"uq_{acceptance}_agreement_id_government_id")),
        *_parent(acceptance),
    )
    _index(acceptance, "agreement_id")


def downgrade():
    for table in (
        "operations_agreement_acceptance",
        "operations_agreement_progress",
        "operations_agreement_report",
        "operations_agreement_support",
        "operations_agreement_evidence",
        "operations_agreement_commitment",
        "operations_agreement_goal",
        AGREEMENT,
    ):
        op.drop_table(table)
