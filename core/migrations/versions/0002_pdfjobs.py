"""document_job: large documents issued by a background job (issue 13, point 11)

Revision ID: 0002_pdfjobs
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_pdfjobs"
down_revision = "0002_auth"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=80), nullable=True),
        sa.Column("transition", sa.String(length=60), nullable=True),
        sa.Column("comment", sa.String(length=4000), nullable=True),
        sa.Column("case_version", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.String(length=2000), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_document_job_case_id_case"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["issued_document.id"], name=op.f("fk_document_job_document_id_issued_document")
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_document_job_government_id_government")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_document_job_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_job")),
    )
    with op.batch_alter_table("document_job", schema=None) as batch_op:
        batch_op.create_index("ix_document_job_case_status", ["case_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_job_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("document_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_job_user_id"))
        batch_op.drop_index("ix_document_job_case_status")
    op.drop_table("document_job")
