"""operations: the root of the plugin's Alembic branch (its tables come in the revisions after it)

Revision ID: 0001_operations
Revises:
Create Date: 2026-11-30 05:30:00

Empty on purpose: the stage-3 record types (convenios, investment, budget, sessions…) are built
side by side, each adding its own revision on this branch.
"""

revision = "0001_operations"
down_revision = None
branch_labels = ("operations",)
depends_on = "0002_diagnosis_cycle"


def upgrade():
    pass


def downgrade():
    pass
