"""scale: indexes for what lists sort on, and the case search's word index

Revision ID: 0002_scale
Revises: 0001_core

Lists sort cases by last change and transitions by date: B-tree indexes serve ORDER BY … LIMIT
without reading the table. ``case_search_term`` holds the normalised words of each case's
reference and title (see core/case_search.py); existing cases are indexed here.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002_scale"
down_revision = "0002_pdfjobs"
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

    # Index the cases that already exist, in batches, with the words core/case_search.py writes
    # (copied here: a migration must not change when the application's code does).
    connection = op.get_bind()
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("reference"), sa.column("title"))
    term = sa.table("case_search_term", sa.column("case_id", sa.Integer), sa.column("term"))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(case.c.id, case.c.reference, case.c.title).where(case.c.id > last).order_by(case.c.id).limit(2000)
        ).all()
        if not rows:
            break
        values = [{"case_id": r[0], "term": w} for r in rows for w in _words(f"{r[1] or ''} {r[2] or ''}")]
        if values:
            connection.execute(sa.insert(term), values)
        last = rows[-1][0]


def _words(text):
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return list(dict.fromkeys(w[:40] for w in re.findall(r"[0-9a-z]+", plain)))


def downgrade():
    with op.batch_alter_table("case_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_transition_at"))
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_updated_at")
    with op.batch_alter_table("case_search_term", schema=None) as batch_op:
        batch_op.drop_index("ix_case_search_term_term")
    op.drop_table("case_search_term")
