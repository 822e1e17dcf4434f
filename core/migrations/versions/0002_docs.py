"""docs: government emblems (crest and national coat of arms of the letterhead)

Revision ID: 0002_docs
Revises: 0001_core

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_docs"
down_revision = "0002_cycle"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "government_emblem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["government.id"],
            name=op.f("fk_government_emblem_government_id_government"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_government_emblem_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_government_emblem")),
        sa.UniqueConstraint("government_id", "kind", name="uq_government_emblem_government_kind"),
    )
    with op.batch_alter_table("government_emblem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_government_emblem_government_id"), ["government_id"], unique=False)


def downgrade():
    with op.batch_alter_table("government_emblem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_government_emblem_government_id"))
    op.drop_table("government_emblem")
