"""Tables of stage 2: the Diagnosis case and its instruments, the Plan Articulado case and its matrix.

Norma Técnica N° 001-2008 §3.2, §4.1.2, §5.1.2, §5.2.2, Appendices 5 and 7. Two case types
(joined tables on ``case``) and their child records; every child row reaches its government
through its case, which is how core.security scopes it. Money is ``Numeric(14, 2)`` → Decimal.

Longer than ~400 lines: the tables of two case types and their fourteen child records, kept together
because the migrations mirror this file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, Numeric, String, Table, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Case, Institution, KeyIndicator, SocialInfoItem, SocialProgram, StrategicProgram, Territory

# --- vocabularies (codes stored; Spanish labels in plugins/diagnosis/labels.py) ----------------------

#: Sources of baselines and indicators (§3.1.4): censuses, national surveys, administrative registries.
DATA_SOURCES = ("ENDES", "ENAHO", "SIEN", "HIS", "SIS", "MONIN", "CENSO", "JUNTOS", "RENIEC", "OTRA")
ACTOR_KINDS = ("public", "private", "civil_society", "church", "cooperation")
ACTOR_LEVELS = ("national", "regional", "local")
RELATION_KINDS = ("coordination", "funding", "technical_assistance", "service", "oversight", "conflict")
CAUSE_LEVELS = ("immediate", "underlying", "basic")
#: Mapa de la Riqueza (Appendix 7): the potentials it makes visible.
WEALTH_CATEGORIES = ("social", "natural", "productive", "geographic", "tourist", "cultural", "other")
#: Encuesta Económico-Productiva Local (Appendix 7) sections, plus accessibility (issue 5).
SURVEY_SECTIONS = (
    "geographic_location",
    "existing_services",
    "projects",
    "potential_resources",
    "socioeconomic",
    "accessibility",
)
#: Fuentes de financiamiento of the Peruvian public budget.
FUNDING_SOURCES = ("RO", "RDR", "ROOC", "DyT", "RD", "OTHER")
#: How a plan is approved by norm (§4.1.1: "ordinance and/or resolution").
APPROVAL_INSTRUMENTS = ("ordinance", "resolution")

MAX_NAME = 300
MAX_TEXT = 20000  # long texts: a section of a plan is a few pages at most


# --- Diagnosis ---------------------------------------------------------------------------------------


class Diagnosis(Case):
    """Diagnóstico regional o local: characterization of the territory (§3.2.1, §5.1.2, §5.2.2)."""

    __tablename__ = "diagnosis"
    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    summary: Mapped[str | None] = mapped_column(Text)  # general characterization
    methodology: Mapped[str | None] = mapped_column(Text)  # sources used, how (e.g. Encuesta nutricional §3.2.2)
    #: Item (g) of the Fichas: a nominal list is kept only when a coordinator decides it (Ley N° 29733).
    keeps_nominal_list: Mapped[bool] = mapped_column(Boolean, default=False)

    records: Mapped[list[DistrictRecord]] = relationship(back_populates="diagnosis", cascade="all, delete-orphan")

    __mapper_args__ = {"polymorphic_identity": "diagnosis"}


class DistrictRecord(db.Model):
    """Ficha Distrital: one district of the diagnosis's scope (§3.2.1.1)."""

    __tablename__ = "diagnosis_district_record"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government
    __table_args__ = (Unique("diagnosis_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    diagnosis: Mapped[Diagnosis] = relationship(back_populates="records")
    territory: Mapped[Territory] = relationship()
    values: Mapped[list[DistrictRecordValue]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="DistrictRecordValue.item_id"
    )


class DistrictRecordValue(db.Model):
    """One item (a–k of Figure 04) of a Ficha: value, source, date, notes. For item (g) the value
    is the COUNT of chronically malnourished children, never names."""

    __tablename__ = "diagnosis_district_value"
    __audit_parent__ = "record_id"  # its events belong to the parent's case and government
    __table_args__ = (Unique("record_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_district_record.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("social_info_item.id"), index=True)
    value: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(MAX_NAME))
    as_of: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(String(2000))

    record: Mapped[DistrictRecord] = relationship(back_populates="values")
    item: Mapped[SocialInfoItem] = relationship()


class NominalChild(db.Model):
    """Item (g), nominal list: personal data of a minor (Ley N° 29733). Visible to the government's
    coordinators only, never printed, exported, nor sent by the API; every access is audited.
    The audit trail masks the personal columns (``__audit_mask__``)."""

    __tablename__ = "diagnosis_nominal_child"
    __audit_parent__ = "record_id"  # its events belong to the parent's case and government
    __audit_mask__ = ("full_name", "dni", "birth_date", "community", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_district_record.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    dni: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    community: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(String(500))

    record: Mapped[DistrictRecord] = relationship()


#: Territorial levels, from the widest: a source valid down to one level is valid above it (Figure 03).
TERRITORY_LEVELS = ("national", "department", "province", "district")


class DataSource(db.Model):
    """A source of baseline values and the lowest territorial level it is valid at (Figure 03: the
    sample surveys ENAHO, ENDES and MONIN infer at national and departmental level only; censuses
    and administrative registries reach the district). Seed data: data/data_sources.yaml."""

    __tablename__ = "diagnosis_data_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)  # what a baseline stores: "ENAHO"
    name: Mapped[str] = mapped_column(String(300))
    lowest_level: Mapped[str] = mapped_column(String(12), default="district")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.key


class IndicatorMeasure(db.Model):
    """A key indicator measured as several values (indicator 1: poverty and extreme poverty), each
    its own baseline. Seed data: data/indicator_measures.yaml (``indicator_key``: the core catalog's key)."""

    __tablename__ = "diagnosis_indicator_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    indicator_key: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Baseline(db.Model):
    """Línea de base of a key indicator (Figure 05) for a territory: value, year, source (§3.1.4, §3.2.2);
    an indicator with measures (IndicatorMeasure) has one baseline per measure."""

    __tablename__ = "diagnosis_baseline"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government
    # Named: the convention's name would pass PostgreSQL's 63-character limit.
    __table_args__ = (
        Unique("diagnosis_id", "territory_id", "indicator_id", "measure", name="uq_diagnosis_baseline_measure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("key_indicator.id"), index=True)
    measure: Mapped[str] = mapped_column(String(40), default="", server_default="")  # "": the single value
    value: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(String(2000))

    territory: Mapped[Territory] = relationship()
    indicator: Mapped[KeyIndicator] = relationship()


actor_program = Table(
    "diagnosis_actor_program",
    db.metadata,
    Column("actor_id", ForeignKey("diagnosis_actor.id", ondelete="CASCADE"), primary_key=True),
    Column("program_id", ForeignKey("social_program.id"), primary_key=True),
)


class Actor(db.Model):
    """Mapa de Actores (§3.2.1.2): who intervenes in the territory, at which level, with which role."""

    __tablename__ = "diagnosis_actor"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(2000))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))

    institution: Mapped[Institution | None] = relationship()
    programs: Mapped[list[SocialProgram]] = relationship(secondary=actor_program, order_by=SocialProgram.position)


class ActorRelation(db.Model):
    """A relationship between two actors of the map (coordination, funding, assistance…)."""

    __tablename__ = "diagnosis_actor_relation"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_actor.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_actor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(String(2000))

    source: Mapped[Actor] = relationship(foreign_keys=[source_id])
    target: Mapped[Actor] = relationship(foreign_keys=[target_id])


class Coverage(db.Model):
    """Mapa de Coincidencias (§3.1.1): a social program (Appendix 3) intervenes in a district."""

    __tablename__ = "diagnosis_coverage"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government
    __table_args__ = (Unique("diagnosis_id", "program_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("social_program.id"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    beneficiaries: Mapped[int | None] = mapped_column(Integer)  # coverage: users or beneficiaries

    program: Mapped[SocialProgram] = relationship()
    territory: Mapped[Territory] = relationship()


class Cause(db.Model):
    """A cause of chronic malnutrition (§5.2.2): immediate, underlying or basic, with its evidence."""

    __tablename__ = "diagnosis_cause"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(2000))
    evidence: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(MAX_NAME))


class WealthItem(db.Model):
    """Mapa de la Riqueza (Appendix 7): a social, natural, productive, geographic, tourist… potential."""

    __tablename__ = "diagnosis_wealth_item"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    description: Mapped[str | None] = mapped_column(String(2000))

    territory: Mapped[Territory | None] = relationship()


class SurveyAnswer(db.Model):
    """Encuesta Económico-Productiva Local (Appendix 7): one section's answer for a district."""

    __tablename__ = "diagnosis_survey_answer"
    __audit_parent__ = "diagnosis_id"  # its events belong to the parent's case and government
    __table_args__ = (Unique("diagnosis_id", "territory_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    section: Mapped[str] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)

    territory: Mapped[Territory] = relationship()


# --- Plan Articulado ---------------------------------------------------------------------------------


class StandardResult(db.Model):
    """The four results of Appendix 5 (from the MEF's PpR proposal): seed data every new plan copies."""

    __tablename__ = "diagnosis_standard_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Plan(Case):
    """Plan Articulado Regional (PAR) or Local (PAL), Appendix 5 and §5.1.2."""

    __tablename__ = "articulated_plan"
    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    background: Mapped[str | None] = mapped_column(Text)  # Antecedentes
    justification: Mapped[str | None] = mapped_column(Text)  # Justificación
    general_objective: Mapped[str | None] = mapped_column(Text)  # Objetivo General
    specific_objectives: Mapped[str | None] = mapped_column(Text)  # Objetivos Específicos
    # Alignment (§5.1.2, §5.2.2)
    alignment_pdc: Mapped[str | None] = mapped_column(Text)  # Plan de Desarrollo Concertado
    alignment_participatory_budget: Mapped[str | None] = mapped_column(Text)  # Presupuesto Participativo
    alignment_institutional: Mapped[str | None] = mapped_column(Text)  # POI and the institutions' plans
    # Approval by norm (§4.1.1)
    approval_instrument: Mapped[str | None] = mapped_column(String(20))
    approval_number: Mapped[str | None] = mapped_column(String(120))
    approval_date: Mapped[date | None] = mapped_column(Date)
    diagnosis_id: Mapped[int | None] = mapped_column(ForeignKey("diagnosis.id", ondelete="SET NULL"), index=True)
    previous_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("articulated_plan.id", ondelete="SET NULL"), index=True
    )

    # The Instancia de Articulación that approved the plan (set on "approve_instancia"; §4.1.1).
    # No foreign key: SQLite cannot add one to an existing table without copying it (and the
    # tables that reference it); a body is never deleted (it is dissolved), so the id stays valid.
    body_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The ordinance that approves the plan's objectives and goals, which it annexes (Norma 5.2.1);
    # no foreign key, for the same reason.
    ordinance_id: Mapped[int | None] = mapped_column(Integer, index=True)

    diagnosis: Mapped[Diagnosis | None] = relationship(foreign_keys=[diagnosis_id])
    results: Mapped[list[PlanResult]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="[PlanResult.position, PlanResult.id]"
    )

    __mapper_args__ = {"polymorphic_identity": "articulated_plan", "inherit_condition": id == Case.id}

    @property
    def is_regional(self) -> bool:
        return self.government.kind == "regional"

    @property
    def acronym(self) -> str:
        return "PAR" if self.is_regional else "PAL"


class PlanResult(db.Model):
    """Resultado of the matrix, with its Meta (number of beneficiaries) and unit (Appendix 5, notes 13, 15)."""

    __tablename__ = "plan_result"
    __audit_parent__ = "plan_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("articulated_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    goal_value: Mapped[int | None] = mapped_column(Integer)  # beneficiaries
    goal_unit: Mapped[str | None] = mapped_column(String(MAX_NAME))
    standard_key: Mapped[str | None] = mapped_column(String(80))  # one of the four of Appendix 5

    plan: Mapped[Plan] = relationship(back_populates="results")
    indicators: Mapped[list[PlanIndicator]] = relationship(
        back_populates="result", cascade="all, delete-orphan", order_by="[PlanIndicator.position, PlanIndicator.id]"
    )
    activities: Mapped[list[PlanActivity]] = relationship(
        back_populates="result", cascade="all, delete-orphan", order_by="[PlanActivity.position, PlanActivity.id]"
    )


class PlanIndicator(db.Model):
    """Indicador of a result, with its calculation formula and source (Appendix 5, note 14)."""

    __tablename__ = "plan_indicator"
    __audit_parent__ = "result_id"  # its events belong to the parent's case and government

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("plan_result.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    formula: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str | None] = mapped_column(String(MAX_NAME))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    target: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))

    result: Mapped[PlanResult] = relationship(back_populates="indicators")


activity_institution = Table(
    "plan_activity_institution",
    db.metadata,
    Column("activity_id", ForeignKey("plan_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), primary_key=True),
)


class PlanActivity(db.Model):
    """Actividad (Appendix 5, note 16) with its investment budget (note 17), PpR strategic program,
    funding source and responsible institutions; and, for a local plan (§5.1.2), its months,
    responsible official, physical goal and targeted communities."""

    __tablename__ = "plan_activity"
    __audit_parent__ = "result_id"  # its events belong to the parent's case and government
    __table_args__ = (Index("ix_plan_activity_program", "strategic_program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("plan_result.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # investment expenditure only
    strategic_program_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_program.id"))
    funding_source: Mapped[str | None] = mapped_column(String(10))
    months: Mapped[list[int]] = mapped_column(JSON, default=list)  # 1..12, the timetable of the year
    official: Mapped[str | None] = mapped_column(String(200))  # responsible official (name and post)
    physical_goal: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    physical_unit: Mapped[str | None] = mapped_column(String(120))
    communities: Mapped[str | None] = mapped_column(String(2000))  # targeted communities

    result: Mapped[PlanResult] = relationship(back_populates="activities")
    strategic_program: Mapped[StrategicProgram | None] = relationship()
    institutions: Mapped[list[Institution]] = relationship(
        secondary=activity_institution, order_by=Institution.position
    )


def month_list(value: Any) -> list[int]:
    """Stored months, sorted and unique (JSON may hold anything a hand-edit put there)."""
    return sorted({int(m) for m in (value or []) if str(m).isdigit() and 1 <= int(m) <= 12})
