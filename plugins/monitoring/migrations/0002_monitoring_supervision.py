"""monitoring: quality supervision (fichas, visits, answers, findings) and community monitoring

Revision ID: 0002_monitoring_supervision
Revises: 0003_monitoring_dashboards
Create Date: 2026-11-30 08:39:22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_monitoring_supervision"
down_revision = "0003_monitoring_dashboards"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "monitoring_checklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("service_kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_checklist")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_checklist_key")),
    )
    with op.batch_alter_table("monitoring_checklist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_checklist_service_kind"), ["service_kind"], unique=False)

    op.create_table(
        "monitoring_checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=200), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["monitoring_checklist.id"],
            name=op.f("fk_monitoring_checklist_item_checklist_id_monitoring_checklist"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_checklist_item")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_checklist_item_key")),
    )
    with op.batch_alter_table("monitoring_checklist_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_checklist_item_checklist_id"), ["checklist_id"], unique=False)

    op.create_table(
        "monitoring_community_organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("representative", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["government.id"],
            name=op.f("fk_monitoring_community_organization_government_id_government"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_community_organization")),
        sa.UniqueConstraint(
            "government_id", "name", name=op.f("uq_monitoring_community_organization_government_id_name")
        ),
    )
    with op.batch_alter_table("monitoring_community_organization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_community_organization_government_id"), ["government_id"], unique=False
        )

    op.create_table(
        "monitoring_supervision_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("facility", sa.String(length=300), nullable=False),
        sa.Column("supervisor", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["monitoring_checklist.id"],
            name=op.f("fk_monitoring_supervision_visit_checklist_id_monitoring_checklist"),
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["case.id"], name=op.f("fk_monitoring_supervision_visit_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_supervision_visit")),
    )
    with op.batch_alter_table("monitoring_supervision_visit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_supervision_visit_checklist_id"), ["checklist_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitoring_supervision_visit_ubigeo"), ["ubigeo"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_supervision_visit_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "monitoring_community_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("program", sa.String(length=200), nullable=False),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("observation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consolidation_note", sa.Text(), nullable=True),
        sa.Column("action_key", sa.String(length=60), nullable=True),
        sa.Column("action_label", sa.String(length=300), nullable=True),
        sa.Column("action_url", sa.String(length=300), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_monitoring_community_report_government_id_government")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["monitoring_community_organization.id"],
            name=op.f("fk_monitoring_community_report_organization_id_monitoring_community_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["monitoring_supervision_visit.id"],
            name=op.f("fk_monitoring_community_report_visit_id_monitoring_supervision_visit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_community_report")),
    )
    with op.batch_alter_table("monitoring_community_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_community_report_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_community_report_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitoring_community_report_report_date"), ["report_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_community_report_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_community_report_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "monitoring_visit_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("remark", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["monitoring_checklist_item.id"],
            name=op.f("fk_monitoring_visit_answer_item_id_monitoring_checklist_item"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["monitoring_supervision_visit.id"],
            name=op.f("fk_monitoring_visit_answer_visit_id_monitoring_supervision_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_visit_answer")),
        sa.UniqueConstraint("visit_id", "item_id", name=op.f("uq_monitoring_visit_answer_visit_id_item_id")),
    )
    with op.batch_alter_table("monitoring_visit_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_visit_answer_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_visit_answer_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "monitoring_visit_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("commitment", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["deadline.id"],
            name=op.f("fk_monitoring_visit_finding_deadline_id_deadline"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["monitoring_supervision_visit.id"],
            name=op.f("fk_monitoring_visit_finding_visit_id_monitoring_supervision_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_visit_finding")),
        sa.UniqueConstraint("visit_id", "number", name=op.f("uq_monitoring_visit_finding_visit_id_number")),
    )
    with op.batch_alter_table("monitoring_visit_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_visit_finding_deadline_id"), ["deadline_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_visit_finding_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_visit_finding_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_visit_finding_visit_id"), ["visit_id"], unique=False)


def downgrade():
    with op.batch_alter_table("monitoring_visit_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_finding_visit_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_finding_status"))
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_finding_due_date"))
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_finding_deadline_id"))

    op.drop_table("monitoring_visit_finding")
    with op.batch_alter_table("monitoring_visit_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_answer_visit_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_visit_answer_item_id"))

    op.drop_table("monitoring_visit_answer")
    with op.batch_alter_table("monitoring_community_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_community_report_visit_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_community_report_status"))
        batch_op.drop_index(batch_op.f("ix_monitoring_community_report_report_date"))
        batch_op.drop_index(batch_op.f("ix_monitoring_community_report_organization_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_community_report_government_id"))

    op.drop_table("monitoring_community_report")
    with op.batch_alter_table("monitoring_supervision_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_supervision_visit_visit_date"))
        batch_op.drop_index(batch_op.f("ix_monitoring_supervision_visit_ubigeo"))
        batch_op.drop_index(batch_op.f("ix_monitoring_supervision_visit_checklist_id"))

    op.drop_table("monitoring_supervision_visit")
    with op.batch_alter_table("monitoring_community_organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_community_organization_government_id"))

    op.drop_table("monitoring_community_organization")
    with op.batch_alter_table("monitoring_checklist_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_checklist_item_checklist_id"))

    op.drop_table("monitoring_checklist_item")
    with op.batch_alter_table("monitoring_checklist", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_checklist_service_kind"))

    op.drop_table("monitoring_checklist")
