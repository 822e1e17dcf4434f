"""The scoping matrix: every route that shows or lists a government's records, for every role, inside and
outside the jurisdiction (Huánuco vs Cusco); every route of the app must be classified here; and the
permission rules of core.security.can() checked one by one."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pytest
from sqlalchemy import delete, func, select, update

from core.admin import ScopedModelView
from core.database import writing
from core.extensions import db
from core.models import CaseTransition, Cycle, Government, Membership, ReferencePattern, User
from core.security import ADMIN, APPROVE, EDIT, READ, can, scope_for, scope_for_cli
from tests.conftest import csrf_from, login

YEAR = 2008
TARGETS = ("huanuco", "huanuco_prov", "amarilis", "cusco", "cusco_prov")
INSIDE = frozenset({"huanuco", "huanuco_prov", "amarilis"})
EVERYWHERE = frozenset(TARGETS)
REGIONAL = frozenset({"huanuco", "cusco"})
#: Where each target's submissions go: its regional government, or the ST-CIAS (None) for a region.
RECIPIENT = {"huanuco": None, "huanuco_prov": "huanuco", "amarilis": "huanuco", "cusco": None, "cusco_prov": "cusco"}


@dataclass(frozen=True)
class Role:
    memberships: tuple[tuple[str, str | None], ...] | None  # None: anonymous
    reach: frozenset[str]  # targets the role may read
    edits: frozenset[str] = frozenset()  # targets whose draft cases the role may edit

    @property
    def anonymous(self) -> bool:
        return self.memberships is None

    @property
    def member(self) -> bool:
        return bool(self.memberships)

    @property
    def direct(self) -> frozenset[str]:
        """Targets of the role's own memberships (not those it reaches beneath them)."""
        return frozenset(g for _role, g in self.memberships or () if g)


ROLES = {
    "team": Role((("team", "huanuco"),), INSIDE, frozenset({"huanuco"})),
    "coordinator": Role((("coordinator", "huanuco"),), INSIDE, frozenset({"huanuco"})),
    "regional_auditor": Role((("auditor", "huanuco"),), INSIDE),
    "provincial_team": Role(
        (("team", "huanuco_prov"),), frozenset({"huanuco_prov", "amarilis"}), frozenset({"huanuco_prov"})
    ),
    "global_auditor": Role((("auditor", None),), EVERYWHERE),
    "national": Role((("national", None),), EVERYWHERE),
    "admin": Role((("admin", None),), EVERYWHERE, EVERYWHERE),
    "no_membership": Role((), frozenset()),
    "anonymous": Role(None, frozenset()),
}
#: Roles that reach the whole country (national overviews).
COUNTRYWIDE = frozenset({"global_auditor", "national", "admin"})
#: Roles that browse the audit trail in the admin (core.audit.can_browse), each within its scope.
AUDIT_BROWSERS = frozenset({"regional_auditor", "global_auditor", "national", "admin"})
#: Targets whose own memberships a role holds: "my deadlines" (/plazos/?view=mine).
DIRECT = {name: role.direct for name, role in ROLES.items()}
#: Submissions a role sees as received: those addressed to its own governments, and for the national
#: level (national supervisor, administrator) those addressed to the ST-CIAS.
RECEIVED = {
    name: frozenset(
        k for k in TARGETS if RECIPIENT[k] in role.direct or (RECIPIENT[k] is None and name in ("national", "admin"))
    )
    for name, role in ROLES.items()
}
#: The personal calendar carries the deadlines of the user's governments; without one, a countrywide
#: role gets every regional government's (core.deadlines.feed_government_clause).
FEED = {name: role.direct or (REGIONAL if name in COUNTRYWIDE else frozenset()) for name, role in ROLES.items()}


def acknowledges(role_name: str, target_key: str) -> bool:
    """core.submissions.may_receive: the receiver's team, or the national level for the ST-CIAS."""
    recipient = RECIPIENT[target_key]
    if role_name == "admin":
        return True
    if recipient is None:
        return role_name == "national"
    return recipient in ROLES[role_name].edits


# --- the world every matrix test looks at: in each target government one case (with its cycle, a
# --- transition and a numbering pattern), a case deadline, an issued document, an attachment, a
# --- submission of that document, and the audit events all of these wrote ---------------------------


@dataclass
class Target:
    key: str
    gov: int
    name: str
    ubigeo: str
    case: int
    cycle: int
    transition: int
    pattern: int
    deadline: int = 0
    document: int = 0
    document_code: str = ""
    document_sha: str = ""
    attachment: int = 0
    attachment_sha: str = ""
    submission: int = 0
    receipt: str = ""
    event: int = 0  # the audit event of the case's creation
    history: str = ""  # the admin's audit list filtered by the case (query string)
    job: int = 0  # the background job that issued the document (core/documents/jobs.py)

    @property
    def title(self) -> str:
        return f"Expediente [{self.key}]"

    @property
    def comment(self) -> str:
        return f"Comentario [{self.key}]"

    @property
    def deadline_label(self) -> str:
        return f"Plazo [{self.key}]"

    @property
    def attachment_name(self) -> str:
        return f"Adjunto [{self.key}].png"

    @property
    def note(self) -> str:
        return f"Nota [{self.key}]"

    @classmethod
    def ghost(cls) -> Target:
        """A target whose ids exist nowhere."""
        values = {f.name: 999999 if f.type == "int" else "" for f in dataclasses.fields(cls)}
        return cls(**{**values, "key": "ghost"})


def png(text: str) -> bytes:
    """A real PNG (its content sniffed as image/png) whose bytes are unique to ``text``."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


#: Issued PDFs by (government, case reference, title): each target's document is rendered by WeasyPrint
#: once per run; later worlds store the very same issue again (bytes, code, time), which keeps the matrix fast.
_ISSUED: dict[tuple[int, str, str], dict[str, object]] = {}
_ISSUE_COLUMNS = ("template_key", "number", "title", "year", "sha256", "content", "size", "issued_at", "code")


def issue_once(case):  # noqa: ANN001, ANN201
    from core.documents import issue_document
    from core.documents.models import IssuedDocument

    signature = (case.government_id, case.reference, case.title)
    if signature not in _ISSUED:
        document = issue_document(case, "case_summary", None)
        _ISSUED[signature] = {column: getattr(document, column) for column in _ISSUE_COLUMNS}
        return document
    document = IssuedDocument(case_id=case.id, government_id=case.government_id, **_ISSUED[signature])
    db.session.add(document)
    db.session.flush()
    return document


MATRIX_RULE = "test.matriz"


def matrix_rule():  # noqa: ANN201
    """An event rule binding every level, so each target's case gets a deadline of its own."""
    from core.deadlines import normalize_rule
    from core.deadlines.models import DeadlineRule

    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.key == MATRIX_RULE))
    if rule is None:
        spec = {"key": MATRIX_RULE, "label": "Plazo de la matriz", "kind": "calendar_days_after", "days": 10}
        values = normalize_rule({**spec, "event": "Inicio", "level": "all"}, "test")
        rule = DeadlineRule(owner="test", edited=True, **values)
        db.session.add(rule)
        db.session.flush()
    return rule


def audit_case_filter(app) -> str:  # noqa: ANN001
    """The query-string argument of the admin audit list's "case" filter."""
    from core.audit.admin import CASE_FILTER

    view = app.extensions["articula.audit_view"]
    return next(arg for arg, (_index, flt) in view._filter_args.items() if flt is CASE_FILTER)


