"""diagnosis cycle: plan ↔ Instancia and ordinance; baselines per measure; sources with their valid level

Revision ID: 0002_diagnosis_cycle
Revises: 0001_diagnosis
Create Date: 2026-11-30 02:00:00

``articulated_plan.body_id``: the id of the articulation body (set on "approve_instancia");
``articulated_plan.ordinance_id``: the ordinance that approves its objectives and goals. Kept
without foreign keys: SQLite cannot add one to an existing table without copying the table and
the tables that reference it; a body is never deleted (it is dissolved).

``diagnosis_baseline.measure`` (indicator 1 has two: poverty and extreme poverty), unique per
measure; ``diagnosis_data_source`` (Figure 03: the lowest level a source is valid at) and
``diagnosis_indicator_measure``, both seed data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_diagnosis_cycle"
down_revision = "0001_diagnosis"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("articulated_plan", sa.Column("body_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_articulated_plan_body_id"), "articulated_plan", ["body_id"], unique=False)
    op.add_column("articulated_plan", sa.Column("ordinance_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_articulated_plan_ordinance_id"), "articulated_plan", ["ordinance_id"], unique=False)
    op.create_table(
        "diagnosis_data_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lowest_level", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_data_source")),
        sa.UniqueConstraint("key", name=op.f("uq_diagnosis_data_source_key")),
    )
    op.create_table(
        "diagnosis_indicator_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("indicator_key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_indicator_measure")),
        sa.UniqueConstraint("key", name=op.f("uq_diagnosis_indicator_measure_key")),
    )
    op.create_index(
        op.f("ix_diagnosis_indicator_measure_indicator_key"),
        "diagnosis_indicator_measure",
        ["indicator_key"],
        unique=False,
    )
    # A leaf table: SQLite's copy-and-move (batch) is safe here.
    with op.batch_alter_table("diagnosis_baseline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measure", sa.String(length=40), server_default="", nullable=False))
        batch_op.drop_constraint("uq_diagnosis_baseline_diagnosis_id_territory_id_indicator_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_diagnosis_baseline_measure",
            ["diagnosis_id", "territory_id", "indicator_id", "measure"],
        )


def downgrade():
    with op.batch_alter_table("diagnosis_baseline", schema=None) as batch_op:
        batch_op.drop_constraint("uq_diagnosis_baseline_measure", type_="unique")
        batch_op.create_unique_constraint(
            "uq_diagnosis_baseline_diagnosis_id_territory_id_indicator_id",
            ["diagnosis_id", "territory_id", "indicator_id"],
        )
        batch_op.drop_column("measure")
    op.drop_index(op.f("ix_diagnosis_indicator_measure_indicator_key"), table_name="diagnosis_indicator_measure")
    op.drop_table("diagnosis_indicator_measure")
    op.drop_table("diagnosis_data_source")
    op.drop_index(op.f("ix_articulated_plan_ordinance_id"), table_name="articulated_plan")
    op.drop_index(op.f("ix_articulated_plan_body_id"), table_name="articulated_plan")
    with op.batch_alter_table("articulated_plan", schema=None) as batch_op:
        batch_op.drop_column("ordinance_id")
        batch_op.drop_column("body_id")
