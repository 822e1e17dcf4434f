"""monitoring: the key indicators' catalog and sources, measurements and their corrections, targets,
and the link from a plan indicator to a key indicator

Revision ID: 0002_monitoring_indicators
Revises: 0001_monitoring
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_monitoring_indicators"
down_revision = "0001_monitoring"
branch_labels = None
depends_on = None


def _audit_columns() -> list[sa.Column]:
    return [
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
    ]


def upgrade():
    op.create_table(
        "monitoring_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("numerator", sa.Text(), nullable=True),
        sa.Column("denominator", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=60), nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("disaggregations", sa.String(length=60), nullable=False),
        sa.Column("periodicity", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_indicator")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_indicator_key")),
        sa.UniqueConstraint("number", name=op.f("uq_monitoring_indicator_number")),
    )

    op.create_table(
        "monitoring_indicator_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["monitoring_indicator.id"],
            name="fk_monitoring_indicator_source_indicator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_indicator_source")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_indicator_source_key")),
        sa.UniqueConstraint("indicator_id", "source", name=op.f("uq_monitoring_indicator_source_indicator_id_source")),
    )
    with op.batch_alter_table("monitoring_indicator_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_indicator_source_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "monitoring_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=40), server_default="", nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("department", sa.String(length=2), nullable=False),
        sa.Column("province", sa.String(length=4), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=7), nullable=False),
        sa.Column("period_number", sa.SmallInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("area", sa.String(length=10), server_default="", nullable=False),
        sa.Column("sex", sa.String(length=10), server_default="", nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("numerator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("denominator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        *_audit_columns(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_monitoring_measurement_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_monitoring_measurement_government_id_government")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["monitoring_indicator.id"],
            name=op.f("fk_monitoring_measurement_indicator_id_monitoring_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_monitoring_measurement_territory_id_territory")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_monitoring_measurement_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_measurement")),
        sa.UniqueConstraint(
            "indicator_id",
            "measure",
            "ubigeo",
            "period_kind",
            "year",
            "period_number",
            "source",
            "area",
            "sex",
            name="uq_monitoring_measurement_key",
        ),
    )
    with op.batch_alter_table("monitoring_measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_measurement_government_id"), ["government_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_measurement_territory_id"), ["territory_id"], unique=False)
        batch_op.create_index(
            "ix_monitoring_measurement_level", ["indicator_id", "measure", "level", "year", "period_kind"], unique=False
        )
        batch_op.create_index(
            "ix_monitoring_measurement_series", ["ubigeo", "indicator_id", "period_start"], unique=False
        )

    op.create_table(
        "monitoring_measurement_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measurement_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("old_value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("old_numerator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("old_denominator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("old_notes", sa.String(length=2000), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_monitoring_measurement_revision_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["measurement_id"],
            ["monitoring_measurement.id"],
            name="fk_monitoring_measurement_revision_measurement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_measurement_revision")),
    )
    with op.batch_alter_table("monitoring_measurement_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_measurement_revision_measurement_id"), ["measurement_id"], unique=False
        )

    op.create_table(
        "monitoring_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("measure", sa.String(length=40), server_default="", nullable=False),
        sa.Column("area", sa.String(length=10), server_default="", nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=120), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_result_id", sa.Integer(), nullable=True),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=True),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.String(length=300), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_monitoring_target_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_monitoring_target_government_id_government")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["monitoring_indicator.id"],
            name=op.f("fk_monitoring_target_indicator_id_monitoring_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["articulated_plan.id"],
            name=op.f("fk_monitoring_target_plan_id_articulated_plan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_monitoring_target_plan_indicator_id_plan_indicator"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_result_id"],
            ["plan_result.id"],
            name=op.f("fk_monitoring_target_plan_result_id_plan_result"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_target")),
    )
    with op.batch_alter_table("monitoring_target", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_target_government_year", ["government_id", "year"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_target_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_target_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "monitoring_national_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=40), server_default="", nullable=False),
        sa.Column("area", sa.String(length=10), server_default="", nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("source_note", sa.String(length=500), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["monitoring_indicator.id"],
            name=op.f("fk_monitoring_national_goal_indicator_id_monitoring_indicator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_national_goal")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_national_goal_key")),
    )
    with op.batch_alter_table("monitoring_national_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_national_goal_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "monitoring_plan_indicator_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=40), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["monitoring_indicator.id"],
            name="fk_monitoring_plan_indicator_link_indicator",
        ),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["plan_indicator.id"],
            name="fk_monitoring_plan_indicator_link_plan_indicator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan_indicator_link")),
        sa.UniqueConstraint("plan_indicator_id", name=op.f("uq_monitoring_plan_indicator_link_plan_indicator_id")),
    )
    with op.batch_alter_table("monitoring_plan_indicator_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_plan_indicator_link_indicator_id"), ["indicator_id"], unique=False
        )


def downgrade():
    for table in (
        "monitoring_plan_indicator_link",
        "monitoring_national_goal",
        "monitoring_target",
        "monitoring_measurement_revision",
        "monitoring_measurement",
        "monitoring_indicator_source",
        "monitoring_indicator",
    ):
        op.drop_table(table)