@pytest.fixture
def world(app, govs, tmp_path, monkeypatch) -> dict[str, Target]:  # noqa: ANN001
    from werkzeug.datastructures import FileStorage

    from core.attachments import add_attachment
    from core.cases import GENERIC, create_case
    from core.deadlines import start_deadline
    from core.deadlines.models import Deadline, DeadlineRule
    from core.documents.models import DocumentJob
    from core.models.audit import AuditEvent
    from core.submissions import submit

    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "adjuntos"))
    targets = {}
    with app.app_context(), writing():
        system = scope_for_cli(None)
        rule = matrix_rule()
        for key in TARGETS:
            gov = db.session.get(Government, govs[key])
            case = create_case(GENERIC, gov, YEAR, f"Expediente [{key}]", None, system, stage="diagnosis")
            transition = CaseTransition(
                case_id=case.id, name="submit", from_state="draft", to_state="draft", comment=f"Comentario [{key}]"
            )
            pattern = ReferencePattern(government_id=gov.id, case_type="generic", pattern=f"RP-{{seq}}-[{key}]")
            db.session.add_all([transition, pattern])
            db.session.flush()
            deadline = start_deadline(case, rule, date(YEAR, 3, 3))
            deadline.label = f"Plazo [{key}]"  # each deadline copies its rule's label: make it tell the targets apart
            document = issue_once(case)
            upload = FileStorage(io.BytesIO(png(key)), filename=f"Adjunto [{key}].png")
            attachment, _stored = add_attachment(case, upload, None, None)
            submission = submit(gov, [document.id], None, system, YEAR, note=f"Nota [{key}]")
            targets[key] = Target(
                key,
                gov.id,
                gov.name,
                gov.ubigeo,
                case.id,
                case.cycle_id,
                transition.id,
                pattern.id,
                deadline.id,
                document.id,
                document.code,
                document.sha256,
                attachment.id,
                attachment.sha256,
                submission.id,
                submission.receipt_number,
            )
        db.session.commit()
        created = dict(
            db.session.execute(
                select(AuditEvent.case_id, AuditEvent.id).where(
                    AuditEvent.entity_type == "case",
                    AuditEvent.action == "create",
                    AuditEvent.case_id.in_([t.case for t in targets.values()]),
                )
            ).all()
        )
        case_filter = audit_case_filter(app)
        for target in targets.values():
            target.event = created[target.case]
            target.history = f"flt0_{case_filter}={target.case}"
        requester = User(email="solicitante@articula.pe", name="Solicitante", locale="es", active=True)
        requester.set_password("clave-del-solicitante")
        db.session.add(requester)
        db.session.flush()
        for target in targets.values():
            job = DocumentJob(
                case_id=target.case,
                government_id=target.gov,
                template_key="case_summary",
                user_id=requester.id,
                status="done",
                document_id=target.document,
            )
            db.session.add(job)
            db.session.flush()
            target.job = job.id
        db.session.commit()
    yield targets
    with app.app_context(), writing():  # rules are reference data, kept between tests: take ours away
        db.session.rollback()
        rule_id = select(DeadlineRule.id).where(DeadlineRule.key == MATRIX_RULE).scalar_subquery()
        db.session.execute(delete(Deadline).where(Deadline.rule_id == rule_id))
        db.session.execute(delete(DeadlineRule).where(DeadlineRule.key == MATRIX_RULE))
        db.session.commit()


def signed_in(app, make_user, govs, role_name: str):  # noqa: ANN001, ANN201
    """A test client signed in with the role (none for anonymous), and the user's id."""
    role = ROLES[role_name]
    client = app.test_client()
    if role.anonymous:
        return client, None
    email = f"{role_name.replace('_', '.')}@articula.pe"
    user_id = make_user(email, *((r, govs[g] if g else None) for r, g in role.memberships))
    login(client, email)
    return client, user_id


def signed_in_client(app, make_user, govs, role_name: str):  # noqa: ANN001, ANN201
    return signed_in(app, make_user, govs, role_name)[0]


# --- routes that show one record of a government ---------------------------------------------------------


class Route(NamedTuple):
    kind: str  # web | api | admin
    url: Callable[[Target], str]
    #: the text proving the target's record was shown (several: all of them on a 200, none otherwise)
    marker: Callable[[Target], str | tuple[str, ...]]
    #: roles that may open the route at all (the others get 403); None: every signed-in user (admin: member)
    audience: frozenset[str] | None = None
    #: targets each role sees through the route, where that is not simply Role.reach
    reach: Mapping[str, frozenset[str]] | None = None


def sha(digest: str) -> str:
    """The marker of a file served byte for byte: its sha256 (see content_of())."""
    return f"sha256:{digest}"


#: rule (with " [variant]" after it when one rule is checked several ways) → Route, or its first three fields
DETAIL_ROUTES = {
    "/gobiernos/<int:government_id>": ("web", lambda t: f"/gobiernos/{t.gov}", lambda t: t.name),
    "/api/v1/governments/<int:id>": ("api", lambda t: f"/api/v1/governments/{t.gov}", lambda t: f'"id":{t.gov}'),
    # the cycle page with its deadlines and submissions panels
    "/ciclos/<int:government_id>/<int:year>": (
        "web",
        lambda t: f"/ciclos/{t.gov}/{YEAR}",
        lambda t: (t.title, t.deadline_label, t.receipt),
    ),
    # the case page with its deadlines, documents, attachments and history panels
    "/expedientes/<int:case_id>": (
        "web",
        lambda t: f"/expedientes/{t.case}",
        lambda t: (t.title, t.deadline_label, t.document_code, t.attachment_name),
    ),
    "/api/v1/cases/<int:case_id>": ("api", lambda t: f"/api/v1/cases/{t.case}", lambda t: t.title),
    "/admin/government/details/": ("admin", lambda t: f"/admin/government/details/?id={t.gov}", lambda t: t.name),
    "/admin/case/details/": ("admin", lambda t: f"/admin/case/details/?id={t.case}", lambda t: t.title),
    "/admin/cycle/details/": ("admin", lambda t: f"/admin/cycle/details/?id={t.cycle}", lambda t: t.name),
    "/admin/casetransition/details/": (
        "admin",
        lambda t: f"/admin/casetransition/details/?id={t.transition}",
        lambda t: t.comment,
    ),
    "/admin/referencepattern/details/": (
        "admin",
        lambda t: f"/admin/referencepattern/details/?id={t.pattern}",
        lambda t: f"RP-{{seq}}-[{t.key}]",
    ),
    # deadlines
    "/plazos/ [government]": (
        "web",
        lambda t: f"/plazos/?view=government&government={t.gov}&year={YEAR}",
        lambda t: t.deadline_label,
    ),
    "/api/v1/deadlines [government]": (
        "api",
        lambda t: f"/api/v1/deadlines?government={t.gov}&year={YEAR}",
        lambda t: t.deadline_label,
    ),
    "/api/v1/cases/<int:case_id>/deadlines": (
        "api",
        lambda t: f"/api/v1/cases/{t.case}/deadlines",
        lambda t: t.deadline_label,
    ),
    "/admin/deadline/details/": (
        "admin",
        lambda t: f"/admin/deadline/details/?id={t.deadline}",
        lambda t: t.deadline_label,
    ),
    # documents: preview (HTML and draft PDF, scoped by the case's government), the stored PDF, the API
    "/documentos/vista-previa/<int:case_id>/<key>": (
        "web",
        lambda t: f"/documentos/vista-previa/{t.case}/case_summary",
        lambda t: t.title,
    ),
    "/documentos/vista-previa/<int:case_id>/<key>.pdf": (
        "web",
        lambda t: f"/documentos/vista-previa/{t.case}/case_summary.pdf",
        lambda t: t.title,
    ),
    "/documentos/<int:document_id>/pdf": (
        "web",
        lambda t: f"/documentos/{t.document}/pdf",
        lambda t: sha(t.document_sha),
    ),
    "/api/v1/documents/<int:document_id>": (
        "api",
        lambda t: f"/api/v1/documents/{t.document}",
        lambda t: t.document_code,
    ),
    "/api/v1/documents/<int:document_id>/pdf": (
        "api",
        lambda t: f"/api/v1/documents/{t.document}/pdf",
        lambda t: sha(t.document_sha),
    ),
    "/api/v1/cases/<int:case_id>/documents": (
        "api",
        lambda t: f"/api/v1/cases/{t.case}/documents",
        lambda t: t.document_code,
    ),
    "/documentos/trabajos/<int:job_id>": (
        "web",
        lambda t: f"/documentos/trabajos/{t.job}",
        lambda t: (t.title, f"/documentos/{t.document}/pdf"),
    ),
    "/api/v1/document-jobs/<int:job_id>": (
        "api",
        lambda t: f"/api/v1/document-jobs/{t.job}",
        lambda t: f'"document_id":{t.document}',
    ),
    "/admin/issueddocument/details/": (
        "admin",
        lambda t: f"/admin/issueddocument/details/?id={t.document}",
        lambda t: t.document_code,
    ),
    # attachments
    "/adjuntos/<int:attachment_id>": ("web", lambda t: f"/adjuntos/{t.attachment}", lambda t: sha(t.attachment_sha)),
    "/api/v1/attachments/<int:attachment_id>": (
        "api",
        lambda t: f"/api/v1/attachments/{t.attachment}",
        lambda t: sha(t.attachment_sha),
    ),
    "/api/v1/cases/<int:case_id>/attachments": (
        "api",
        lambda t: f"/api/v1/cases/{t.case}/attachments",
        lambda t: t.attachment_name,
    ),
    "/admin/attachment/details/": (
        "admin",
        lambda t: f"/admin/attachment/details/?id={t.attachment}",
        lambda t: t.attachment_name,
    ),
    # audit: every reader of a case reads its history; the admin's trail is for auditors, national, admin
    "/api/v1/cases/<int:case_id>/audit": ("api", lambda t: f"/api/v1/cases/{t.case}/audit", lambda t: t.title),
    "/admin/auditevent/details/": Route(
        "admin", lambda t: f"/admin/auditevent/details/?id={t.event}", lambda t: t.title, AUDIT_BROWSERS
    ),
    # submissions: seen by the sender's readers and the receiver's (here the same roles)
    "/envios/<int:submission_id>": (
        "web",
        lambda t: f"/envios/{t.submission}",
        lambda t: (t.receipt, t.note, t.title),  # the title: of the document sent
    ),
    "/api/v1/submissions/<int:submission_id>": (
        "api",
        lambda t: f"/api/v1/submissions/{t.submission}",
        lambda t: (t.receipt, t.document_sha),
    ),
    "/admin/submission/details/": (
        "admin",
        lambda t: f"/admin/submission/details/?id={t.submission}",
        lambda t: (t.receipt, t.note),
    ),
}


