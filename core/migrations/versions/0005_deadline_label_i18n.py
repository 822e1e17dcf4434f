"""deadline_label_i18n: a plugin-composed deadline label as an English msgid and its parameters,
rendered in the reader's language (existing rows keep their stored Spanish label)

Revision ID: 0005_deadline_label_i18n
Revises: 0004_rule_label_en
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_deadline_label_i18n"
down_revision = "0004_rule_label_en"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label_msgid", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("label_params", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_column("label_params")
        batch_op.drop_column("label_msgid")
