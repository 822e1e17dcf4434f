"""Models of the deadlines subsystem (see core/deadlines/__init__.py): rules, deadlines, non-working days,
reminders, in-app notifications and the secret calendar-feed tokens."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.case import Case
from core.models.territory import Government
from core.models.user import User, utcnow

#: How a rule computes its due dates.
RULE_KINDS = ("fixed_yearly", "quarterly", "working_days_after", "calendar_days_after")
#: Kinds whose deadlines are generated per government and year (the others start with an event).
CALENDAR_KINDS = ("fixed_yearly", "quarterly")
EVENT_KINDS = ("working_days_after", "calendar_days_after")
#: The government level a rule binds: regional governments, local ones (provincial + district),
#: only provincial or only district municipalities, or every government.
RULE_LEVELS = ("regional", "local", "provincial", "district", "all")
#: Statuses, computed (never stored) by core.deadlines.status_of / status_expression.
STATUSES = ("pending", "due_soon", "met", "met_late", "late")
REMINDER_KINDS = ("due_soon", "late")
REMINDER_CHANNELS = ("email", "in_app")


class DeadlineRule(db.Model):
    """A deadline rule declared by a plugin (``deadlines.yaml`` or the ``deadline_rules`` hook), or
    added by an administrator. ``edited`` keeps an administrator's changes when the plugin's
    declaration changes (like seed data)."""

    __tablename__ = "deadline_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # "institutionalization.regional_submission"
    owner: Mapped[str] = mapped_column(String(80))  # plugin, "core", or "admin"
    label: Mapped[str] = mapped_column(String(300))  # Spanish
    #: The label for English readers (reminders, calendar feed, pages); None: they read ``label``.
    label_en: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(24))
    # fixed_yearly
    month: Mapped[int | None]
    day: Mapped[int | None]
    # quarterly: N days after each quarter's end (0 → 31 Mar, 30 Jun, 30 Sep, 31 Dec), or explicit
    # dates "MM-DD" for quarters 1..4, one per line (a date before the quarter's end is next year's).
    quarter_offset_days: Mapped[int | None]
    quarter_dates: Mapped[str | None] = mapped_column(String(60))
    # working_days_after / calendar_days_after: N days after an event (a workflow transition)
    days: Mapped[int | None]
    event: Mapped[str | None] = mapped_column(String(200))  # Spanish: what starts the period
    level: Mapped[str] = mapped_column(String(12), default="all")
    case_type: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    shipped_checksum: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def __str__(self) -> str:
        return self.label


class Deadline(db.Model):
    """One deadline of one government (and, for event rules, one case) in one year.

    ``period``: the quarter (1..4) of a quarterly rule, else 0. Uniqueness of
    (rule, government, year, case, period) makes generation idempotent; since SQL treats
    NULLs as distinct, it is two partial unique indexes: one for government deadlines
    (no case), one for case deadlines.
    """

    __tablename__ = "deadline"
    __table_args__ = (
        Index(
            "uq_deadline_government",
            "rule_id",
            "government_id",
            "year",
            "period",
            unique=True,
            sqlite_where=text("case_id IS NULL"),
            postgresql_where=text("case_id IS NULL"),
        ),
        Index(
            "uq_deadline_case",
            "rule_id",
            "case_id",
            "period",
            unique=True,
            sqlite_where=text("case_id IS NOT NULL"),
            postgresql_where=text("case_id IS NOT NULL"),
        ),
        Index("ix_deadline_government_year", "government_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("deadline_rule.id"), index=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))  # Spanish, as stored (search, sorting, old rows)
    #: A label a plugin composed (``core.deadlines.set_label``): its English msgid and parameters,
    #: rendered in the reader's language when shown; None: the rule's label (``reader_label``).
    label_msgid: Mapped[str | None] = mapped_column(String(300))
    label_params: Mapped[dict | None] = mapped_column(JSON)
    start_date: Mapped[date | None] = mapped_column(Date)  # the event's date (event rules)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    met_at: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC
    met_on: Mapped[date | None] = mapped_column(Date)  # the same instant as a date in Lima
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    met_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    rule: Mapped[DeadlineRule] = relationship()
    government: Mapped[Government] = relationship()
    case: Mapped[Case | None] = relationship(foreign_keys=[case_id])
    met_case: Mapped[Case | None] = relationship(foreign_keys=[met_case_id])
    met_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.label} — {self.due_date.isoformat()}"


class NonWorkingDay(db.Model):
    """An extra non-working day: a decreed "día no laborable" (national, ``region_id`` NULL) or a
    regional holiday (``region_id``: the regional government whose governments it binds)."""

    __tablename__ = "non_working_day"
    # One row per day and jurisdiction; NULLs are distinct in SQL, hence the partial index for national days.
    __table_args__ = (
        UniqueConstraint("date", "region_id"),
        Index(
            "uq_non_working_day_national",
            "date",
            unique=True,
            sqlite_where=text("region_id IS NULL"),
            postgresql_where=text("region_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)

    region: Mapped[Government | None] = relationship()

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"


class Reminder(db.Model):
    """A reminder sent to one user about one deadline; unique per kind, so it is sent once."""

    __tablename__ = "deadline_reminder"
    __audit_parent__ = "deadline_id"  # its events belong to the parent's case and government
    __table_args__ = (UniqueConstraint("deadline_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    deadline: Mapped[Deadline] = relationship()
    user: Mapped[User] = relationship()


class Notification(db.Model):
    """An in-app message for one user (deadline reminders when no mail server is configured)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class CalendarFeedToken(db.Model):
    """A user's secret iCalendar feed URL: the token is the credential, stored as its SHA-256."""

    __tablename__ = "calendar_feed_token"
    __audit_actions__ = {"create": "calendar_issue", "delete": "calendar_revoke"}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
