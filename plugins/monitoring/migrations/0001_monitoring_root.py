"""monitoring: the root of the plugin's Alembic branch (its tables come in the revisions after it)

Revision ID: 0001_monitoring
Revises:
Create Date: 2026-11-30 08:45:00

Empty on purpose: the stage-4 record types (indicators, supervision, evaluation, Ventanilla…) are
built side by side, each adding its own revision on this branch.
"""

revision = "0001_monitoring"
down_revision = None
branch_labels = ("monitoring",)
depends_on = "0002_diagnosis_cycle"


def upgrade():
    pass


def downgrade():
    pass
