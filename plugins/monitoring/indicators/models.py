"""Tables of the key indicators: the catalog (Figure 05) with its sources, measurements, targets.

Norma Técnica N° 001-2008 §3.1.4 (Figure 03: the lowest territorial level each source is valid at),
§4.1.4 (Figure 05: the nine key indicators). Sources and sub-measures are the diagnosis plugin's
catalogs (``DataSource``, ``IndicatorMeasure``: one list for baselines and measurements), referred to by
key. A measurement keeps its territory's ubigeo, level, department and province beside the territory id
so the dashboards aggregate ≈340,000 district rows by prefix without joining the territory tree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, SmallInteger, String, Text, false
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Government, Territory, User
from core.models.user import utcnow

#: Direction of improvement: lower is better for all but indicators 6 and 9 (Figure 05).
DIRECTIONS = ("lower", "higher")
#: How often an indicator is measured (the sources' rhythm; MONIN is quarterly).
PERIODICITIES = ("annual", "quarterly", "monthly")
#: The period a measurement covers: a year, a quarter (1–4) or a month (1–12) of ``year``.
PERIOD_KINDS = ("year", "quarter", "month")
#: Disaggregations an indicator may be reported by; "" in a measurement is the total.
DISAGGREGATIONS = {"area": ("urbano", "rural"), "sexo": ("hombres", "mujeres")}
#: Levels of a measurement, highest first; national values have no territory row (ubigeo NATIONAL_UBIGEO).
LEVELS = ("national", "department", "province", "district")
NATIONAL_UBIGEO = "000000"
#: Where a target comes from (issue 9 item 4).
TARGET_ORIGINS = ("national", "plan", "adjustment")  # national: NationalGoal, the others: Target


class MonitoredIndicator(db.Model):
    """A key indicator as it is measured: definition, numerator and denominator, unit and factor,
    direction, disaggregations, periodicity. ``key`` is the core catalog's key (core.models.KeyIndicator).
    Seed data: data/indicators.yaml; an administrator may edit it."""

    __tablename__ = "monitoring_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # 1–9, Figure 05
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(120))
    definition: Mapped[str | None] = mapped_column(Text)
    numerator: Mapped[str | None] = mapped_column(Text)
    denominator: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(60), default="%")
    factor: Mapped[int] = mapped_column(Integer, default=100)  # value = numerator / denominator × factor
    direction: Mapped[str] = mapped_column(String(10), default="lower")
    disaggregations: Mapped[str] = mapped_column(String(60), default="")  # "area,sexo"
    periodicity: Mapped[str] = mapped_column(String(20), default="annual")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    sources: Mapped[list[IndicatorSource]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorSource.position"
    )

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def is_percentage(self) -> bool:
        return self.factor == 100

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower"

    @property
    def disaggregation_list(self) -> list[str]:
        return [part for part in (self.disaggregations or "").split(",") if part]


class IndicatorSource(db.Model):
    """A source that reports an indicator; its lowest valid level is the source's (DataSource, Figure 03)."""

    __tablename__ = "monitoring_indicator_source"
    __table_args__ = (Unique("indicator_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # seed key
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_indicator.id", ondelete="CASCADE", name="fk_monitoring_indicator_source_indicator"),
        index=True,
    )
    source: Mapped[str] = mapped_column(String(20))  # DataSource.key: "ENDES"
    position: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(String(500))

    indicator: Mapped[MonitoredIndicator] = relationship(back_populates="sources")


class Measurement(db.Model):
    """A value of an indicator (or of one of its measures) for a territory, a period, a source and a
    disaggregation; numerator and denominator where known (they make aggregation possible)."""

    __tablename__ = "monitoring_measurement"
    __table_args__ = (
        Unique(
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
        # district values of a period, grouped by department or province (aggregation, dashboards): answered
        # by ix_monitoring_measurement_year_totals (dashboards/models.py), which replaced the "level" index
        Index("ix_monitoring_measurement_series", "ubigeo", "indicator_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("monitoring_indicator.id"))
    measure: Mapped[str] = mapped_column(String(40), default="", server_default="")  # "": the single value
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)  # None: national
    ubigeo: Mapped[str] = mapped_column(String(6))
    level: Mapped[str] = mapped_column(String(10))
    department: Mapped[str] = mapped_column(String(2), default="")  # ubigeo[:2] ("" national)
    province: Mapped[str] = mapped_column(String(4), default="")  # ubigeo[:4] ("" above a province)
    # The government whose territory it is (scoping); None for national values.
    government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    period_kind: Mapped[str] = mapped_column(String(7), default="year")
    period_number: Mapped[int] = mapped_column(SmallInteger, default=0)  # quarter 1–4, month 1–12, 0 a year
    period_start: Mapped[date] = mapped_column(Date)  # first day of the period (order, "not in the future")
    source: Mapped[str] = mapped_column(String(20))  # DataSource.key
    area: Mapped[str] = mapped_column(String(10), default="", server_default="")  # "", urbano, rural
    sex: Mapped[str] = mapped_column(String(10), default="", server_default="")  # "", hombres, mujeres
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    numerator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    denominator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    notes: Mapped[str | None] = mapped_column(String(2000))
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    indicator: Mapped[MonitoredIndicator] = relationship()
    territory: Mapped[Territory | None] = relationship()
    government: Mapped[Government | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revisions: Mapped[list[MeasurementRevision]] = relationship(
        back_populates="measurement", cascade="all, delete-orphan", order_by="MeasurementRevision.id.desc()"
    )

    # a concurrent correction fails its UPDATE (StaleDataError → 409) instead of overwriting
    __mapper_args__ = {"version_id_col": version}

    @property
    def period(self) -> str:
        from plugins.monitoring.indicators.periods import period_code

        return period_code(self.year, self.period_kind, self.period_number)


class MeasurementRevision(db.Model):
    """A correction of a measurement: the values it had before, who changed them, when and why."""

    __tablename__ = "monitoring_measurement_revision"
    __audit_parent__ = "measurement_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(
        ForeignKey(
            "monitoring_measurement.id", ondelete="CASCADE", name="fk_monitoring_measurement_revision_measurement"
        ),
        index=True,
    )
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    old_value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    old_numerator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    old_denominator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    old_notes: Mapped[str | None] = mapped_column(String(2000))
    reason: Mapped[str | None] = mapped_column(String(2000))

    measurement: Mapped[Measurement] = relationship(back_populates="revisions")
    changed_by: Mapped[User | None] = relationship()


class Target(db.Model):
    """A government's goal for a year: from its approved plan (an indicator goal, or a result goal in
    beneficiaries) or an adjustment made in evaluation (with its justification and who approved it).
    The latest adjustment wins over the plan, the plan over the national goal (queries.targets_for)."""

    __tablename__ = "monitoring_target"
    __table_args__ = (Index("ix_monitoring_target_government_year", "government_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(20), default="plan")  # plan | adjustment
    government_id: Mapped[int] = mapped_column(ForeignKey("government.id"))
    year: Mapped[int] = mapped_column(Integer)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_indicator.id"), index=True)
    measure: Mapped[str] = mapped_column(String(40), default="", server_default="")
    area: Mapped[str] = mapped_column(String(10), default="", server_default="")
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str | None] = mapped_column(String(120))  # a result goal's unit ("niños y niñas")
    label: Mapped[str | None] = mapped_column(String(300))  # the result's or plan indicator's name
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("articulated_plan.id", ondelete="SET NULL"), index=True)
    plan_result_id: Mapped[int | None] = mapped_column(ForeignKey("plan_result.id", ondelete="SET NULL"))
    plan_indicator_id: Mapped[int | None] = mapped_column(ForeignKey("plan_indicator.id", ondelete="SET NULL"))
    justification: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(300))  # name and post of who approved it
    approved_on: Mapped[date | None] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    indicator: Mapped[MonitoredIndicator | None] = relationship()
    government: Mapped[Government] = relationship()


class NationalGoal(db.Model):
    """A national goal to 2011 the standard states (Introduction: poverty 30 %, urban 20 %, rural 45 %,
    chronic malnutrition 16 %): seed data (data/national_goals.yaml), in force for every government
    that has no plan goal or adjustment for it. Read like a Target (``origin`` "national")."""

    __tablename__ = "monitoring_national_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("monitoring_indicator.id"), index=True)
    measure: Mapped[str] = mapped_column(String(40), default="", server_default="")
    area: Mapped[str] = mapped_column(String(10), default="", server_default="")
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    source_note: Mapped[str | None] = mapped_column(String(500))  # where the standard states it
    position: Mapped[int] = mapped_column(default=0)

    indicator: Mapped[MonitoredIndicator] = relationship()

    origin = "national"
    government_id = None
    plan_id = plan_result_id = plan_indicator_id = None
    unit = justification = approved_by = approved_on = None

    @property
    def label(self) -> str | None:
        return self.source_note


class PlanIndicatorLink(db.Model):
    """A plan indicator (the matrix, diagnosis plugin) linked to the key indicator (and measure) it measures."""

    __tablename__ = "monitoring_plan_indicator_link"
    __audit_parent__ = "plan_indicator_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_indicator_id: Mapped[int] = mapped_column(
        ForeignKey("plan_indicator.id", ondelete="CASCADE", name="fk_monitoring_plan_indicator_link_plan_indicator"),
        unique=True,
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_indicator.id", name="fk_monitoring_plan_indicator_link_indicator"), index=True
    )
    measure: Mapped[str] = mapped_column(String(40), default="", server_default="")

    indicator: Mapped[MonitoredIndicator] = relationship()
