"""docs: a member's sex (gendered wording in credentials and minutes), installation session times

Revision ID: 0002_institutionalization_docs
Revises: 0001_institutionalization

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_institutionalization_docs"
down_revision = "0002_institutionalization_scale"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("body_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
    with op.batch_alter_table("articulation_body", schema=None) as batch_op:
        batch_op.add_column(sa.Column("installation_start_time", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("installation_end_time", sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table("articulation_body", schema=None) as batch_op:
        batch_op.drop_column("installation_end_time")
        batch_op.drop_column("installation_start_time")
    with op.batch_alter_table("body_member", schema=None) as batch_op:
        batch_op.drop_column("sex")
