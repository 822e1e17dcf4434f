"""What a document prints (the case, its government, fields, history, plugin additions) and its HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.cases.types import case_type_of
from core.custom_fields import display, fields_for
from core.documents.emblems import emblem_uris
from core.documents.environment import document_environment, lima_datetime, today_lima, year_name
from core.documents.registry import DocumentSpec
from core.documents.verification import display_code, verify_url
from core.documents.worker import ASSET_PREFIX
from core.extensions import db
from core.formatting import long_date
from core.models import Case, CaseTransition
from core.plugins import plugin_registry
from core.workflow import get_workflow

#: The stages of the cycle as Spanish documents name them (Norma Técnica N° 001-2008, 4.1).
STAGE_NAMES = {
    "institutionalization": "Institucionalización de la Instancia de Articulación",
    "diagnosis": "Diagnóstico y Planificación",
    "operations": "Gestión Operativa",
    "monitoring": "Monitoreo y Evaluación",
}


# --- context and HTML -----------------------------------------------------------------------------


@dataclass
class IssueInfo:
    """What an issued document prints about its own issue."""

    number: str
    code: str
    issued_at: datetime
    issuer: str


def case_context(case: Case) -> dict[str, Any]:
    """What every case document may print: the case, its government, fields and history."""
    workflow = get_workflow(case.workflow_id)
    custom = case.custom or {}
    rows, values = [], {}
    for field in fields_for(case.type, include_archived=True):
        value = custom.get(field.name)
        shown = display(field, value)
        values[field.name] = shown
        if field.archived_at is None or shown:
            rows.append({"name": field.name, "label": field.label, "value": shown})
    transitions = db.session.scalars(
        select(CaseTransition)
        .where(CaseTransition.case_id == case.id)
        .options(joinedload(CaseTransition.user))
        .order_by(CaseTransition.id)
    ).all()
    history = [
        {
            "at": lima_datetime(t.at),
            "user": t.user.name if t.user else "—",
            "action": workflow.transitions[t.name].label if t.name in workflow.transitions else t.name,
            "from": workflow.state_label(t.from_state),
            "to": workflow.state_label(t.to_state),
            "comment": t.comment or "",
        }
        for t in transitions
    ]
    info = case_type_of(case)
    return {
        "case": case,
        "government": case.government,
        "case_type_label": str(info.label) if info else case.type,
        "state_label": workflow.state_label(case.state),
        "stage_label": STAGE_NAMES.get(case.stage, case.stage),
        "custom_rows": rows,
        "fields": values,
        "history": history,
        "created_at": lima_datetime(case.created_at),
        "updated_at": lima_datetime(case.updated_at),
    }


def build_context(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> dict[str, Any]:
    context = case_context(case)
    if spec.context_fn:
        context.update(spec.context_fn(case) or {})
    for extra in plugin_registry().call_in_order("document_context", case=case, template=spec.key):
        context.update(extra or {})
    # A template's context may date the document (e.g. an ordinance's approval date); else today.
    document_date = context.get("document_date") or today_lima()
    government = case.government
    territory = government.territory
    place = (
        context.get("place")
        or (territory.capital if territory and territory.capital else None)
        or (territory.name if territory else "")
    )
    pdf = preview_toolbar is None

    context.update(
        {
            "spec": spec,
            "doc_title": context.get("doc_title") or spec.title,
            "document_date": document_date,
            "document_year": document_date.year,
            "year_name": year_name(document_date.year),
            "emblems": emblem_uris(government.id),
            "place": place,
            "place_date": long_date(document_date, place or None),
            "issuing_office": context.get("issuing_office") or current_app.config["DOCUMENT_ISSUING_OFFICE"],
            "number": issue.number if issue else spec.number_for(case),
            "issue": issue,
            "issued": issue is not None,
            "verification_code": display_code(issue.code) if issue else "",
            "verification_url": verify_url(issue.code) if issue else "",
            "preview_toolbar": preview_toolbar,
            "asset_url": _asset_url_pdf if pdf else _asset_url_browser,
        }
    )
    return context


def _asset_url_pdf(path: str, owner: str = "core") -> str:
    return f"{ASSET_PREFIX}{owner}/{path}"


def _asset_url_browser(path: str, owner: str = "core") -> str:
    return url_for("documents.asset", owner=owner, path=path)


def render_document(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> tuple[str, dict[str, Any]]:
    """The document's HTML and the context it was rendered with.

    For the PDF when ``preview_toolbar`` is None, else for the browser preview (the toolbar
    on top, assets from the app). Always Spanish, whatever the user's language: workflow
    and type labels follow.
    """
    with force_locale("es"):
        context = build_context(case, spec, issue=issue, preview_toolbar=preview_toolbar)
        return document_environment().get_template(spec.template).render(context), context


def render_html(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> str:
    """The document's HTML (see ``render_document``)."""
    return render_document(case, spec, issue=issue, preview_toolbar=preview_toolbar)[0]


def render_template_html(template: str, context: dict[str, Any]) -> str:
    """A document template's HTML from a context its caller built (a government's report), in Spanish."""
    with force_locale("es"):
        return document_environment().get_template(template).render(context)
