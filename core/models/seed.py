"""Bookkeeping for seed data: which plugin version was loaded, and each seeded record's checksum."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class PluginState(db.Model):
    """The version of each plugin (and of the core's own data) whose seed data is loaded."""

    __tablename__ = "plugin_state"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    loaded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class SeedRecord(db.Model):
    """A seeded record under its stable key ``plugin.key``.

    ``checksum`` is the hash of the values as seeded, over the columns named in ``fields``
    (so a later version may seed more columns); if the record's values no longer
    match it, a user edited the record and reloading the data keeps their edit (Odoo's
    ``noupdate``).
    """

    __tablename__ = "seed_record"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    model: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    fields: Mapped[str] = mapped_column(Text, default="")  # comma-separated column names seeded
