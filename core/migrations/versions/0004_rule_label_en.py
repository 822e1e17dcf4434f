"""rule_label_en: a deadline rule's English label, for reminders and calendars read in English

Revision ID: 0004_rule_label_en
Revises: 0003_ops
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_rule_label_en"
down_revision = "0003_ops"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deadline_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label_en", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("deadline_rule", schema=None) as batch_op:
        batch_op.drop_column("label_en")
