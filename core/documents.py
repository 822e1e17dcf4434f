"""Documents: Jinja templates → HTML preview → PDF (WeasyPrint), issued immutably and verifiable.

- **Registry**: a document is a Jinja template with a key, a Spanish title and the case types
  it applies to: ``register_document(key, template, title, case_types, context_fn=None)``.
  Templates live in ``core/documents/*.html`` (named ``core/<file>``) and in each plugin's
  ``documents/`` folder (named ``<plugin>/<file>``); all extend the shared layout
  ``documents/base.html`` (templates/documents/). Plugins add variables with ``context_fn``
  or the ``document_context(case, template)`` hook.
- **Rendering**: a Jinja environment of its own, autoescaping everything, so user text is
  text in every document; the PDF is made in a worker process (core/document_worker.py)
  whose URL fetcher serves only packaged static assets, under a time limit
  (``DOCUMENT_RENDER_TIMEOUT``, seconds).
- **Issuing**: ``issue_document(case, key, user)`` renders once and stores the bytes with
  number, sha256, issuer, time and a public verification code (``/verificar/<code>``);
  downloads serve the stored bytes. The workflow effect ``issue_document: <key>`` calls it
  inside the transition's transaction.

WeasyPrint is imported only in the worker, never when the app starts.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, has_request_context, url_for
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.document_worker import ASSET_PREFIX, RenderError, RenderResult, RenderTimeout, get_pool
from core.extensions import db
from core.formatting import amount_in_words, date_in_words, legal_money, long_date, money
from core.models import Case, CaseTransition, User
from core.models.documents import IssuedDocument, YearName
from core.models.user import utcnow
from core.security import EDIT, Scope, can

CORE_DOCUMENTS = Path(__file__).resolve().parent / "documents"
CORE_STATIC = Path(__file__).resolve().parent / "static"
LIMA = ZoneInfo("America/Lima")
#: Unambiguous characters for verification codes (no 0/O, 1/I/L): 31 symbols, 12 of them ≈ 59 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

#: The stages of the cycle as Spanish documents name them (Norma Técnica N° 001-2008, 4.1).
STAGE_NAMES = {
    "institutionalization": "Institucionalización de la Instancia de Articulación",
    "diagnosis": "Diagnóstico y Planificación",
    "operations": "Gestión Operativa",
    "monitoring": "Monitoreo y Evaluación",
}

DEFAULTS = {
    "DOCUMENT_RENDER_TIMEOUT": 30,  # seconds one PDF render may take
    "DOCUMENT_RENDER_WORKERS": 1,  # render processes per app process
    # Printed under the government's name; the glosario's term, a setting so a team can correct it.
    "DOCUMENT_ISSUING_OFFICE": "Gerencia de Desarrollo Social",
    "DOCUMENT_VERIFY_MAX_BYTES": 20 * 1024 * 1024,  # largest PDF the verification page accepts
    "PUBLIC_URL": None,  # e.g. https://articula.example.gob.pe — printed in verification links
}


class DocumentError(RuntimeError):
    """A document that cannot be previewed, rendered or issued; Spanish message, HTTP-ish status."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSpec:
    """A registered document template."""

    key: str
    template: str  # "<owner>/<file>.html": owner is "core" or the plugin's name
    title: str  # Spanish, printed as the document's heading
    case_types: tuple[str, ...]  # "*" applies to every type
    context_fn: Callable[[Case], dict[str, Any]] | None = None
    manual: bool = True  # may be issued by hand from the case page / API (not only by a workflow)
    states: tuple[str, ...] | None = None  # states in which it may be issued by hand (None: any)
    number_fn: Callable[[Case], str] | None = None  # the document's number (default: the case reference)

    @property
    def owner(self) -> str:
        return self.template.split("/", 1)[0]

    def applies_to(self, case_type: str) -> bool:
        return "*" in self.case_types or case_type in self.case_types

    def number_for(self, case: Case) -> str:
        return self.number_fn(case) if self.number_fn else case.reference


DOCUMENTS: dict[str, DocumentSpec] = {}


