"""Tables of a contest of the Sistema de Incentivos y Reconocimiento: the contest (a case of the
convening government), its criteria and prizes, jurors, applications (with evidence) and scores.

Rules kept here, where a reader looks first:

- **Who may apply**: a regional contest recognises local best practices — applicants are the region's
  municipalities (added to the case as participants, party role ``applicant``, so their users read the
  contest) or community organizations; a local contest recognises communities: only community
  organizations apply.
- **Jurors** are users designated for the contest who can read it (the convening government, its
  region, the ST-CIAS, or an applicant municipality's users). Each declares that they have no conflict
  of interest before scoring. A juror with a membership in an application's municipality does not score
  that application (refused); a municipality's own staff do judge its own communities (local contests).
- **Scores**: every juror scores every criterion of every application they may score, 0 to ``SCALE``;
  a missing score blocks the ranking.
- **Ranking**: an application's total is Σ weight × (mean of its jurors' scores) / ``SCALE`` (0–100).
  Ties are broken by the score on the heaviest criterion (then the next heaviest…), then by the earlier
  submission date, then by the order of registration.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Case, Government, User
from core.models.attachments import Attachment

#: The party role of an applicant municipality (core case participants).
APPLICANT = "applicant"
#: Scores run from 0 to SCALE on every criterion.
SCALE = 10
#: At most this many prizes (places); each winner gets a certificate of its place.
MAX_PRIZES = 5
MAX_CRITERIA = 8
APPLICANT_KINDS = {"municipality": "Municipalidad", "community_organization": "Organización comunal"}
PLACES = ["Primer puesto", "Segundo puesto", "Tercer puesto", "Cuarto puesto", "Quinto puesto"]


class Contest(Case):
    """A contest of best practices convened by a regional or local government; the title is its name."""

    __tablename__ = "operations_contest"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    purpose: Mapped[str | None] = mapped_column(Text)
    eligibility: Mapped[str | None] = mapped_column(Text)  # who may apply, as the Bases say it
    budget_cap: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    reception_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    evaluation_deadline: Mapped[date | None] = mapped_column(Date)
    results_date: Mapped[date | None] = mapped_column(Date)

    criteria: Mapped[list[ContestCriterion]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestCriterion.position"
    )
    prizes: Mapped[list[ContestPrize]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestPrize.place"
    )
    jurors: Mapped[list[ContestJuror]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestJuror.id"
    )
    applications: Mapped[list[ContestApplication]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestApplication.id"
    )

    __mapper_args__ = {"polymorphic_identity": "contest"}

    @property
    def is_local(self) -> bool:
        return self.government.kind != "regional"

    @property
    def weight_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def prize_total(self) -> Decimal:
        return sum((p.amount or Decimal(0) for p in self.prizes), start=Decimal(0))

    @property
    def ranked(self) -> list[ContestApplication]:
        return sorted((a for a in self.applications if a.rank is not None), key=lambda a: a.rank or 0)

    def winners(self) -> list[tuple[ContestPrize, ContestApplication]]:
        """Each prize and the application in its place (the first places of the ranking)."""
        by_rank = {a.rank: a for a in self.applications if a.rank is not None}
        return [(p, by_rank[p.place]) for p in self.prizes if p.place in by_rank]


class ContestCriterion(db.Model):
    """An evaluation criterion of the Bases and its weight (the weights of a contest add up to 100)."""

    __tablename__ = "operations_contest_criterion"
    __audit_parent__ = "contest_id"
    __case_path__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("operations_contest.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[int] = mapped_column(Integer)

    contest: Mapped[Contest] = relationship(back_populates="criteria")


class ContestPrize(db.Model):
    """The prize of a place (1 = first): what it is and, when money, its amount in soles."""

    __tablename__ = "operations_contest_prize"
    __audit_parent__ = "contest_id"
    __case_path__ = "contest"
    __table_args__ = (UniqueConstraint("contest_id", "place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("operations_contest.id", ondelete="CASCADE"), index=True)
    place: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    contest: Mapped[Contest] = relationship(back_populates="prizes")

    @property
    def place_name(self) -> str:
        return PLACES[self.place - 1] if 1 <= self.place <= len(PLACES) else f"Puesto {self.place}"


class ContestJuror(db.Model):
    """A user designated to the jury, and their declaration of no conflict of interest."""

    __tablename__ = "operations_contest_juror"
    __audit_parent__ = "contest_id"
    __case_path__ = "contest"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("operations_contest.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    charge: Mapped[str | None] = mapped_column(String(200))  # "Representante de la Dirección Regional de Salud"
    declared_at: Mapped[datetime | None] = mapped_column(DateTime)

    contest: Mapped[Contest] = relationship(back_populates="jurors")
    user: Mapped[User] = relationship()
    scores: Mapped[list[ContestScore]] = relationship(back_populates="juror", cascade="all, delete-orphan")

    @property
    def email(self) -> str:
        return self.user.email


class ContestApplication(db.Model):
    """An application: a municipality's or a community organization's practice, with its evidence."""

    __tablename__ = "operations_contest_application"
    __audit_parent__ = "contest_id"
    __case_path__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("operations_contest.id", ondelete="CASCADE"), index=True)
    applicant_kind: Mapped[str] = mapped_column(String(30))
    # The applicant municipality, or the municipality where the community organization is (optional).
    government_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)
    organization_name: Mapped[str | None] = mapped_column(String(300))
    practice: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))  # set with the ranking
    rank: Mapped[int | None] = mapped_column(Integer)

    contest: Mapped[Contest] = relationship(back_populates="applications")
    government: Mapped[Government | None] = relationship()
    scores: Mapped[list[ContestScore]] = relationship(back_populates="application", cascade="all, delete-orphan")
    files: Mapped[list[ApplicationFile]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationFile.id"
    )

    @property
    def applicant(self) -> str:
        if self.applicant_kind == "municipality" and self.government is not None:
            return self.government.name
        return self.organization_name or ""


class ApplicationFile(db.Model):
    """A file of evidence of an application (a core attachment of the contest)."""

    __tablename__ = "operations_contest_file"
    __audit_parent__ = "application_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("operations_contest_application.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="CASCADE"), index=True)

    application: Mapped[ContestApplication] = relationship(back_populates="files")
    attachment: Mapped[Attachment] = relationship()


class ContestScore(db.Model):
    """One juror's score of one application on one criterion."""

    __tablename__ = "operations_contest_score"
    __audit_parent__ = "application_id"
    __table_args__ = (UniqueConstraint("application_id", "criterion_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("operations_contest_application.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("operations_contest_criterion.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("operations_contest_juror.id", ondelete="CASCADE"), index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    application: Mapped[ContestApplication] = relationship(back_populates="scores")
    criterion: Mapped[ContestCriterion] = relationship()
    juror: Mapped[ContestJuror] = relationship(back_populates="scores")