#: Detail routes whose page of a government names its region, province or district municipalities: the
#: territory is public, so these are exempt from the "nothing of another target" check.
NAMES_RELATIVES = {"/gobiernos/<int:government_id>", "/api/v1/governments/<int:id>", "/admin/government/details/"}


def rule_of(key: str) -> str:
    return key.split(" ", 1)[0]


def route(entry) -> Route:  # noqa: ANN001
    return entry if isinstance(entry, Route) else Route(*entry)


def markers_of(entry, target: Target) -> tuple[str, ...]:  # noqa: ANN001
    marker = route(entry).marker(target)
    return marker if isinstance(marker, tuple) else (marker,)


def text(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)  # JSON comes compact: {"id":10,...}


def content_of(response, pdf_text: bool = True) -> str:  # noqa: ANN001
    """What a response shows: its text (JSON, HTML, CSV, iCalendar unfolded); for a file served byte for byte
    "sha256:<its hash>", followed for a PDF by the PDF's extracted text."""
    body = response.get_data()
    mimetype = response.mimetype or ""
    if mimetype.startswith("text/") or mimetype == "application/json":
        content = body.decode()
        return content.replace("\r\n ", "") if mimetype == "text/calendar" else content  # RFC 5545 folds lines
    content = f"sha256:{hashlib.sha256(body).hexdigest()}"
    if mimetype == "application/pdf" and pdf_text:
        from pypdf import PdfReader

        content += "\n" + "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return content


def shown(response, markers: tuple[str, ...], content: str | None = None) -> list[bool]:  # noqa: ANN001
    """Which markers the response shows (``content``: its content_of(), when already extracted)."""
    if content is None:
        content = content_of(response, pdf_text=any(not m.startswith("sha256:") for m in markers))
    return [marker in content for marker in markers]


def expected_detail(kind: str, role: Role, reached: bool, allowed: bool = True) -> tuple[int, str | None]:
    """(status, where a redirect goes) for one route kind; ``allowed``: the role is in the route's audience."""
    if role.anonymous:
        return (401, None) if kind == "api" else (302, "/ingresar")
    if kind == "admin":
        if not role.member or not allowed:
            return 403, None
        # Flask-Admin answers an unreachable id exactly like a missing one: back to the list.
        return (200, None) if reached else (302, "/admin/")
    if not allowed:
        return 403, None
    return (200, None) if reached else (404, None)


def reach_of(entry, role_name: str) -> frozenset[str]:  # noqa: ANN001
    r = route(entry)
    return r.reach[role_name] if r.reach is not None else ROLES[role_name].reach


def allowed_by(entry, role_name: str) -> bool:  # noqa: ANN001
    audience = route(entry).audience
    return audience is None or role_name in audience


