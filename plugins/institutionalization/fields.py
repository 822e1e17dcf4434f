"""The fields of stage 1's four record types, declared once: the body, its members, the ordinance
and its clauses.

From each declaration come the page forms (the engine's case pages take BODY's and ORDINANCE's as
the type form), the API's input parser (core.operations), serializer and OpenAPI schema, the admin
columns, the case history's labels and the document rows (core.fields). The codes' Spanish legal
names (what documents print) are in models.py; the labels here are the interface's, translatable.

Over 400 lines on purpose: it is four declarations, one entry per field, and keeping them in one
file keeps "where is this field declared?" a one-file answer.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField
from wtforms.form import Form

from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Institution
from core.security import current_scope, writable_government_ids
from plugins.institutionalization import models as m
from plugins.institutionalization.composition import categories_for
from plugins.institutionalization.models import ArticulationBody, MemberCategory, OrdinanceClause
from plugins.institutionalization.ordinance_text import article_heading


def _not_before(earlier: str, later: str, message: Any) -> Any:
    """A cross-field check: date ``later`` may not precede date ``earlier`` (message beside ``later``)."""

    def check(data: dict[str, Any]) -> list[tuple[str, Any]]:
        first, second = data.get(earlier), data.get(later)
        return [(later, message)] if first and second and second < first else []

    return check


def _origin_named(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """A body that broadens an existing one names it (Norma 5.1.1, 5.2.1)."""
    if "origin_name" in data and data.get("origin") not in (None, "new") and not data["origin_name"]:
        return [("origin_name", _l("Enter the name of the existing body whose functions are broadened."))]
    return []


# --- the Instancia de Articulación (a case; its name is the case's title) ----------------------------

ORIGIN_CHOICES = {
    "new": _l("New body"),
    "codeco": _l("Broadens a CODECO (communal development council)"),
    "poverty_committee": _l("Broadens a Committee for the Fight against Poverty"),
    "comanagement_committee": _l("Broadens a Co-management Committee"),
    "other": _l("Broadens another existing body"),
}
DIRECTION_CHOICES = {"technical_secretariat": _l("Technical Secretariat"), "technical_office": _l("Technical Office")}

BODY = RecordFields(
    "body",
    [
        Field("origin", "choice", _l("Origin"), required=True, choices=ORIGIN_CHOICES, default="new", legal=m.ORIGINS),
        Field(
            "origin_name",
            "text",
            _l("Name of the existing body"),
            max_length=300,
            help=_l("Required when the body broadens an existing one."),
            admin_column=False,
        ),
        Field(
            "direction_kind",
            "choice",
            _l("Direction"),
            required=True,
            choices=DIRECTION_CHOICES,
            default="technical_secretariat",
            legal=m.DIRECTION_KINDS,
            admin_column=False,
        ),
        Field(
            "direction_unit",
            "text",
            _l("Office that directs it"),
            max_length=300,
            help=_l("For example: Gerencia Regional de Desarrollo Social."),
        ),
        Field(
            "has_technical_committee",
            "boolean",
            _l("Has a Technical Committee"),
            nullable_output=False,
            admin_column=False,
        ),
        Field(
            "monitoring_officer_name",
            "text",
            _l("Person responsible for the CRECER monitoring and information system"),
            max_length=200,
            admin_column=False,
        ),
        Field("monitoring_officer_position", "text", _l("Position of that person"), max_length=200, admin_column=False),
        Field("installation_date", "date", _l("Installation date")),
        Field(
            "installation_start_time",
            "time",
            _l("Installation session: start time"),
            help=_l("Printed in the installation minutes (24-hour clock, e.g. 10:00)."),
        ),
        Field("installation_end_time", "time", _l("Installation session: end time")),
        Field(
            "installation_place",
            "text",
            _l("Installation place"),
            max_length=300,
            help=_l('As the minutes read it after "en": for example, el Auditorio de la sede central.'),
            admin_column=False,
        ),
        Field(
            "installation_agreements",
            "long_text",
            _l("Agreements of the installation session"),
            max_length=20000,
            help=_l("One agreement per line; printed in the installation minutes."),
        ),
        Field(
            "installation_other_attendees",
            "long_text",
            _l("Other attendees of the installation"),
            max_length=5000,
            help=_l("Guests who are not members; one per line."),
        ),
        Field("level", "text", _l("Level"), output=lambda b: b.acronym, nullable_output=False),
    ],
    checks=[
        _origin_named,
        _not_before("installation_start_time", "installation_end_time", _l("The session cannot end before it starts.")),
    ],
)

# --- the body's members --------------------------------------------------------------------------------

#: Derived from the one table of roles (models.MEMBER_ROLE_TABLE), as are the legal names.
ROLE_CHOICES = {code: label for code, (label, _names) in m.MEMBER_ROLE_TABLE.items()}


def _institutions() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(select(Institution).where(Institution.active.is_(True)).order_by(Institution.position))
    return [(i.id, str(i)) for i in rows]


MEMBER = RecordFields(
    "member",
    [
        Field(
            "body_id",
            "reference",
            _l("Coordination body"),
            output=lambda m: m.body_id,
            nullable_output=False,
            admin_column=False,
            document=False,
        ),
        Field(
            "full_name",
            "text",
            _l("Names and surnames"),
            required=True,
            max_length=200,
            admin_search=True,
            nullable_output=False,
            required_message=_l("The names and surnames are required."),
        ),
        Field("dni", "dni", _l("DNI"), admin_search=True),
        Field(
            "sex",
            "choice",
            _l("Sex"),
            choices={"f": _l("Female"), "m": _l("Male")},
            admin_column=False,
            document=False,
            help=_l("Used for the wording of credentials and minutes (identificada / identificado)."),
        ),
        Field("position", "text", _l("Position"), max_length=200, admin_search=True),
        Field(
            "institution_id",
            "reference",
            _l("Institution (catalog)"),
            reference=Institution,
            choices=_institutions,
            admin_column=False,
            document=False,
        ),
        Field(
            "institution_name",
            "text",
            _l("Institution (if not in the catalog)"),
            max_length=300,
            admin_column=False,
            document=False,
        ),
        Field(
            "institution",
            "text",
            _l("Institution"),
            output=lambda m: m.institution_label,
            nullable_output=False,
            admin_column=False,
        ),
        Field("email", "email", _l("E-mail"), admin_column=False, document=False),
        Field("phone", "text", _l("Phone"), max_length=40, admin_column=False, document=False),
        Field(
            "category",
            "text",
            _l("Category"),
            output=lambda m: m.category.key,
            nullable_output=False,
            admin_column=False,
            document=False,
        ),
        Field(
            "category_id",
            "reference",
            _l("Category"),
            required=True,
            reference=MemberCategory,
            nullable_output=False,
            admin_filter="category.key",
            document=False,
        ),
        Field(
            "category_name",
            "text",
            _l("Category"),
            output=lambda m: m.category.name,
            nullable_output=False,
            admin_column=False,
        ),
        Field(
            "role",
            "choice",
            _l("Role in the body"),
            choices=ROLE_CHOICES,
            default="member",
            legal=m.MEMBER_ROLES,
            nullable_output=False,
            admin_filter=True,
        ),
        Field(
            "technical_committee",
            "boolean",
            _l("Member of the Technical Committee"),
            nullable_output=False,
            admin_filter=True,
        ),
        Field("accreditation_date", "date", _l("Accreditation date"), admin_column=False),
        Field(
            "accreditation_document",
            "text",
            _l("Accreditation document"),
            max_length=200,
            admin_column=False,
            help=_l("For example: Oficio N° 123-2008-DIRESA."),
        ),
        Field(
            "active_from",
            "date",
            _l("Member from"),
            required=True,
            nullable_output=False,
            admin_filter=True,
            required_message=_l("Enter the date the membership starts."),
        ),
        Field(
            "active_to",
            "date",
            _l("Member until"),
            admin_filter=True,
            help=_l("Leave empty while the person is a member."),
        ),
    ],
    extra_inputs={
        "category": {"type": "string", "description": "clave de la categoría (o category_id)", "x-sets": "category_id"}
    },
    checks=[_not_before("active_from", "active_to", _l("The end date cannot precede the start date."))],
)

# --- the ordinance (a case; its summary is the case's title) ---------------------------------------------


def _writable_bodies() -> list[tuple[Any, Any]]:
    """The bodies an ordinance may constitute: those of the governments where the user writes."""
    scope = current_scope()
    query = select(ArticulationBody).order_by(ArticulationBody.id.desc()).limit(500)
    if not scope.is_admin:
        query = query.where(ArticulationBody.government_id.in_(writable_government_ids(scope)))
    return [(b.id, f"{b.reference} — {b.title}") for b in db.session.scalars(query)]


ORDINANCE = RecordFields(
    "ordinance",
    [
        Field(
            "body_id",
            "reference",
            _l("Coordination body it constitutes"),
            required=True,
            choices=_writable_bodies,  # no ``reference``: rules.py reads another region's body as a missing one
            nullable_output=False,
            admin_column=False,
        ),
        Field(
            "instrument",
            "choice",
            _l("Instrument"),
            required=True,
            choices={"ordinance": _l("Ordinance (regional or municipal)"), "resolution": _l("Resolution")},
            default="ordinance",
            legal={"ordinance": "Ordenanza", "resolution": "Resolución"},
            admin_column=False,
        ),
        Field(
            "number",
            "text",
            _l("Number"),
            max_length=160,
            help=_l(
                "Type the council's sequence number (e.g. 8) to write it by the government's pattern, "
                "or the full number as the government writes it."
            ),
        ),
        Field(
            "session_kind",
            "choice",
            _l("Council session"),
            required=True,
            choices={"ordinary": _l("Ordinary"), "extraordinary": _l("Extraordinary")},
            default="ordinary",
            legal=m.SESSION_KINDS,
            admin_column=False,
        ),
        Field("session_date", "date", _l("Session date")),
        Field("visto", "long_text", _l("VISTO (what the council saw)"), max_length=20000),
        Field("approval_date", "date", _l("Approval date")),
        Field(
            "approval_vote",
            "choice",
            _l("Vote"),
            choices={"unanimous": _l("Unanimous"), "majority": _l("By majority")},
            legal=m.VOTES,
            admin_column=False,
        ),
        Field(
            "approval_vote_detail",
            "text",
            _l("Vote detail"),
            max_length=200,
            help=_l("For example: 7 votes in favour, 1 abstention."),
            admin_column=False,
        ),
        Field("promulgation_date", "date", _l("Promulgation date"), admin_column=False),
        Field("publication_date", "date", _l("Publication date")),
        Field(
            "publication_medium",
            "text",
            _l("Publication medium"),
            max_length=200,
            help=_l("For example: Diario Oficial El Peruano."),
        ),
        Field(
            "signatory_name",
            "text",
            _l("Signed by"),
            max_length=200,
            help=_l("Name printed under the closing formula; empty: the president of the body."),
            admin_column=False,
        ),
        Field("instrument_name", "text", _l("Instrument"), output=lambda o: o.instrument_name, nullable_output=False),
        Field("text_frozen", "boolean", _l("Text frozen"), output=lambda o: o.text_frozen, nullable_output=False),
    ],
    checks=[
        _not_before("session_date", "approval_date", _l("The approval cannot precede the session.")),
        _not_before("approval_date", "promulgation_date", _l("The promulgation cannot precede the approval.")),
        _not_before("approval_date", "publication_date", _l("The publication cannot precede the approval.")),
        _not_before("promulgation_date", "publication_date", _l("The publication cannot precede the promulgation.")),
    ],
)

# --- the ordinance's clauses ----------------------------------------------------------------------------

KIND_CHOICES = {"considering": _l("CONSIDERANDO clause"), "article": _l("Article")}
SUBJECT_CHOICES = {
    "participants": _l("Participants"),
    "organization": _l("Organization"),
    "direction": _l("Direction (technical secretariat or office)"),
    "plan": _l("Approval of the objectives and goals of the Plan Articulado"),
    "other": _l("Other matters"),
}


def _heading(clause: OrdinanceClause) -> str | None:
    if clause.kind != "article":
        return None
    articles = clause.ordinance.articles
    return article_heading(articles.index(clause) + 1, len(articles)) if clause in articles else None


CLAUSE = RecordFields(
    "clause",
    [
        Field(
            "kind",
            "choice",
            _l("Kind"),
            choices=KIND_CHOICES,
            default="article",
            nullable_output=False,
            legal={"considering": "Considerando", "article": "Artículo"},
        ),
        Field("position", "integer", _l("Position"), output=lambda c: c.position, nullable_output=False),
        Field("heading", "text", _l("Heading"), output=_heading),
        Field(
            "subject",
            "choice",
            _l("What the article is about"),
            choices=SUBJECT_CHOICES,
            legal=m.ARTICLE_SUBJECTS,
            admin_filter=True,
        ),
        Field(
            "text",
            "long_text",
            _l("Text"),
            required=True,
            max_length=20000,
            required_message=_l("The text cannot be empty."),
            nullable_output=False,
            admin_search=True,
        ),
        Field("generated", "boolean", _l("Pre-filled"), output=lambda c: c.generated, nullable_output=False),
    ],
)

# --- the forms made of them -----------------------------------------------------------------------------

#: The type forms the engine adds to its case create and edit pages (no version: the engine's own).
BodyForm = BODY.form_class(Form, versioned=False)
OrdinanceForm = ORDINANCE.form_class(Form, versioned=False)
MemberForm = MEMBER.form_class(FlaskForm)
#: The clause form: the kind comes from the page's address, not the form.
ClauseForm = CLAUSE.form_class(FlaskForm, exclude=("kind",))


class VersionForm(FlaskForm):
    """The small POST forms (delete, move, refresh, a new ordinance): CSRF and the case version only."""

    version = HiddenField()


def member_form(body: ArticulationBody, *args: Any, **kwargs: Any) -> FlaskForm:
    """The member form, its categories those of the body's level."""
    form = MemberForm(*args, **kwargs)
    form.category_id.choices = [(c.id, c.name) for c in categories_for(body.government.kind)]
    return form