def register_document(
    key: str,
    template: str,
    title: str,
    case_types: Iterable[str],
    context_fn: Callable[[Case], dict[str, Any]] | None = None,
    *,
    manual: bool = True,
    states: Iterable[str] | None = None,
    number: Callable[[Case], str] | None = None,
) -> DocumentSpec:
    """Register (or replace) the document ``key``; ``template`` is ``"<owner>/<file>.html"``."""
    if not re.match(r"^[a-z][a-z0-9_]{0,79}$", key):
        raise ValueError(f"clave de documento no válida: {key!r}")
    if "/" not in template:
        raise ValueError(f"la plantilla debe llamarse «<plugin>/<archivo>.html»: {template!r}")
    case_types = tuple(case_types)
    if not case_types:
        raise ValueError(f"el documento {key!r} no indica a qué tipos de expediente se aplica")
    spec = DocumentSpec(key, template, title, case_types, context_fn, manual, tuple(states) if states else None, number)
    DOCUMENTS[key] = spec
    return spec


def _owner_enabled(owner: str) -> bool:
    from core import plugin_registry

    return owner == "core" or plugin_registry().is_enabled(owner)


def documents_for(case: Case) -> list[DocumentSpec]:
    """The documents that apply to ``case`` (of enabled plugins only), by title."""
    found = [s for s in DOCUMENTS.values() if s.applies_to(case.type) and _owner_enabled(s.owner)]
    return sorted(found, key=lambda s: s.title)


def spec_for(case: Case, key: str) -> DocumentSpec:
    spec = DOCUMENTS.get(key)
    if spec is None or not spec.applies_to(case.type) or not _owner_enabled(spec.owner):
        raise DocumentError(f"El documento «{key}» no existe para este tipo de expediente.", status=404)
    return spec


def can_issue(scope: Scope, case: Case, spec: DocumentSpec) -> bool:
    """May the user issue ``spec`` for ``case`` by hand: the template allows it and they write there."""
    if not spec.manual or (spec.states is not None and case.state not in spec.states):
        return False
    return can(scope, EDIT, case.government)


# --- the Jinja environment of documents -----------------------------------------------------------


def asset_roots(app: Flask | None = None) -> dict[str, str]:
    """Static folders a document may load assets from: the core's and each enabled plugin's."""
    from core import plugin_registry

    app = app or current_app
    roots = {"core": str(CORE_STATIC)}
    for info in plugin_registry(app).enabled:
        folder = info.folder("static")
        if folder:
            roots[info.name] = str(folder)
    return roots


def document_environment(app: Flask | None = None):  # noqa: ANN201
    """The app's document environment (cached): autoescape always on, Spanish helpers as filters."""
    from jinja2 import Environment, FileSystemLoader, PrefixLoader

    from core import PROJECT_ROOT, plugin_registry

    app = app or current_app
    env = app.extensions.get("articula.documents.env")
    if env is not None:
        return env
    prefixes = {"core": FileSystemLoader(str(CORE_DOCUMENTS))}
    for info in plugin_registry(app).enabled:
        folder = info.folder("documents")
        if folder:
            prefixes[info.name] = FileSystemLoader(str(folder))
    prefixes["documents"] = FileSystemLoader(str(PROJECT_ROOT / "templates" / "documents"))
    # autoescape=True for every template whatever its name: user text never becomes markup.
    env = Environment(
        loader=PrefixLoader(prefixes), autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=app.debug
    )
    helpers = {
        "long_date": long_date,
        "date_in_words": date_in_words,
        "money": money,
        "amount_in_words": amount_in_words,
        "legal_money": legal_money,
        "lima_datetime": lima_datetime,
    }
    env.filters.update(helpers)
    env.globals.update(helpers)
    app.extensions["articula.documents.env"] = env
    return env


def lima_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) timestamp in Peru time: "30 de junio de 2008, 14:05"."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(LIMA)
    return f"{long_date(local.date())}, {local:%H:%M}"


def today_lima() -> date:
    return datetime.now(UTC).astimezone(LIMA).date()


def year_name(year: int) -> str:
    """The year-name line for ``year`` (empty when the administrator has not set one)."""
    return db.session.scalar(select(YearName.name).where(YearName.year == year)) or ""


def safe_filename(text: str, limit: int = 100) -> str:
    """ASCII letters, digits, dot, dash and underscore only: safe in any Content-Disposition."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-.")
    return cleaned[:limit] or "documento"


def verify_url(code: str) -> str:
    """The public verification address printed on a document."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return f"{str(base).rstrip('/')}/verificar/{code}"
    if has_request_context():
        return url_for("documents.verify", code=code, _external=True)
    return f"/verificar/{code}"


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
    from core.cases import case_type_of
    from core.custom_fields import display, fields_for
    from core.workflow import get_workflow

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
    from core import plugin_registry

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
            "place": place,
            "place_date": long_date(document_date, place or None),
            "issuing_office": context.get("issuing_office") or current_app.config["DOCUMENT_ISSUING_OFFICE"],
            "number": issue.number if issue else spec.number_for(case),
            "issue": issue,
            "issued": issue is not None,
            "verification_code": _display_code(issue.code) if issue else "",
            "verification_url": verify_url(issue.code) if issue else "",
            "preview_toolbar": preview_toolbar,
            "asset_url": _asset_url_pdf if pdf else _asset_url_browser,
        }
    )
    return context