@pytest.mark.parametrize("role_name", list(ROLES))
def test_detail_routes(app, make_user, govs, world, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for rule, entry in DETAIL_ROUTES.items():
        kind, url = route(entry).kind, route(entry).url
        for target in world.values():
            response = client.get(url(target))
            reached = target.key in reach_of(entry, role_name)
            status, location = expected_detail(kind, role, reached, allowed_by(entry, role_name))
            markers = markers_of(entry, target)
            content = content_of(response, pdf_text=any(not m.startswith("sha256:") for m in markers))
            found = shown(response, markers, content)
            ok = response.status_code == status and (all(found) if status == 200 else not any(found))
            if location is not None:
                ok = ok and response.headers.get("Location", "").startswith(location)
            if not ok:
                wrong.append(f"{rule} {target.key}: {response.status_code} (expected {status}), shown={found}")
            if response.status_code == 200 and rule not in NAMES_RELATIVES:  # …nothing of another target
                others = [
                    o.key
                    for o in world.values()
                    if o is not target and any(shown(response, markers_of(entry, o), content))
                ]
                if others:
                    wrong.append(f"{rule} {target.key}: also shows {others}")
    # An id that does not exist gets the same answer as one outside the jurisdiction (so it confirms nothing).
    if role_name in ("team", "no_membership"):
        ghost = Target.ghost()
        for rule, entry in DETAIL_ROUTES.items():
            status, _location = expected_detail(route(entry).kind, role, False, allowed_by(entry, role_name))
            if client.get(route(entry).url(ghost)).status_code != status:
                wrong.append(f"{rule} missing id: not {status}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_edit_form_route(app, make_user, govs, world):
    """GET /expedientes/<id>/editar: 200 where the role edits, 403 where it only reads, 404 elsewhere."""
    wrong = []
    for role_name, role in ROLES.items():
        if role_name not in ("team", "regional_auditor", "provincial_team", "national", "admin", "anonymous"):
            continue  # the others behave like one of these (checked in test_detail_routes)
        client = signed_in_client(app, make_user, govs, role_name)
        for target in world.values():
            response = client.get(f"/expedientes/{target.case}/editar")
            if role.anonymous:
                expected = 302
            elif target.key in role.edits:
                expected = 200
            else:
                expected = 403 if target.key in role.reach else 404
            if response.status_code != expected:
                wrong.append(f"{role_name} {target.key}: {response.status_code} (expected {expected})")
    assert not wrong, "\n" + "\n".join(wrong)


# --- routes that list records ------------------------------------------------------------------------------

#: rule (and variant) → Route, or its first three fields: the url lists a target (or all targets); the marker
#: proves the target was listed
LIST_ROUTES = {
    "/gobiernos/": ("web", lambda t: f"/gobiernos/?q={t.ubigeo}", lambda t: t.name),
    "/api/v1/governments": ("api", lambda t: f"/api/v1/governments?q={t.ubigeo}", lambda t: f'"id":{t.gov},'),
    "/admin/government/": ("admin", lambda t: f"/admin/government/?search={t.ubigeo}", lambda t: t.name),
    "/admin/government/export/<export_type>/": (
        "admin",
        lambda t: f"/admin/government/export/csv/?search={t.ubigeo}",
        lambda t: t.name,
    ),
    "/expedientes/": ("web", lambda t: "/expedientes/", lambda t: t.title),
    "/api/v1/cases": ("api", lambda t: "/api/v1/cases", lambda t: t.title),
    "/admin/case/": ("admin", lambda t: "/admin/case/", lambda t: t.title),
    "/admin/case/export/<export_type>/": ("admin", lambda t: "/admin/case/export/csv/", lambda t: t.title),
    "/admin/cycle/": ("admin", lambda t: "/admin/cycle/", lambda t: t.name),
    "/admin/cycle/export/<export_type>/": ("admin", lambda t: "/admin/cycle/export/csv/", lambda t: t.name),
    "/admin/casetransition/": ("admin", lambda t: "/admin/casetransition/", lambda t: t.comment),
    "/admin/casetransition/export/<export_type>/": (
        "admin",
        lambda t: "/admin/casetransition/export/csv/",
        lambda t: t.comment,
    ),
    "/admin/referencepattern/": ("admin", lambda t: "/admin/referencepattern/", lambda t: f"RP-{{seq}}-[{t.key}]"),
    "/admin/referencepattern/export/<export_type>/": (
        "admin",
        lambda t: "/admin/referencepattern/export/csv/",
        lambda t: f"RP-{{seq}}-[{t.key}]",
    ),
    # deadlines: mine (my memberships' governments), the national overview of a rule, the API, the admin
    "/plazos/ [mine]": Route(
        "web", lambda t: f"/plazos/?view=mine&year={YEAR}", lambda t: t.deadline_label, reach=DIRECT
    ),
    "/plazos/ [national]": Route(
        "web",
        lambda t: f"/plazos/?view=national&year={YEAR}&rule={MATRIX_RULE}",
        lambda t: t.deadline_label,
        COUNTRYWIDE,
    ),
    "/api/v1/deadlines": ("api", lambda t: "/api/v1/deadlines?per_page=100", lambda t: t.deadline_label),
    "/admin/deadline/": ("admin", lambda t: "/admin/deadline/?search=Plazo", lambda t: t.deadline_label),
    "/admin/deadline/export/<export_type>/": (
        "admin",
        lambda t: "/admin/deadline/export/csv/?search=Plazo",
        lambda t: t.deadline_label,
    ),
    # documents and attachments (the case's own lists are in DETAIL_ROUTES)
    "/admin/issueddocument/": ("admin", lambda t: "/admin/issueddocument/", lambda t: t.document_code),
    "/admin/issueddocument/export/<export_type>/": (
        "admin",
        lambda t: "/admin/issueddocument/export/csv/",
        lambda t: t.document_code,
    ),
    "/admin/attachment/": ("admin", lambda t: "/admin/attachment/", lambda t: t.attachment_name),
    "/admin/attachment/export/<export_type>/": (
        "admin",
        lambda t: "/admin/attachment/export/csv/",
        lambda t: t.attachment_name,
    ),
    # the audit trail, filtered by the target's case
    "/admin/auditevent/": Route(
        "admin", lambda t: f"/admin/auditevent/?{t.history}", lambda t: t.title, AUDIT_BROWSERS
    ),
    "/admin/auditevent/export/<export_type>/": Route(
        "admin", lambda t: f"/admin/auditevent/export/csv/?{t.history}", lambda t: t.title, AUDIT_BROWSERS
    ),
    # submissions: sent by governments in reach, received by my governments, the 30 June overview
    "/envios/": ("web", lambda t: f"/envios/?view=sent&year={YEAR}", lambda t: t.receipt),
    "/envios/ [received]": Route(
        "web", lambda t: f"/envios/?view=received&year={YEAR}", lambda t: t.receipt, reach=RECEIVED
    ),
    "/envios/ [national]": Route(
        "web",
        lambda t: f"/envios/?view=national&year={YEAR}",
        lambda t: t.receipt,
        COUNTRYWIDE,
        dict.fromkeys(ROLES, REGIONAL),  # regional governments only: the overview has one row per region
    ),
    "/envios/resumen-nacional.<fmt>": Route(
        "web",
        lambda t: f"/envios/resumen-nacional.csv?year={YEAR}",
        lambda t: t.receipt,
        COUNTRYWIDE,
        dict.fromkeys(ROLES, REGIONAL),
    ),
    "/api/v1/submissions": ("api", lambda t: f"/api/v1/submissions?year={YEAR}", lambda t: t.receipt),
    "/api/v1/submissions/overview": Route(
        "api",
        lambda t: f"/api/v1/submissions/overview?year={YEAR}",
        lambda t: t.receipt,
        COUNTRYWIDE,
        dict.fromkeys(ROLES, REGIONAL),
    ),
    "/admin/submission/": ("admin", lambda t: "/admin/submission/", lambda t: t.receipt),
    "/admin/submission/export/<export_type>/": (
        "admin",
        lambda t: "/admin/submission/export/csv/",
        lambda t: t.receipt,
    ),
}
#: Export routes of the other scoped admin views, answered by the same query as their list.
SCOPED_ADMIN_VIEWS = (
    "government",
    "case",
    "cycle",
    "casetransition",
    "referencepattern",
    "deadline",
    "issueddocument",
    "attachment",
    "auditevent",
    "submission",
)


def expected_list(kind: str, role: Role, allowed: bool = True) -> int:
    if role.anonymous:
        return 401 if kind == "api" else 302
    if (kind == "admin" and not role.member) or not allowed:
        return 403
    return 200


GOVERNMENTS_REACHED = {
    "team": 85,  # the region, its 11 provincial and 73 district municipalities
    "coordinator": 85,
    "regional_auditor": 85,
    "provincial_team": 13,  # the province and its 12 district municipalities
    "global_auditor": 1918,
    "national": 1918,
    "admin": 1918,
    "no_membership": 0,
    "anonymous": 0,
}


@pytest.mark.parametrize("role_name", list(ROLES))
def test_list_routes(app, make_user, govs, world, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for rule, entry in LIST_ROUTES.items():
        pages: dict[str, object] = {}
        for target in world.values():
            path = route(entry).url(target)
            response = pages.get(path) or client.get(path)
            pages[path] = response
            status = expected_list(route(entry).kind, role, allowed_by(entry, role_name))
            listed = all(shown(response, markers_of(entry, target)))
            should = status == 200 and target.key in reach_of(entry, role_name)
            if response.status_code != status or listed != should:
                wrong.append(f"{rule} {target.key}: {response.status_code} (expected {status}), listed={listed}")
    assert not wrong, "\n" + "\n".join(wrong)
    if role.anonymous:
        return
    # …and the totals: everything reached is counted, nothing else
    governments = client.get("/api/v1/governments?per_page=1").get_json()
    assert governments["total"] == GOVERNMENTS_REACHED[role_name]
    cases = client.get("/api/v1/cases?per_page=500").get_json()
    assert cases["total"] == len(role.reach)
    assert {c["id"] for c in cases["items"]} == {world[k].case for k in role.reach}
    submissions = client.get(f"/api/v1/submissions?year={YEAR}&per_page=500").get_json()
    assert {s["id"] for s in submissions["items"]} == {world[k].submission for k in role.reach}
    deadlines = client.get(f"/api/v1/deadlines?rule={MATRIX_RULE}&per_page=500").get_json()
    assert {d["id"] for d in deadlines["items"]} == {world[k].deadline for k in role.reach}
    page = client.get("/gobiernos/").get_data(as_text=True)
    shown_total = re.search(r"<p>([\d.,\s\xa0]+) (?:governments?|gobiernos?)</p>", page)
    assert shown_total and int(re.sub(r"\D", "", shown_total.group(1))) == GOVERNMENTS_REACHED[role_name]


# --- writes on a government's records ----------------------------------------------------------------------


@pytest.mark.parametrize("role_name", list(ROLES))
def test_case_writes(app, make_user, govs, world, api_token, role_name):
    """A transition (web) and an edit (API): done where the role edits, 403 where it reads, 404 elsewhere."""
    from core.models import Case

    role = ROLES[role_name]
    client, user_id = signed_in(app, make_user, govs, role_name)
    headers = {"Authorization": f"Bearer {api_token(user_id)}"} if user_id else {}
    token = csrf_from(client, "/ingresar" if role.anonymous else "/perfil")
    wrong = []
    for target in world.values():
        if role.anonymous:
            web_expected, api_expected = 302, 401
        elif target.key in role.edits:
            web_expected, api_expected = 303, 200
        elif target.key in role.reach:
            web_expected, api_expected = 403, 403
        else:
            web_expected, api_expected = 404, 404
        patch = client.patch(f"/api/v1/cases/{target.case}", json={"version": 1, "title": "Cambiado"}, headers=headers)
        web = client.post(f"/expedientes/{target.case}/transiciones/submit", data={"csrf_token": token})
        with app.app_context():
            case = db.session.get(Case, target.case)
            state, title = case.state, case.title
        changed = (state, title) == ("in_review", "Cambiado")
        untouched = (state, title) == ("draft", target.title)
        if web.status_code != web_expected or patch.status_code != api_expected:
            wrong.append(
                f"{target.key}: web {web.status_code}≠{web_expected} or api {patch.status_code}≠{api_expected}"
            )
        if not (changed if target.key in role.edits else untouched):
            wrong.append(f"{target.key}: state={state} title={title}")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("role_name", list(ROLES))
def test_emblem_writes(app, make_user, govs, world, role_name):
    """The letterhead images of a government: uploaded and removed by its coordinator or an administrator
    only (core.documents.emblems, APPROVE); 403 where the role only reads, 404 elsewhere, nothing stored either way."""
    from core.documents.models import GovernmentEmblem

    role = ROLES[role_name]
    client, _user_id = signed_in(app, make_user, govs, role_name)
    token = csrf_from(client, "/ingresar" if role.anonymous else "/perfil")
    wrong = []
    for t in world.values():
        approves = role_name == "admin" or (role_name == "coordinator" and t.key in role.direct)
        if role.anonymous:
            expected = 302
        elif approves:
            expected = 303
        else:
            expected = 403 if t.key in role.reach else 404
        image = {"csrf_token": token, "file": (io.BytesIO(png(f"escudo {t.key}")), "escudo.png")}
        uploaded = client.post(f"/gobiernos/{t.gov}/emblemas/crest", data=image)
        with app.app_context():
            stored = db.session.scalar(select(GovernmentEmblem.id).where(GovernmentEmblem.government_id == t.gov))
        removed = client.post(f"/gobiernos/{t.gov}/emblemas/crest/eliminar", data={"csrf_token": token})
        with app.app_context():
            left = db.session.scalar(select(GovernmentEmblem.id).where(GovernmentEmblem.government_id == t.gov))
        if (uploaded.status_code, removed.status_code) != (expected, expected):
            wrong.append(f"{t.key}: {uploaded.status_code}/{removed.status_code} (expected {expected})")
        if bool(stored) != approves or left:
            wrong.append(f"{t.key}: stored={stored} left={left}")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("role_name", list(ROLES))
def test_subsystem_writes(app, make_user, govs, world, api_token, role_name):
    """Send a document, acknowledge a submission, attach and delete a file, issue a document — on the web and
    through the API: done where the role edits, 403 where it only reads, 404 elsewhere. Acknowledging a
    receipt is the receiver's: the regional team for its local governments, the national level for the
    ST-CIAS (core.submissions.may_receive)."""
    from core.documents.models import IssuedDocument
    from core.models.attachments import Attachment
    from core.models.submissions import Submission

    role = ROLES[role_name]
    client, user_id = signed_in(app, make_user, govs, role_name)
    headers = {"Authorization": f"Bearer {api_token(user_id)}"} if user_id else {}
    token = csrf_from(client, "/ingresar" if role.anonymous else "/perfil")
    wrong = []

    def expect(done: bool, reached: bool, web_ok: int, api_ok: int) -> tuple[int, int]:
        if role.anonymous:
            return 302, 401
        if done:
            return web_ok, api_ok
        return (403, 403) if reached else (404, 404)

    for t in world.values():
        edits, reached = t.key in role.edits, t.key in role.reach
        receives = not role.anonymous and acknowledges(role_name, t.key)
        checks = []  # (what, response, expected status)
        # submissions first (issuing below supersedes the world's document, which then cannot be sent)
        web, api = expect(edits, reached, 200, 201)
        checks.append(("GET /envios/nuevo", client.get(f"/envios/nuevo?government={t.gov}"), web))
        sent = client.post(
            f"/envios/nuevo?government={t.gov}",
            # another year than the world's submission: an identical resubmission is refused (test_submissions)
            data={"csrf_token": token, "year": YEAR + 1, "rule": "", "note": "Reenvío", "documents": str(t.document)},
        )
        checks.append(("POST /envios/nuevo", sent, 302 if edits else web))
        body = {"government_id": t.gov, "year": YEAR + 2, "document_ids": [t.document]}
        checks.append(("POST /api/v1/submissions", client.post("/api/v1/submissions", json=body, headers=headers), api))
        web, api = expect(receives, reached, 302, 200)
        received = client.post(f"/envios/{t.submission}/recibido", data={"csrf_token": token})
        checks.append(("POST /envios/<id>/recibido", received, web))
        receipt = client.post(f"/api/v1/submissions/{t.submission}/receipt", headers=headers)
        checks.append(("POST /api/v1/submissions/<id>/receipt", receipt, api))
        # attachments
        web, api = expect(edits, reached, 303, 201)
        upload = {"csrf_token": token, "file": (io.BytesIO(png(f"web {t.key}")), "nuevo.png"), "description": "x"}
        checks.append(
            ("POST /expedientes/<id>/adjuntos", client.post(f"/expedientes/{t.case}/adjuntos", data=upload), web)
        )
        upload = {"file": (io.BytesIO(png(f"api {t.key}")), "nuevo.png")}
        api_upload = client.post(f"/api/v1/cases/{t.case}/attachments", data=upload, headers=headers)
        checks.append(("POST /api/v1/cases/<id>/attachments", api_upload, api))
        deleted = client.post(f"/adjuntos/{t.attachment}/eliminar", data={"csrf_token": token})
        checks.append(("POST /adjuntos/<id>/eliminar", deleted, web))
        # documents
        issued = client.post(f"/expedientes/{t.case}/documentos/case_summary", data={"csrf_token": token})
        checks.append(("POST /expedientes/<id>/documentos/<key>", issued, web))
        api_issued = client.post(f"/api/v1/cases/{t.case}/documents/case_summary", headers=headers)
        checks.append(("POST /api/v1/cases/<id>/documents/<key>", api_issued, api))
        wrong += [
            f"{t.key} {what}: {r.status_code}≠{expected}" for what, r, expected in checks if r.status_code != expected
        ]
        if sent.status_code == 302 and edits and not sent.headers["Location"].startswith("/envios/"):
            wrong.append(f"{t.key} POST /envios/nuevo: sent to {sent.headers['Location']}")
        with app.app_context():
            submissions = db.session.scalar(select(func.count(Submission.id)).where(Submission.government_id == t.gov))
            acknowledged = db.session.get(Submission, t.submission).received_at is not None
            live = db.session.scalars(
                select(Attachment.id).where(Attachment.case_id == t.case, Attachment.deleted_at.is_(None))
            ).all()
            documents = db.session.scalar(select(func.count(IssuedDocument.id)).where(IssuedDocument.case_id == t.case))
        state = (submissions, acknowledged, t.attachment in live, len(live), documents)
        should = (3 if edits else 1, receives, not edits, 2 if edits else 1, 3 if edits else 1)
        if state != should:
            wrong.append(f"{t.key}: (submissions, acknowledged, kept, attachments, documents) {state}, not {should}")
    assert not wrong, "\n" + "\n".join(wrong)


# --- every other route, by category ------------------------------------------------------------------------

PUBLIC = {
    "/",
    "/health",
    "/ingresar",
    "/salir",  # signing out needs no session (and a CSRF token)
    "/idioma/<lang>",
    "/static/<path:filename>",
    "/favicon.ico",  # a redirect to the static icon
    "/admin/static/<path:filename>",
    "/api/v1/openapi.json",
    # anyone holding a document checks it is authentic (DESIGN §7): what a code shows is printed on the PDF
    "/verificar",
    "/verificar/<code>",
    "/documentos/recursos/<owner>/<path:path>",  # the packaged assets documents load, like /static
}
#: The signed-in user's own data: nobody else's is reachable through them.
OWN_ACCOUNT = {
    "/perfil",
    "/perfil/tokens/<int:token_id>/revocar",
    "/perfil/cerrar-sesiones",  # ends the user's own sessions
    "/api/v1/me",
    "/plazos/avisos",  # the user's notifications
    "/plazos/avisos/<int:notification_id>/leido",
    "/plazos/avisos/leidos",
    "/plazos/calendario",  # creates, replaces or revokes the user's own calendar address
    "/plazos/<token>.ics",  # no session: the secret token is the credential, and names its owner
}
#: National reference data that every signed-in user may read.
REFERENCE = {"/api/v1/territories", "/api/v1/territories/<ubigeo>", "/api/v1/case-types", "/api/v1/deadline-rules"}
#: Writes, each loading its case, document, attachment or submission through the scoping layer (checked in
#: test_case_writes, test_subsystem_writes and the subsystems' own tests); creating a case needs an editing
#: role somewhere. The POST (PATCH) twins of matrix routes are writes too.
WRITES = {
    "/expedientes/nuevo",
    "/expedientes/<int:case_id>/editar",
    "/expedientes/<int:case_id>/transiciones/<name>",
    "/expedientes/<int:case_id>/politica",  # marks a policy document (SP 8): an editing role of the government
    "/api/v1/cases/<int:case_id>/transitions/<name>",
    "/expedientes/<int:case_id>/adjuntos",
    "/adjuntos/<int:attachment_id>/eliminar",
    "/expedientes/<int:case_id>/documentos/<key>",
    "/api/v1/cases/<int:case_id>/documents/<key>",
    "/envios/nuevo",
    "/envios/<int:submission_id>/recibido",
    "/api/v1/submissions/<int:submission_id>/receipt",
    "/gobiernos/<int:government_id>/emblemas/<kind>",  # letterhead images: test_emblem_writes
    "/gobiernos/<int:government_id>/emblemas/<kind>/eliminar",
}
WRITES_BESIDE_READS = {
    "/api/v1/cases",
    "/api/v1/cases/<int:case_id>",
    "/api/v1/cases/<int:case_id>/attachments",
    "/api/v1/submissions",
}
#: Admin views by kind: scoped by government, national data readable by members, administrators only.
ADMIN_VIEWS = {
    **dict.fromkeys(SCOPED_ADMIN_VIEWS, "scoped"),
    **dict.fromkeys(
        (
            "territory",
            "catalog_institution",
            "catalog_social_program",
            "catalog_strategic_program",
            "catalog_intervention_line",
            "catalog_social_info_item",
            "catalog_key_indicator",
            "customfield",
            "workflowdefinition",
            "deadlinerule",
            # Decreed non-working days and regional holidays are public: every member needs them to
            # understand a due date (Ley N° 27444); only administrators edit them.
            "nonworkingday",
            "yearname",
        ),
        "reference",
    ),
    **dict.fromkeys(
        (
            "user",
            "membership",
            "apitoken",
            "loginattempt",
            "plugin_state",
            "seed_record",
            "reminder",  # who was reminded of what, by which channel
            "notification",  # every user's messages
            "calendarfeedtoken",  # who has a calendar address (never the token)
        ),
        "admin_only",
    ),
}


def _plugin_classifications() -> tuple[dict[str, str], dict[str, str]]:
    """Plugins classify their own routes in tests/plugins/<name>/scoping.py (ROUTES: path → kind,
    checked by that plugin's own matrix test; ADMIN_VIEWS and REFERENCE_ADMIN_VIEWS: endpoints)."""
    import importlib
    import pkgutil

    import tests.plugins

    routes: dict[str, str] = {}
    views: dict[str, str] = {}
    for info in pkgutil.iter_modules(tests.plugins.__path__):
        try:
            module = importlib.import_module(f"tests.plugins.{info.name}.scoping")
        except ModuleNotFoundError:
            continue
        routes.update(module.ROUTES)
        views.update(dict.fromkeys(getattr(module, "ADMIN_VIEWS", ()), "scoped"))
        views.update(dict.fromkeys(getattr(module, "REFERENCE_ADMIN_VIEWS", ()), "reference"))
    return routes, views


PLUGIN_ROUTES, _PLUGIN_ADMIN_VIEWS = _plugin_classifications()
ADMIN_VIEWS.update(_PLUGIN_ADMIN_VIEWS)
#: Admin views only some roles open (the others get 403).
ADMIN_AUDIENCE = {"auditevent": AUDIT_BROWSERS}
ADMIN_READS = {"index_view", "details_view", "export", "ajax_lookup"}
ADMIN_WRITES = {"create_view", "edit_view", "delete_view", "action_view", "ajax_update"}


def classify(rule) -> str | None:  # noqa: ANN001
    path = rule.rule
    reads = "GET" in rule.methods
    if path in PUBLIC:
        return "public"
    if path in PLUGIN_ROUTES:
        return PLUGIN_ROUTES[path]
    if reads and path in {rule_of(k) for k in DETAIL_ROUTES}:
        return "matrix:detail"
    if reads and path in {rule_of(k) for k in LIST_ROUTES}:
        return "matrix:list"
    if path in OWN_ACCOUNT:
        return "own account"
    if path in REFERENCE:
        return "reference"
    if path in WRITES or (path in WRITES_BESIDE_READS and not reads):
        return "write"
    if path == "/admin/":
        return "admin home"
    view, _, method = rule.endpoint.partition(".")
    if view in ADMIN_VIEWS and path.startswith(f"/admin/{view}/"):
        if method in ADMIN_WRITES:
            return "admin write"
        if method == "ajax_lookup":
            return "admin lookup"
        if method in ADMIN_READS and ADMIN_VIEWS[view] != "scoped":
            return f"admin {ADMIN_VIEWS[view]}"
    return None  # including a read of a scoped admin view that the matrix does not list


def test_every_route_is_classified(app):
    """A new route must be added to this matrix (or to a category with its own test) before it ships."""
    unclassified = sorted(
        f"{rule.rule} {sorted(rule.methods - {'HEAD', 'OPTIONS'})} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if classify(rule) is None
    )
    assert unclassified == []


def test_every_scoped_admin_read_is_in_the_matrix(app):
    missing = []
    for rule in app.url_map.iter_rules():
        view, _, method = rule.endpoint.partition(".")
        if ADMIN_VIEWS.get(view) == "scoped" and method in {"index_view", "details_view", "export"}:
            if rule.rule not in {rule_of(k) for k in (*DETAIL_ROUTES, *LIST_ROUTES)} | set(PLUGIN_ROUTES):
                missing.append(rule.rule)
    assert missing == []


def test_classified_admin_views_match_the_admin(app):
    """The categories above agree with the views' own settings (admin_only, government_column)."""
    admin = app.extensions["articula.admin"]
    views = {v.endpoint: v for v in admin._views if hasattr(v, "admin_only")}
    assert set(views) == set(ADMIN_VIEWS)
    for endpoint, view in views.items():
        kind = ADMIN_VIEWS[endpoint]
        assert view.admin_only == (kind == "admin_only"), endpoint
        own_classes = type(view).__mro__[: type(view).__mro__.index(ScopedModelView)]  # below the core's base
        # Read through the class: a mapped column on the view instance would be a descriptor call.
        scoped = type(view).government_column is not None or any("get_query" in vars(k) for k in own_classes)
        assert scoped == (kind == "scoped") or kind == "admin_only", endpoint


def test_public_routes_answer_anonymous_users(client, world):
    for path in (
        "/",
        "/health",
        "/ingresar",
        "/static/css/articula.css",
        "/api/v1/openapi.json",
        "/verificar",
        "/documentos/recursos/core/documents/document.css",
    ):
        assert client.get(path).status_code == 200, path
    token = csrf_from(client)
    assert client.post("/idioma/en", data={"csrf_token": token}).status_code == 302
    assert client.post("/salir", data={"csrf_token": token}).status_code == 302
    assert client.get("/documentos/recursos/core/../../config.py").status_code == 404


def test_verification_is_public_and_shows_only_the_document(app, client, world):
    """/verificar/<code>: whoever holds a document (any region's) confirms it, and learns nothing more."""
    target = world["cusco"]
    page = client.get(f"/verificar/{target.document_code}")
    body = text(page)
    assert page.status_code == 200 and target.document_sha in body and target.title in body
    others = [t.key for t in world.values() if t is not target and (t.document_sha in body or t.title in body)]
    assert others == []
    assert target.attachment_name not in body and target.receipt not in body and target.deadline_label not in body
    assert client.get("/verificar/ABCDEFGHJKMN").status_code == 404
    with app.app_context():
        from core.documents.models import IssuedDocument

        pdf = db.session.get(IssuedDocument, target.document).content
    token = csrf_from(client, "/verificar")
    upload = {"csrf_token": token, "archivo": (io.BytesIO(pdf), "ficha.pdf")}
    checked = client.post(f"/verificar/{target.document_code}", data=upload)
    assert checked.status_code == 200 and "El archivo es idéntico" in text(checked)


def test_own_account_routes(app, client, make_user, govs, api_token):
    assert client.get("/perfil").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    make_user("uno@huanuco.pe", ("team", govs["huanuco"]))
    other = make_user("dos@cusco.pe", ("team", govs["cusco"]))
    api_token(other)
    login(client, "uno@huanuco.pe")
    page = client.get("/perfil").get_data(as_text=True)
    assert "uno@huanuco.pe" in page and "dos@cusco.pe" not in page
    assert client.get("/api/v1/me").get_json()["email"] == "uno@huanuco.pe"
    with app.app_context():
        from core.models import ApiToken

        others_token = db.session.scalar(db.select(ApiToken.id).where(ApiToken.user_id == other))
    response = client.post(f"/perfil/tokens/{others_token}/revocar", data={"csrf_token": csrf_from(client, "/perfil")})
    assert response.status_code == 404


def test_notifications_are_the_users_own(app, client, make_user, govs):
    from core.deadlines.models import Notification

    assert client.get("/plazos/avisos").status_code == 302
    mine = make_user("uno@huanuco.pe", ("team", govs["huanuco"]))
    theirs = make_user("dos@cusco.pe", ("team", govs["cusco"]))
    with app.app_context(), writing():
        notes = [Notification(user_id=uid, message=f"Aviso [{uid}]") for uid in (mine, mine, theirs)]
        db.session.add_all(notes)
        db.session.commit()
        first, second, other = (n.id for n in notes)
    login(client, "uno@huanuco.pe")
    page = text(client.get("/plazos/avisos"))
    assert f"Aviso [{mine}]" in page and f"Aviso [{theirs}]" not in page
    token = csrf_from(client, "/plazos/avisos")
    assert client.post(f"/plazos/avisos/{other}/leido", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/plazos/avisos/{first}/leido", data={"csrf_token": token}).status_code == 303
    assert client.post("/plazos/avisos/leidos", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        read = {n.id: n.read_at is not None for n in db.session.scalars(select(Notification))}
    assert read == {first: True, second: True, other: False}


@pytest.mark.parametrize("role_name", list(ROLES))
def test_calendar_feed(app, make_user, govs, world, role_name):
    """The secret calendar address: its owner's deadlines only (FEED), no session needed; replacing or
    revoking it ends the old address."""
    from core.deadlines import lima_today
    from core.deadlines.models import Deadline

    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    feed_reader = app.test_client()  # a calendar application: no session
    if role.anonymous:
        assert client.post("/plazos/calendario", data={"csrf_token": csrf_from(client)}).status_code == 302
        assert feed_reader.get("/plazos/cal_inventado.ics").status_code == 404
        return
    with app.app_context(), writing():  # a feed carries last, this and next year: bring the world's to this year
        ids = [t.deadline for t in world.values()]
        db.session.execute(update(Deadline).where(Deadline.id.in_(ids)).values(year=lima_today().year))
        db.session.commit()
    token = csrf_from(client, "/perfil")

    def new_address() -> str:
        page = client.post("/plazos/calendario", data={"csrf_token": token, "action": "create"})
        assert page.status_code == 200
        return re.search(r"/plazos/cal_[\w-]+\.ics", text(page)).group(0)

    address = new_address()
    feed = feed_reader.get(address)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    listed = {t.key for t in world.values() if all(shown(feed, (t.deadline_label,)))}
    assert listed == FEED[role_name]
    replaced = new_address()
    assert feed_reader.get(address).status_code == 404
    assert feed_reader.get(replaced).status_code == 200
    revoked = client.post("/plazos/calendario", data={"csrf_token": token, "action": "revoke"})
    assert revoked.status_code == 303
    assert feed_reader.get(replaced).status_code == 404


def test_reference_routes_need_a_sign_in_only(app, client, make_user, api_token):
    paths = (
        "/api/v1/territories?per_page=1",
        "/api/v1/territories/080000",
        "/api/v1/case-types",
        "/api/v1/deadline-rules",
    )
    for path in paths:
        assert client.get(path).status_code == 401, path
    headers = {"Authorization": f"Bearer {api_token(make_user('sin.rol@articula.pe'))}"}
    for path in paths:
        assert client.get(path, headers=headers).status_code == 200, path


@pytest.mark.parametrize(
    "role_name", ["anonymous", "no_membership", "team", "regional_auditor", "global_auditor", "national", "admin"]
)
def test_admin_views_by_kind(app, make_user, govs, role_name):
    role = ROLES[role_name]
    client = signed_in_client(app, make_user, govs, role_name)
    wrong = []
    for endpoint, kind in {**ADMIN_VIEWS, "admin": "home"}.items():
        path = "/admin/" if kind == "home" else f"/admin/{endpoint}/"
        response = client.get(path)
        if role.anonymous:
            expected = 302
        elif (
            not role.member
            or (kind == "admin_only" and role_name != "admin")
            or role_name not in ADMIN_AUDIENCE.get(endpoint, ROLES)
        ):
            expected = 403
        else:
            expected = 200
        if response.status_code != expected:
            wrong.append(f"{path}: {response.status_code} (expected {expected})")
        if role.anonymous and not response.headers.get("Location", "").startswith("/ingresar"):
            wrong.append(f"{path}: anonymous not sent to the login page")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("role_name", ["team", "global_auditor", "national"])  # writes somewhere / nowhere
def test_admin_writes_are_for_administrators_only(app, make_user, govs, world, role_name):
    from core.documents.models import IssuedDocument
    from core.models.attachments import Attachment
    from core.models.submissions import Submission

    client = signed_in_client(app, make_user, govs, role_name)
    token = csrf_from(client, "/perfil")
    target = world["huanuco"]
    ids = {"government": target.gov, "case": target.case, "cycle": target.cycle}
    ids.update({"casetransition": target.transition, "referencepattern": target.pattern})
    ids.update({"deadline": target.deadline, "issueddocument": target.document, "attachment": target.attachment})
    ids.update({"auditevent": target.event, "submission": target.submission})
    wrong = []
    for endpoint in ADMIN_VIEWS:
        record = ids.get(endpoint, 1)
        for path in (
            f"/admin/{endpoint}/new/",
            f"/admin/{endpoint}/edit/?id={record}",
            f"/admin/{endpoint}/delete/",
            f"/admin/{endpoint}/action/",
            f"/admin/{endpoint}/ajax/update/",
        ):
            response = client.post(path, data={"csrf_token": token, "id": record, "rowid": record, "name": "x"})
            if response.status_code != 403:
                wrong.append(f"POST {path}: {response.status_code}")
    with app.app_context():
        assert db.session.get(Government, target.gov).name == target.name
        assert db.session.get(Cycle, target.cycle) is not None
        assert db.session.get(ReferencePattern, target.pattern).pattern == f"RP-{{seq}}-[{target.key}]"
        assert db.session.get(IssuedDocument, target.document) is not None
        assert db.session.get(Attachment, target.attachment).deleted_at is None
        assert db.session.get(Submission, target.submission) is not None
    assert not wrong, "\n" + "\n".join(wrong)


def test_append_only_admin_views_refuse_even_administrators(app, make_user, govs, world):
    """The audit trail and attachments are never written through the admin (attachments leave by their
    case's soft delete); issued documents and submissions are records that nobody edits."""
    from core.models.audit import AuditEvent

    client = signed_in_client(app, make_user, govs, "admin")
    token = csrf_from(client, "/perfil")
    target = world["huanuco"]
    wrong = []
    for endpoint, record in (("auditevent", target.event), ("attachment", target.attachment)):
        for path in (f"/admin/{endpoint}/edit/?id={record}", f"/admin/{endpoint}/delete/", f"/admin/{endpoint}/new/"):
            response = client.post(path, data={"csrf_token": token, "id": record})
            if response.status_code != 403:
                wrong.append(f"POST {path}: {response.status_code}")
    for endpoint in ("issueddocument", "submission", "deadline", "auditevent", "attachment"):
        page = text(client.get(f"/admin/{endpoint}/"))
        if f"/admin/{endpoint}/new/" in page or f"/admin/{endpoint}/delete/" in page:
            wrong.append(f"/admin/{endpoint}/ offers to create or delete")
    with app.app_context():
        assert db.session.get(AuditEvent, target.event) is not None
    assert not wrong, "\n" + "\n".join(wrong)


# --- core.security.can(), rule by rule ----------------------------------------------------------------------


@pytest.fixture
def gov(ctx, govs):  # noqa: ANN001, ANN201
    return {key: db.session.get(Government, gid) for key, gid in govs.items()}


def scope_of(*memberships: tuple[str, Government | None]):  # noqa: ANN201
    user = User(email="x@x.pe", name="X", active=True)
    user.memberships = [Membership(role=role, government=g) for role, g in memberships]
    return scope_for(user)


def test_team_edits_its_own_government_only(gov):
    team = scope_of(("team", gov["huanuco"]))
    assert can(team, EDIT, gov["huanuco"])
    assert not can(team, APPROVE, gov["huanuco"])
    assert can(team, READ, gov["amarilis"]) and not can(team, EDIT, gov["amarilis"])
    assert can(team, READ, gov["huanuco_prov"]) and not can(team, EDIT, gov["huanuco_prov"])
    assert not can(team, READ, gov["cusco"]) and not can(team, EDIT, gov["cusco"])
    assert not can(team, ADMIN, gov["huanuco"])
    assert not team.read_only


def test_coordinator_approves(gov):
    coordinator = scope_of(("coordinator", gov["huanuco"]))
    assert can(coordinator, APPROVE, gov["huanuco"]) and can(coordinator, EDIT, gov["huanuco"])
    assert not can(coordinator, APPROVE, gov["amarilis"])
    assert not can(coordinator, APPROVE, gov["cusco"])


def test_auditor_never_writes(gov):
    for auditor in (scope_of(("auditor", gov["huanuco"])), scope_of(("auditor", None))):
        assert auditor.read_only
        for target in gov.values():
            for action in (EDIT, APPROVE, ADMIN):
                assert not can(auditor, action, target)
        assert can(auditor, READ, gov["huanuco"]) and can(auditor, READ, gov["amarilis"])
    assert not can(scope_of(("auditor", gov["huanuco"])), READ, gov["cusco"])
    assert can(scope_of(("auditor", None)), READ, gov["cusco"])


def test_regional_membership_reads_the_local_governments_beneath(gov, ctx):
    from sqlalchemy import select

    team = scope_of(("team", gov["huanuco"]))
    locals_of_huanuco = db.session.scalars(select(Government).where(Government.region_id == gov["huanuco"].id)).all()
    assert len(locals_of_huanuco) == 85
    assert all(can(team, READ, g) for g in locals_of_huanuco)
    assert [g.name for g in locals_of_huanuco if can(team, EDIT, g)] == ["Gobierno Regional de Huánuco"]


def test_provincial_membership_reaches_its_districts(gov, ctx):
    from sqlalchemy import select

    provincial = scope_of(("team", gov["huanuco_prov"]))
    assert can(provincial, READ, gov["amarilis"]) and not can(provincial, EDIT, gov["amarilis"])
    assert can(provincial, EDIT, gov["huanuco_prov"])
    assert not can(provincial, READ, gov["huanuco"])  # not the region above
    other_district = db.session.scalar(select(Government).where(Government.ubigeo == "100202"))  # Ambo province
    assert other_district is not None and not can(provincial, READ, other_district)
    district = scope_of(("team", gov["amarilis"]))
    assert can(district, EDIT, gov["amarilis"]) and not can(district, READ, gov["huanuco_prov"])


def test_national_reads_everything_and_writes_nothing(gov):
    national = scope_of(("national", None))
    assert national.read_only and national.everything
    assert all(can(national, READ, g) for g in gov.values())
    assert not any(can(national, action, g) for g in gov.values() for action in (EDIT, APPROVE, ADMIN))


def test_admin_does_everything(gov):
    admin = scope_of(("admin", None))
    assert all(can(admin, action, g) for g in gov.values() for action in (READ, EDIT, APPROVE, ADMIN))
    assert can(admin, ADMIN, None)


def test_national_records_are_read_by_members_only(gov):
    assert can(scope_of(("team", gov["amarilis"])), READ, None)
    assert not can(scope_of(("team", gov["amarilis"])), EDIT, None)
    assert not can(scope_of(), READ, None)
    assert not can(scope_for(None), READ, gov["huanuco"])


def test_unknown_action_is_an_error(gov):
    with pytest.raises(ValueError, match="unknown action"):
        can(scope_of(("admin", None)), "delete", gov["huanuco"])
