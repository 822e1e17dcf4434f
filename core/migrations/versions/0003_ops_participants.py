"""ops: participant governments of a case (cross-government work, DESIGN §11)

Revision ID: 0003_ops
Revises: 0002_docs

A case may name participant governments (a convenio's municipalities): their users read the case
and fire the transitions that name their party (core/security.py, core/workflow.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_ops"
down_revision = "0002_docs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("party_role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_participant_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_case_participant_government_id_government")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_participant")),
        sa.UniqueConstraint("case_id", "government_id", name=op.f("uq_case_participant_case_id_government_id")),
    )
    with op.batch_alter_table("case_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_participant_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_participant_government_id"), ["government_id"], unique=False)


def downgrade():
    with op.batch_alter_table("case_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_participant_government_id"))
        batch_op.drop_index(batch_op.f("ix_case_participant_case_id"))
    op.drop_table("case_participant")
