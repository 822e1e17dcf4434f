"""Territory (INEI ubigeo: department, province, district) and the governments tied to it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db

TERRITORY_LEVELS = ("department", "province", "district")
GOVERNMENT_KINDS = ("regional", "provincial", "district")


class Territory(db.Model):
    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    ubigeo: Mapped[str] = mapped_column(String(6), unique=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    capital: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))

    parent: Mapped[Territory | None] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return f"{self.name} ({self.ubigeo})"


class Government(db.Model):
    """A regional government or a provincial/district municipality.

    ``parent_id``: district → provincial municipality → regional government.
    ``region_id``: the regional government above (itself for a regional one); the
    scoping layer filters on it, so it is denormalised and indexed.
    """

    __tablename__ = "government"
    __table_args__ = (Index("ix_government_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(160))
    acronym: Mapped[str | None] = mapped_column(String(20))
    ubigeo: Mapped[str] = mapped_column(String(6), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("government.id"), index=True)

    territory: Mapped[Territory] = relationship()
    parent: Mapped[Government | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    region: Mapped[Government | None] = relationship(remote_side=[id], foreign_keys=[region_id])

    __mapper_args__ = {"eager_defaults": False}

    @property
    def level(self) -> str:
        """'regional' or 'local' — the level a deadline rule binds."""
        return "regional" if self.kind == "regional" else "local"

    def __str__(self) -> str:
        return self.name