def _display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


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
    from flask_babel import force_locale

    with force_locale("es"):
        context = build_context(case, spec, issue=issue, preview_toolbar=preview_toolbar)
        return document_environment().get_template(spec.template).render(context), context


def render_html(
    case: Case, spec: DocumentSpec, *, issue: IssueInfo | None = None, preview_toolbar: Markup | None = None
) -> str:
    """The document's HTML (see ``render_document``)."""
    return render_document(case, spec, issue=issue, preview_toolbar=preview_toolbar)[0]


# --- PDF ------------------------------------------------------------------------------------------


def html_to_pdf(html: str) -> RenderResult:
    """Render ``html`` to PDF in a worker under the time limit; DocumentError (Spanish) on failure."""
    config = current_app.config
    try:
        result = get_pool(int(config["DOCUMENT_RENDER_WORKERS"])).render(
            html, asset_roots(), float(config["DOCUMENT_RENDER_TIMEOUT"])
        )
    except RenderTimeout as error:
        current_app.logger.error("documento: %s", error)
        # In the reader's language (the worker's own text is for the log).
        raise DocumentError(
            str(
                _l(
                    "The document could not be generated in time (the server is busy or the document is very "
                    "large). Nothing was saved; try again in a moment."
                )
            ),
            status=503,
        ) from error
    except RenderError as error:
        current_app.logger.error("documento: %s", error)
        raise DocumentError(
            str(_l("The document could not be generated. Nothing was saved; the error has been logged.")), status=500
        ) from error
    for url in result.refused:
        current_app.logger.warning("documento: recurso externo rechazado: %s", url[:200])
    return result


def render_draft_pdf(case: Case, key: str) -> bytes:
    """A draft PDF of ``key`` for ``case``: marked as a preview, without a code, never stored."""
    spec = spec_for(case, key)
    return html_to_pdf(render_html(case, spec, issue=None)).pdf


# --- issuing --------------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed (any case, with dashes or spaces) → its stored form, or None if malformed."""
    code = re.sub(r"[\s-]+", "", text or "").upper()
    return code if CODE_RE.match(code) else None


def issue_document(case: Case, key: str, user: Any) -> IssuedDocument:
    """Render ``key`` for ``case`` once and store it immutably; the caller commits.

    Permission is the caller's business (the manual routes check ``can_issue``; a workflow
    transition was already authorised by its roles).
    """
    from sqlalchemy.exc import IntegrityError

    spec = spec_for(case, key)
    issued_at = utcnow()
    code = new_code()
    number = spec.number_for(case)
    issuer = getattr(user, "name", None) or "Sistema"
    html, context = render_document(case, spec, issue=IssueInfo(number, code, issued_at, issuer))
    pdf = html_to_pdf(html).pdf
    previous = db.session.scalar(
        select(IssuedDocument.id)
        .where(IssuedDocument.case_id == case.id, IssuedDocument.template_key == key)
        .order_by(IssuedDocument.id.desc())
        .limit(1)
    )
    document = IssuedDocument(
        case_id=case.id,
        government_id=case.government_id,
        year=context["document_year"],
        template_key=key,
        number=number,
        title=f"{spec.title}: {case.title}"[:300],
        sha256=hashlib.sha256(pdf).hexdigest(),
        content=pdf,
        size=len(pdf),
        issued_by_id=getattr(user, "id", None),
        issued_at=issued_at,
        code=code,
        supersedes_id=previous,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError as error:  # the caller rolls back
        raise DocumentError(
            "Otro documento igual se emitió al mismo tiempo para este expediente; recargue e intente de nuevo.",
            status=409,
        ) from error
    return document


def _issue_effect(case: Case, transition: Any, user: Any, value: Any) -> None:
    """Workflow effect ``issue_document: key`` (or a list of keys), inside the transition's transaction."""
    from core.workflow import WorkflowError

    keys = [value] if isinstance(value, str) else list(value or [])
    for key in keys:
        try:
            issue_document(case, str(key), user)
        except DocumentError as error:
            raise WorkflowError(f"No se pudo emitir el documento «{key}»: {error}", status=error.status) from error


# --- the case panel -------------------------------------------------------------------------------


def _panel_context(case: Case, scope: Scope, **_: Any) -> dict[str, Any] | None:
    issued = db.session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.case_id == case.id)
        .options(joinedload(IssuedDocument.issued_by))
        .order_by(IssuedDocument.id.desc())
        .limit(100)
    ).all()
    superseded = {d.supersedes_id for d in issued if d.supersedes_id}
    specs = documents_for(case)
    if not issued and not specs:
        return None
    return {
        "case": case,
        "issued": issued,
        "superseded": superseded,
        "templates": [(spec, can_issue(scope, case, spec)) for spec in specs],
    }


