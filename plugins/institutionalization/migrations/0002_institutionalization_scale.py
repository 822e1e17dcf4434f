"""institutionalization scale: index the members list's sort

Revision ID: 0002_institutionalization_scale
Revises: 0001_institutionalization
"""

from alembic import op

revision = "0002_institutionalization_scale"
down_revision = "0001_institutionalization"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("body_member", schema=None) as batch_op:
        batch_op.create_index("ix_body_member_active_from", ["active_from", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("body_member", schema=None) as batch_op:
        batch_op.drop_index("ix_body_member_active_from")
