"""operations (incentives): contests of the Sistema de Incentivos y Reconocimiento — the contest (a case),
its criteria, prizes, jurors, applications (with evidence files) and the jurors' scores

Revision ID: 0002_operations_incentives
Revises: 0002_operations_invest
Create Date: 2026-11-30 09:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_operations_incentives"
down_revision = "0002_operations_invest"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "operations_contest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("eligibility", sa.Text(), nullable=True),
        sa.Column("budget_cap", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("reception_deadline", sa.Date(), nullable=True),
        sa.Column("evaluation_deadline", sa.Date(), nullable=True),
        sa.Column("results_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["case.id"], name=op.f("fk_operations_contest_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest")),
    )
    op.create_index(
        op.f("ix_operations_contest_reception_deadline"), "operations_contest", ["reception_deadline"], unique=False
    )
    op.create_table(
        "operations_contest_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("applicant_kind", sa.String(length=30), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("organization_name", sa.String(length=300), nullable=True),
        sa.Column("practice", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["operations_contest.id"],
            name=op.f("fk_operations_contest_application_contest_id_operations_contest"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["government.id"],
            name=op.f("fk_operations_contest_application_government_id_government"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_application")),
    )
    op.create_index(
        op.f("ix_operations_contest_application_contest_id"),
        "operations_contest_application",
        ["contest_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_operations_contest_application_government_id"),
        "operations_contest_application",
        ["government_id"],
        unique=False,
    )
    op.create_table(
        "operations_contest_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["operations_contest.id"],
            name=op.f("fk_operations_contest_criterion_contest_id_operations_contest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_criterion")),
    )
    op.create_index(
        op.f("ix_operations_contest_criterion_contest_id"), "operations_contest_criterion", ["contest_id"], unique=False
    )
    op.create_table(
        "operations_contest_juror",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("charge", sa.String(length=200), nullable=True),
        sa.Column("declared_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["operations_contest.id"],
            name=op.f("fk_operations_contest_juror_contest_id_operations_contest"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_operations_contest_juror_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_juror")),
        sa.UniqueConstraint("contest_id", "user_id", name=op.f("uq_operations_contest_juror_contest_id_user_id")),
    )
    op.create_index(
        op.f("ix_operations_contest_juror_contest_id"), "operations_contest_juror", ["contest_id"], unique=False
    )
    op.create_index(op.f("ix_operations_contest_juror_user_id"), "operations_contest_juror", ["user_id"], unique=False)
    op.create_table(
        "operations_contest_prize",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["operations_contest.id"],
            name=op.f("fk_operations_contest_prize_contest_id_operations_contest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_prize")),
        sa.UniqueConstraint("contest_id", "place", name=op.f("uq_operations_contest_prize_contest_id_place")),
    )
    op.create_index(
        op.f("ix_operations_contest_prize_contest_id"), "operations_contest_prize", ["contest_id"], unique=False
    )
    op.create_table(
        "operations_contest_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["operations_contest_application.id"],
            name=op.f("fk_operations_contest_file_application_id_operations_contest_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_operations_contest_file_attachment_id_attachment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_file")),
    )
    op.create_index(
        op.f("ix_operations_contest_file_application_id"), "operations_contest_file", ["application_id"], unique=False
    )
    op.create_index(
        op.f("ix_operations_contest_file_attachment_id"), "operations_contest_file", ["attachment_id"], unique=False
    )
    op.create_table(
        "operations_contest_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["operations_contest_application.id"],
            name=op.f("fk_operations_contest_score_application_id_operations_contest_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["operations_contest_criterion.id"],
            name=op.f("fk_operations_contest_score_criterion_id_operations_contest_criterion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["juror_id"],
            ["operations_contest_juror.id"],
            name=op.f("fk_operations_contest_score_juror_id_operations_contest_juror"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_contest_score")),
        sa.UniqueConstraint(
            "application_id",
            "criterion_id",
            "juror_id",
            name=op.f("uq_operations_contest_score_application_id_criterion_id_juror_id"),
        ),
    )
    op.create_index(
        op.f("ix_operations_contest_score_application_id"), "operations_contest_score", ["application_id"], unique=False
    )
    op.create_index(
        op.f("ix_operations_contest_score_criterion_id"), "operations_contest_score", ["criterion_id"], unique=False
    )
    op.create_index(
        op.f("ix_operations_contest_score_juror_id"), "operations_contest_score", ["juror_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_operations_contest_score_juror_id"), table_name="operations_contest_score")
    op.drop_index(op.f("ix_operations_contest_score_criterion_id"), table_name="operations_contest_score")
    op.drop_index(op.f("ix_operations_contest_score_application_id"), table_name="operations_contest_score")
    op.drop_table("operations_contest_score")
    op.drop_index(op.f("ix_operations_contest_file_attachment_id"), table_name="operations_contest_file")
    op.drop_index(op.f("ix_operations_contest_file_application_id"), table_name="operations_contest_file")
    op.drop_table("operations_contest_file")
    op.drop_index(op.f("ix_operations_contest_prize_contest_id"), table_name="operations_contest_prize")
    op.drop_table("operations_contest_prize")
    op.drop_index(op.f("ix_operations_contest_juror_user_id"), table_name="operations_contest_juror")
    op.drop_index(op.f("ix_operations_contest_juror_contest_id"), table_name="operations_contest_juror")
    op.drop_table("operations_contest_juror")
    op.drop_index(op.f("ix_operations_contest_criterion_contest_id"), table_name="operations_contest_criterion")
    op.drop_table("operations_contest_criterion")
    op.drop_index(op.f("ix_operations_contest_application_government_id"), table_name="operations_contest_application")
    op.drop_index(op.f("ix_operations_contest_application_contest_id"), table_name="operations_contest_application")
    op.drop_table("operations_contest_application")
    op.drop_index(op.f("ix_operations_contest_reception_deadline"), table_name="operations_contest")
    op.drop_table("operations_contest")