# --- admin ----------------------------------------------------------------------------------------


def register_admin(admin: Any) -> None:
    from flask import url_for as _url_for
    from wtforms.validators import ValidationError

    from core.admin import ReadOnlyModelView, ScopedModelView  # issued from a case, never typed in

    class IssuedDocumentView(ReadOnlyModelView):
        """Issued documents: read-only for everyone (they are immutable), scoped, never the bytes."""

        government_column = "government_id"
        large_table = True
        column_list = (
            "number",
            "title",
            "template_key",
            "government",
            "year",
            "issued_at",
            "issued_by",
            "code",
            "size",
        )
        column_details_list = (
            "number",
            "title",
            "template_key",
            "case",
            "government",
            "year",
            "issued_at",
            "issued_by",
            "code",
            "sha256",
            "size",
            "supersedes",
        )
        column_export_list = (
            "id",
            "number",
            "title",
            "template_key",
            "case_id",
            "government_id",
            "year",
            "issued_at",
            "issued_by_id",
            "code",
            "sha256",
            "size",
            "supersedes_id",
        )
        column_searchable_list = ("number", "title", "code", "sha256")
        column_filters = ("template_key", "year", "issued_at")
        column_select_related_list = (IssuedDocument.government, IssuedDocument.issued_by)
        column_default_sort = ("issued_at", True)
        column_formatters = {
            "number": lambda v, c, m, p: Markup('<a href="{}">{}</a>').format(
                _url_for("documents.download", document_id=m.id), m.number
            )
        }

    class YearNameView(ScopedModelView):
        """The year-name line of each year, readable by every member, edited by administrators."""

        column_list = ("year", "name")
        column_default_sort = ("year", True)
        column_searchable_list = ("name",)
        form_columns = ("year", "name")
        form_args = {"name": {"description": _l("Printed in capitals and quotes on every document of that year.")}}

        def on_model_change(self, form: Any, model: YearName, is_created: bool) -> None:
            if model.year is None or not 1900 <= int(model.year) <= 2200:
                raise ValidationError("El año debe estar entre 1900 y 2200.")
            model.name = (model.name or "").strip().strip('"“”')
            if not model.name:
                raise ValidationError("Escriba la denominación del año.")
            if len(model.name) > 300:
                raise ValidationError("La denominación admite como máximo 300 caracteres.")
            query = select(YearName.id).where(YearName.year == model.year)
            with self.session.no_autoflush:  # the new row is already in the session: do not find itself
                taken = self.session.scalar(query if model.id is None else query.where(YearName.id != model.id))
            if taken:
                raise ValidationError(f"Ya existe la denominación del año {model.year}.")

    category = _l("Documents")
    session = db.session
    admin.add_view(IssuedDocumentView(IssuedDocument, session, name=_l("Issued documents"), category=category))
    admin.add_view(YearNameView(YearName, session, name=_l("Year names"), category=category))


# --- API ------------------------------------------------------------------------------------------


def register_api(api: Any) -> None:
    from core.web.documents import register_api_endpoints

    register_api_endpoints(api)


# --- command line ---------------------------------------------------------------------------------


@click.group("documents", help="Documentos PDF de los expedientes.")
def documents_cli() -> None:
    """Documentos PDF de los expedientes."""


