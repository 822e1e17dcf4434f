"""operations: sessions of the Instancia (attendance, agreements) and training / educational communication

Revision ID: 0002_operations_sessions
Revises: 0002_operations_ops
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_operations_sessions"
down_revision = "0002_operations_ops"
branch_labels = None
# The sessions point at the Instancia and its members (institutionalization) and at core deadlines.
depends_on = "0002_institutionalization_docs"


def upgrade():
    op.create_table(
        "operations_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("end_time", sa.String(length=5), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["articulation_body.id"], name=op.f("fk_operations_session_body_id_articulation_body")
        ),
        sa.ForeignKeyConstraint(["id"], ["case.id"], name=op.f("fk_operations_session_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_session")),
    )
    with op.batch_alter_table("operations_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operations_session_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_operations_session_session_date"), ["session_date"], unique=False)

    op.create_table(
        "operations_session_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["body_member.id"],
            name=op.f("fk_operations_session_attendance_member_id_body_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["operations_session.id"],
            name=op.f("fk_operations_session_attendance_session_id_operations_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_session_attendance")),
        sa.UniqueConstraint(
            "session_id", "member_id", name=op.f("uq_operations_session_attendance_session_id_member_id")
        ),
    )
    with op.batch_alter_table("operations_session_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operations_session_attendance_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_operations_session_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "operations_session_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["deadline.id"],
            name=op.f("fk_operations_session_agreement_deadline_id_deadline"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["body_member.id"],
            name=op.f("fk_operations_session_agreement_responsible_id_body_member"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["operations_session.id"],
            name=op.f("fk_operations_session_agreement_session_id_operations_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_session_agreement")),
        sa.UniqueConstraint("session_id", "number", name=op.f("uq_operations_session_agreement_session_id_number")),
    )
    with op.batch_alter_table("operations_session_agreement", schema=None) as batch_op:
        for column in ("deadline_id", "due_date", "responsible_id", "session_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_operations_session_agreement_{column}"), [column], unique=False)

    op.create_table(
        "operations_training_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_other", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("audience", sa.String(length=300), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("participants_women", sa.Integer(), nullable=True),
        sa.Column("participants_men", sa.Integer(), nullable=True),
        sa.Column("participants_total", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["case.id"], name=op.f("fk_operations_training_event_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_training_event")),
    )
    with op.batch_alter_table("operations_training_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operations_training_event_start_date"), ["start_date"], unique=False)

    op.create_table(
        "operations_communication_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["case.id"], name=op.f("fk_operations_communication_plan_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_communication_plan")),
    )
    op.create_table(
        "operations_communication_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("audience", sa.String(length=300), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("medium", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["operations_communication_plan.id"],
            name=op.f("fk_operations_communication_action_plan_id_operations_communication_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_communication_action")),
    )
    with op.batch_alter_table("operations_communication_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operations_communication_action_plan_id"), ["plan_id"], unique=False)


def downgrade():
    for table in (
        "operations_communication_action",
        "operations_communication_plan",
        "operations_training_event",
        "operations_session_agreement",
        "operations_session_attendance",
        "operations_session",
    ):
        op.drop_table(table)
