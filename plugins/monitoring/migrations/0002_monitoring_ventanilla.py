"""monitoring: the Ventanilla CRECER — offices, their staff, entries with their timeline and attachments

Revision ID: 0002_monitoring_ventanilla
Revises: 0002_monitoring_supervision
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_monitoring_ventanilla"
down_revision = "0002_monitoring_supervision"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ventanilla_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("instrument", sa.String(length=200), nullable=True),
        sa.Column("instrument_date", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("hours", sa.String(length=200), nullable=True),
        sa.Column("juntos_support", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_ventanilla_office_government_id_government")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_office")),
        sa.UniqueConstraint("government_id", name=op.f("uq_ventanilla_office_government_id")),
    )
    op.create_table(
        "ventanilla_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("origin_office_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("origin_government_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("request_kind", sa.String(length=16), nullable=True),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("referred_to_id", sa.Integer(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("recurrent", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("dni", sa.String(length=8), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"], ["government.id"], name=op.f("fk_ventanilla_entry_government_id_government")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name=op.f("fk_ventanilla_entry_institution_id_institution")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["ventanilla_office.id"], name=op.f("fk_ventanilla_entry_office_id_ventanilla_office")
        ),
        sa.ForeignKeyConstraint(
            ["origin_government_id"],
            ["government.id"],
            name=op.f("fk_ventanilla_entry_origin_government_id_government"),
        ),
        sa.ForeignKeyConstraint(
            ["origin_office_id"],
            ["ventanilla_office.id"],
            name=op.f("fk_ventanilla_entry_origin_office_id_ventanilla_office"),
        ),
        sa.ForeignKeyConstraint(["place_id"], ["territory.id"], name=op.f("fk_ventanilla_entry_place_id_territory")),
        sa.ForeignKeyConstraint(
            ["program_id"], ["social_program.id"], name=op.f("fk_ventanilla_entry_program_id_social_program")
        ),
        sa.ForeignKeyConstraint(
            ["referred_to_id"], ["institution.id"], name=op.f("fk_ventanilla_entry_referred_to_id_institution")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_entry")),
        sa.UniqueConstraint("code", name=op.f("uq_ventanilla_entry_code")),
    )
    with op.batch_alter_table("ventanilla_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_emergency"), ["emergency"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_escalated"), ["escalated"], unique=False)
        batch_op.create_index("ix_ventanilla_entry_government_created", ["government_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index("ix_ventanilla_entry_ip_created", ["ip_hash", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_kind"), ["kind"], unique=False)
        batch_op.create_index("ix_ventanilla_entry_office_created", ["office_id", "created_at"], unique=False)
        batch_op.create_index("ix_ventanilla_entry_office_due", ["office_id", "due_date"], unique=False)
        batch_op.create_index("ix_ventanilla_entry_office_status", ["office_id", "status", "created_at"], unique=False)
        batch_op.create_index(
            "ix_ventanilla_entry_origin_created", ["origin_government_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_recurrent"), ["recurrent"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_entry_status"), ["status"], unique=False)

    op.create_table(
        "ventanilla_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["ventanilla_office.id"],
            name=op.f("fk_ventanilla_staff_office_id_ventanilla_office"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_ventanilla_staff_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_staff")),
        sa.UniqueConstraint("office_id", "user_id", name=op.f("uq_ventanilla_staff_office_id_user_id")),
    )
    with op.batch_alter_table("ventanilla_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ventanilla_staff_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ventanilla_staff_user_id"), ["user_id"], unique=False)

    op.create_table(
        "ventanilla_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ventanilla_entry.id"],
            name=op.f("fk_ventanilla_attachment_entry_id_ventanilla_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_attachment")),
    )
    with op.batch_alter_table("ventanilla_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ventanilla_attachment_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "ventanilla_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ventanilla_entry.id"],
            name=op.f("fk_ventanilla_event_entry_id_ventanilla_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name=op.f("fk_ventanilla_event_institution_id_institution")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_ventanilla_event_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ventanilla_event")),
    )
    with op.batch_alter_table("ventanilla_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ventanilla_event_entry_id"), ["entry_id"], unique=False)


def downgrade():
    op.drop_table("ventanilla_event")
    op.drop_table("ventanilla_attachment")
    op.drop_table("ventanilla_staff")
    op.drop_table("ventanilla_entry")
    op.drop_table("ventanilla_office")
