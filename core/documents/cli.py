"""``articula documents render``: drafts or issued documents of many cases, to a folder."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from core.database import writing
from core.documents.issue import can_issue, issue_document, issuing
from core.documents.pdf import render_draft_pdf
from core.documents.registry import DOCUMENTS, DocumentError, owner_enabled, safe_filename
from core.extensions import db
from core.models import Case, User
from core.security import readable_clause, scope_for_cli

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
    user = None
    if as_email:
        user = db.session.scalar(select(User).where(User.email == as_email.strip().lower()))
        if user is None or not user.is_active:
            raise click.ClickException(_("There is no active user with the e-mail %(email)s.", email=as_email))
    scope = scope_for_cli(user)
    unknown = [k for k in keys if k not in DOCUMENTS]
    if unknown:
        raise click.ClickException(_("Unknown documents: %(keys)s.", keys=", ".join(unknown)))

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
        click.echo(
            _(
                "Cases that do not exist or are out of your scope: %(ids)s.",
                ids=", ".join(map(str, missing)),
            ),
            err=True,
        )
    jobs = [
        (row.id, spec.key)
        for row in rows
        for spec in sorted(DOCUMENTS.values(), key=lambda s: s.key)
        if spec.applies_to(row.type) and owner_enabled(spec.owner) and (not keys or spec.key in keys)
    ]
    if not jobs:
        click.echo(_("There are no documents to generate with those filters."))
        if missing:
            raise SystemExit(1)
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    written = 0
    with click.progressbar(jobs, label=_("Generating documents"), show_pos=True) as bar:
        for count, (case_id, key) in enumerate(bar, start=1):
            db.session.rollback()  # end the last read, so a writer takes SQLite's lock up front
            with writing() if issue else nullcontext():
                case = db.session.get(Case, case_id)
                name = f"{safe_filename(case.reference)}__{key}"
                try:
                    if issue:
                        if not can_issue(scope, case, DOCUMENTS[key]):
                            raise DocumentError(_("you are not allowed to issue this document"), status=403)
                        document = issuing(lambda c=case_id, k=key: issue_document(db.session.get(Case, c), k, user))
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
    if issue:
        click.echo(_("%(count)s documents issued in %(path)s.", count=written, path=out))
    else:
        click.echo(_("%(count)s documents generated (drafts) in %(path)s.", count=written, path=out))
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures or missing:
        raise SystemExit(1)