@documents_cli.command("render")
@click.option("--case", "case_ids", type=int, multiple=True, help="Id de expediente (repetible).")
@click.option("--type", "case_type", help="Tipo de expediente (p. ej. generic).")
@click.option("--year", type=int, help="Año del ciclo.")
@click.option("--government", "government_id", type=int, help="Id del gobierno.")
@click.option("--key", "keys", multiple=True, help="Clave del documento (repetible; por defecto, todos).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="documentos",
    show_default=True,
    help="Carpeta de salida.",
)
@click.option("--as", "as_email", help="Actuar como este usuario (por defecto: administrador del sistema).")
@click.option("--issue", is_flag=True, help="Emitir los documentos (se guardan y reciben código) en vez de borradores.")
@with_appcontext
def render_command(
    case_ids: tuple[int, ...],
    case_type: str | None,
    year: int | None,
    government_id: int | None,
    keys: tuple[str, ...],
    out_dir: str,
    as_email: str | None,
    issue: bool,
) -> None:
    """Genera muchos documentos a archivos PDF, con barra de progreso, dentro del alcance del usuario."""
    from core.database import writing
    from core.security import readable_clause, scope_for_cli

    user = None
    if as_email:
        user = db.session.scalar(select(User).where(User.email == as_email.strip().lower()))
        if user is None or not user.is_active:
            raise click.ClickException(f"No existe un usuario activo con el correo {as_email}.")
    scope = scope_for_cli(user)
    unknown = [k for k in keys if k not in DOCUMENTS]
    if unknown:
        raise click.ClickException("Documentos desconocidos: " + ", ".join(unknown) + ".")

    query = select(Case.id, Case.type).where(readable_clause(scope, Case.government_id)).order_by(Case.id)
    if case_ids:
        query = query.where(Case.id.in_(case_ids))
    if case_type:
        query = query.where(Case.type == case_type)
    if year:
        query = query.where(Case.year == year)
    if government_id:
        query = query.where(Case.government_id == government_id)
    rows = db.session.execute(query).all()
    missing = sorted(set(case_ids) - {row.id for row in rows})
    if missing:
        click.echo("Expedientes inexistentes o fuera de su alcance: " + ", ".join(map(str, missing)) + ".", err=True)
    jobs = [
        (row.id, spec.key)
        for row in rows
        for spec in sorted(DOCUMENTS.values(), key=lambda s: s.key)
        if spec.applies_to(row.type) and _owner_enabled(spec.owner) and (not keys or spec.key in keys)
    ]
    if not jobs:
        click.echo("No hay documentos que generar con esos filtros.")
        if missing:
            raise SystemExit(1)
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    written = 0
    with click.progressbar(jobs, label="Generando documentos", show_pos=True) as bar:
        for count, (case_id, key) in enumerate(bar, start=1):
            db.session.rollback()  # end the last read, so a writer takes SQLite's lock up front
            with writing() if issue else nullcontext():
                case = db.session.get(Case, case_id)
                name = f"{safe_filename(case.reference)}__{key}"
                try:
                    if issue:
                        if not can_issue(scope, case, DOCUMENTS[key]):
                            raise DocumentError("no tiene permiso para emitir este documento", status=403)
                        document = issue_document(case, key, user)
                        db.session.commit()
                        pdf, name = document.content, f"{name}__{document.code}"
                    else:
                        pdf = render_draft_pdf(case, key)
                except DocumentError as error:
                    db.session.rollback()
                    failures.append(f"{case.reference} / {key}: {error}")
                    continue
            (out / f"{name}.pdf").write_bytes(pdf)
            written += 1
            if count % 50 == 0:
                db.session.expunge_all()  # keep memory flat over thousands of cases
    kind = "emitidos" if issue else "generados (borradores)"
    click.echo(f"{written} documentos {kind} en {out}.")
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures or missing:
        raise SystemExit(1)


# --- wiring ---------------------------------------------------------------------------------------

register_document(
    "case_summary",
    "core/case_summary.html",
    "Ficha del expediente",
    ("generic",),
)


def init_app(app: Flask) -> None:
    """Register this subsystem's blueprint, CLI commands, workflow effects and panels."""
    from core.panels import Panel, register_case_panel
    from core.web.documents import bp
    from core.workflow import register_effect

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(bp)
    app.cli.add_command(documents_cli)
    register_effect("issue_document", _issue_effect)
    register_case_panel(Panel("documents", "documents/panel.html", _panel_context, order=40))


__all__ = [
    "DOCUMENTS",
    "DocumentError",
    "DocumentSpec",
    "IssueInfo",
    "can_issue",
    "documents_for",
    "html_to_pdf",
    "issue_document",
    "register_document",
    "render_html",
    "render_draft_pdf",
    "render_document",
    "spec_for",
]
