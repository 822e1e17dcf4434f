"""CRECER catalogs from the Norma Técnica (Appendices 2 and 3, Figures 01, 04, 05), seeded and editable."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db

GOVERNMENT_LEVELS = ("nacional", "regional", "local")


class CatalogMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    short_name: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def label(self) -> str:
        """The short name tables show: acronym, else short name, else the full name (never empty)."""
        return self.acronym or self.short_name or self.name


class Institution(CatalogMixin, db.Model):
    """Appendix 2: institutions that form part of the EN CRECER (with the hierarchy it lists)."""

    __tablename__ = "institution"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    government_level: Mapped[str | None] = mapped_column(String(12))
    legal_basis: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Institution | None] = relationship(remote_side="Institution.id")


class SocialProgram(CatalogMixin, db.Model):
    """Appendix 3: social programs of the EN CRECER, with sector and government level."""

    __tablename__ = "social_program"
    sector: Mapped[str | None] = mapped_column(String(200))
    government_level: Mapped[str | None] = mapped_column(String(12))
    includes: Mapped[str | None] = mapped_column(Text)
    part_of: Mapped[str | None] = mapped_column(String(200))


class StrategicProgram(CatalogMixin, db.Model):
    """The five Programas Estratégicos of the 2008 PpR (Ley N° 29142)."""

    __tablename__ = "strategic_program"
    fiscal_year: Mapped[int | None]
    legal_basis: Mapped[str | None] = mapped_column(Text)
    crecer_priority: Mapped[bool] = mapped_column(Boolean, default=False)


class InterventionLine(CatalogMixin, db.Model):
    """Figure 01: lines of intervention of the EN CRECER."""

    __tablename__ = "intervention_line"


class SocialInfoItem(CatalogMixin, db.Model):
    """Figure 04: basic social information items (a–k) of the Fichas Distritales."""

    __tablename__ = "social_info_item"
    letter: Mapped[str] = mapped_column(String(2))
    value_type: Mapped[str] = mapped_column(String(20), default="count")
    personal_data: Mapped[bool] = mapped_column(Boolean, default=False)


class KeyIndicator(CatalogMixin, db.Model):
    """Figure 05: the key indicators of the EN CRECER."""

    __tablename__ = "key_indicator"
    unit: Mapped[str | None] = mapped_column(String(40))
    definition: Mapped[str | None] = mapped_column(Text)
