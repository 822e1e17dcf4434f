"""monitoring: the national dashboard's covering index on measurements — (indicator, year, level, area, sex,
department, measure, period, numerator, denominator) replaces (indicator, year) and (indicator, measure, level,
year, period kind): each indicator's district totals of its latest year are summed from one index range,
whatever the years stored; one index fewer for an import to maintain (issue 9, performance)

Revision ID: 0003_monitoring_totals
Revises: 0003_monitoring_ventanilla_scale
"""

from alembic import op

revision = "0003_monitoring_totals"
down_revision = "0003_monitoring_ventanilla_scale"
branch_labels = None
depends_on = None

COLUMNS = [
    "indicator_id",
    "year",
    "level",
    "area",
    "sex",
    "department",
    "measure",
    "period_kind",
    "period_number",
    "numerator",
    "denominator",
]


def upgrade():
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_measurement_year_totals", COLUMNS, unique=False)
        batch_op.drop_index("ix_monitoring_measurement_latest")
        # aggregation's (indicator, measure, level, year, period_kind) is served by the new one too: one index
        # fewer to maintain on every imported row
        batch_op.drop_index("ix_monitoring_measurement_level")


def downgrade():
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_measurement_latest", ["indicator_id", "year"], unique=False)
        batch_op.create_index(
            "ix_monitoring_measurement_level", ["indicator_id", "measure", "level", "year", "period_kind"], unique=False
        )
        batch_op.drop_index("ix_monitoring_measurement_year_totals")
