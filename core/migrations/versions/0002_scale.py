"""scale: indexes for what lists sort on, and the case search's word index

Revision ID: 0002_scale
Revises: 0001_core

Lists sort cases by last change and transitions by date: B-tree indexes serve ORDER BY … LIMIT
without reading the table. ``case_search_term`` holds the normalised words of each case's
reference and title (see core/case_search.py); existing cases are indexed here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_scale"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_search_term",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_search_term_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "term", name=op.f("pk_case_search_term")),
    )
    with op.batch_alter_table("case_search_term", schema=None) as batch_op:
        batch_op.create_index("ix_case_search_term_term", ["term", "case_id"], unique=False)
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index("ix_case_updated_at", ["updated_at", "id"], unique=False)
    with op.batch_alter_table("case_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transition_at"), ["at"], unique=False)

    # Index the cases that already exist, in batches (the same words the app writes).
    from core.case_search import reindex

    connection = op.get_bind()
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("reference"), sa.column("title"))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(case.c.id, case.c.reference, case.c.title).where(case.c.id > last).order_by(case.c.id).limit(2000)
        ).all()
        if not rows:
            break
        reindex(connection, [tuple(r) for r in rows])
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table("case_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_transition_at"))
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_updated_at")
    with op.batch_alter_table("case_search_term", schema=None) as batch_op:
        batch_op.drop_index("ix_case_search_term_term")
    op.drop_table("case_search_term")
