"""The quarterly «Registro de Consultas, Opiniones, Pedidos y Sugerencias» (§5.1.4 c, §5.2.4 d): counts of an
office's entries of a quarter by kind, program or sector, status and resolution — never personal data, never
the description (a citizen may have written their name in it). A local office sends its registry to the
regional government; the region sends its consolidated registry (its own office and every local one of the
region) to the ST-CIAS; both through the core's Submissions, as an issued PDF, with the XLSX beside it."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import Government
from plugins.monitoring.ventanilla.models import KINDS, STATUSES, VentanillaEntry, VentanillaOffice

LOCAL_RULE = "monitoring.ventanilla_registry_local"
REGIONAL_RULE = "monitoring.ventanilla_registry_regional"
TEMPLATE_KEY = "monitoring.ventanilla_registry"
QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
QUARTER_NAMES = {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto"}


def governments_with_office() -> Any:
    """The governments the registry rules bind: those with an active Ventanilla (a SELECT of their ids)."""
    return select(VentanillaOffice.government_id).where(VentanillaOffice.active.is_(True))


def deadline_rules() -> list[dict[str, Any]]:
    """The standard says "trimestralmente" without a day; these offsets (editable in the admin) leave the
    region ten days to consolidate the local registries before its own goes up. Only governments with a
    Ventanilla owe a registry (``applies_to``)."""
    return [
        {
            "key": LOCAL_RULE,
            "label": "Registro trimestral de la Ventanilla CRECER local al gobierno regional",
            "description": "Norma Técnica N° 001-2008, 5.1.4 c: el Registro de pedidos y/o solicitudes de la "
            "Ventanilla CRECER se remite trimestralmente al gobierno regional de su jurisdicción.",
            "kind": "quarterly",
            "quarter_offset_days": 10,
            "level": "local",
            "applies_to": governments_with_office,
        },
        {
            "key": REGIONAL_RULE,
            "label": "Registro Regional de Consultas, Opiniones, Pedidos y Sugerencias a la ST-CIAS",
            "description": "Norma Técnica N° 001-2008, 5.2.4 d: el registro regional de la Ventanilla CRECER, "
            "que consolida los locales, se comunica trimestralmente a la ST-CIAS.",
            "kind": "quarterly",
            "quarter_offset_days": 20,
            "level": "regional",
            "applies_to": governments_with_office,
        },
    ]


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    first, last = QUARTER_MONTHS[quarter]
    start = datetime(year, first, 1)
    end = datetime(year + 1, 1, 1) if last == 12 else datetime(year, last + 1, 1)
    return start, end


@dataclass
class Registry:
    """What the registry prints: counts only."""

    government: Government
    year: int
    quarter: int
    offices: list[str]
    total: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_concern: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_office: Counter[str] = field(default_factory=Counter)
    attended_in_time: int = 0
    attended_late: int = 0
    pending: int = 0
    emergencies: int = 0
    recurrent: int = 0
    escalated: int = 0

    @property
    def title(self) -> str:
        kind = "Regional " if self.government.kind == "regional" else ""
        return f"Registro {kind}de Consultas, Opiniones, Pedidos y Sugerencias"

    @property
    def period(self) -> str:
        return f"{QUARTER_NAMES[self.quarter]} trimestre de {self.year}"

    @property
    def number(self) -> str:
        return f"RVC-{self.year}-T{self.quarter}-{self.government.acronym or self.government.ubigeo}"


def _office_ids(government: Government) -> list[int]:
    """The offices the registry covers: the government's own; for a region, every office of the region."""
    query = select(VentanillaOffice.id).join(Government, Government.id == VentanillaOffice.government_id)
    if government.kind == "regional":
        query = query.where(or_(Government.id == government.id, Government.region_id == government.id))
    else:
        query = query.where(Government.id == government.id)
    return list(db.session.scalars(query))


def build(government: Government, year: int, quarter: int) -> Registry:
    """Count the quarter's entries received by the covered offices (by their original office: an entry
    escalated to the region still counts where it was received, and the region's consolidation has both)."""
    office_ids = _office_ids(government)
    start, end = quarter_bounds(year, quarter)
    names = dict(
        db.session.execute(
            select(VentanillaOffice.id, Government.name)
            .join(Government, Government.id == VentanillaOffice.government_id)
            .where(VentanillaOffice.id.in_(office_ids or [0]))
        ).all()
    )
    registry = Registry(government, year, quarter, sorted(names.values()))
    entries = db.session.scalars(
        select(VentanillaEntry)
        .where(
            and_(
                VentanillaEntry.origin_office_id.in_(office_ids or [0]),
                VentanillaEntry.created_at >= start,
                VentanillaEntry.created_at < end,
            )
        )
        .options(joinedload(VentanillaEntry.program), joinedload(VentanillaEntry.institution))
    )
    for entry in entries:
        registry.total += 1
        registry.by_kind[KINDS[entry.kind]] += 1
        registry.by_concern[entry.concerns or "Sin especificar"] += 1
        registry.by_status[STATUSES[entry.status]] += 1
        registry.by_office[names.get(entry.origin_office_id, "")] += 1
        registry.emergencies += entry.emergency
        registry.recurrent += entry.recurrent
        registry.escalated += entry.escalated
        answered = entry.answered_at.date() if entry.answered_at else None
        if answered is None:
            registry.pending += 1
        elif entry.due_date is None or answered <= entry.due_date:
            registry.attended_in_time += 1
        else:
            registry.attended_late += 1
    return registry


def rows(registry: Registry) -> list[tuple[str, str, int]]:
    """(section, item, count): the registry as one table (the XLSX, and the PDF's sections)."""
    table: list[tuple[str, str, int]] = [("Total", "Entradas registradas", registry.total)]
    for section, counter in (
        ("Por tipo", registry.by_kind),
        ("Por programa o sector", registry.by_concern),
        ("Por estado", registry.by_status),
        ("Por Ventanilla", registry.by_office),
    ):
        table += [(section, item, count) for item, count in sorted(counter.items())]
    table += [
        ("Atención", "Respondidas dentro del plazo", registry.attended_in_time),
        ("Atención", "Respondidas fuera del plazo", registry.attended_late),
        ("Atención", "Sin respuesta", registry.pending),
        ("Atención", "Emergencias", registry.emergencies),
        ("Atención", "Recurrentes", registry.recurrent),
        ("Atención", "Elevadas a la Ventanilla regional", registry.escalated),
    ]
    return table


def xlsx(registry: Registry) -> bytes:
    from openpyxl import Workbook

    from core.spreadsheet import safe_row

    book = Workbook()
    sheet = book.active
    sheet.title = f"T{registry.quarter}-{registry.year}"
    sheet.append(safe_row([registry.title]))
    sheet.append(safe_row([registry.government.name, registry.period]))
    sheet.append([])
    sheet.append(["Sección", "Concepto", "Cantidad"])
    for row in rows(registry):
        sheet.append(safe_row(list(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(registry: Registry) -> bytes:
    """The registry as a PDF through the core pipeline (Spanish, the shared layout); no transaction open."""
    from flask import current_app
    from flask_babel import force_locale

    from core.documents import document_environment, draft_pdf, today_lima, year_name
    from core.documents.emblems import emblem_uris
    from core.documents.worker import ASSET_PREFIX
    from core.formatting import long_date

    government = registry.government
    territory = government.territory
    place = (territory.capital if territory and territory.capital else None) or (territory.name if territory else "")
    dated = today_lima()
    context = {
        "government": government,
        "doc_title": registry.title,
        "number": registry.number,
        "year_name": year_name(dated.year),
        "emblems": emblem_uris(government.id),
        "place_date": long_date(dated, place or None),
        "issuing_office": f"Ventanilla CRECER {government.name}",
        "issued": False,
        "verification_code": "",
        "verification_url": "",
        "preview_toolbar": None,
        "asset_url": lambda path, owner="core": f"{ASSET_PREFIX}{owner}/{path}",
        "registry": registry,
        "rows": rows(registry),
        "period": registry.period,
        "base_url": current_app.config.get("BASE_URL") or "",
    }
    with force_locale("es"):
        html = document_environment().get_template("monitoring/ventanilla_registry.html").render(context)
    return draft_pdf(html)[0]


def default_quarter(today: date) -> tuple[int, int]:
    """The last quarter that has ended (the one a registry is sent for)."""
    quarter = (today.month - 1) // 3
    return (today.year - 1, 4) if quarter == 0 else (today.year, quarter)


@dataclass
class SentStatus:
    government: Government
    status: str  # core.submissions.OVERVIEW_STATUSES: on_time, late, overdue, not_sent
    due_date: date | None
    met_on: date | None


def sent_statuses(governments: list[Government], year: int, quarter: int) -> list[SentStatus]:
    """Whether each government sent the quarter's registry on time, late, or not at all (past its due date)
    — from the quarter's deadline of its rule, the same record the Plazos page shows; three queries."""
    from core.deadlines import lima_today
    from core.deadlines.generation import ensure_deadlines
    from core.deadlines.models import Deadline, DeadlineRule
    from core.submissions import overview_status

    if not governments:
        return []
    ensure_deadlines(year, [g.id for g in governments])
    rules = dict(
        db.session.execute(
            select(DeadlineRule.key, DeadlineRule.id).where(DeadlineRule.key.in_((LOCAL_RULE, REGIONAL_RULE)))
        ).all()
    )
    deadlines = {
        d.government_id: d
        for d in db.session.scalars(
            select(Deadline).where(
                Deadline.rule_id.in_(rules.values() or [0]),
                Deadline.year == year,
                Deadline.period == quarter,
                Deadline.case_id.is_(None),
                Deadline.government_id.in_([g.id for g in governments]),
            )
        )
    }
    today = lima_today()
    result = []
    for government in governments:
        deadline = deadlines.get(government.id)
        if deadline is None:
            continue
        status = overview_status(deadline.due_date, deadline.met_on, today)
        result.append(SentStatus(government, status, deadline.due_date, deadline.met_on))
    return result
