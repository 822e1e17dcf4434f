"""WTForms of the plugin: the type fields of the body and of the ordinance (the case engine adds them
to its create and edit pages). The member and clause forms are generated from the fields declared in
members.py and clauses.py.

Field checks here give the person a message beside the field; models.py checks again on save,
whatever the path, so the API and the admin get the same rules. The choices use the codes of
models.py (ORIGINS, MEMBER_ROLES…); tests/plugins/institutionalization/test_forms.py keeps them in step.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.form import Form
from wtforms.validators import Length, Optional, ValidationError

from core.extensions import db
from core.security import current_scope, writable_government_ids
from plugins.institutionalization.models import ArticulationBody


def strip_or_none(value: Any) -> Any:
    """Empty text is "no value" (NULL), not an empty string."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def not_before(other: str, message: Any):  # noqa: ANN201
    """Validator: this date may not precede the date in field ``other``."""

    def check(form: Form, field: Any) -> None:
        earlier = form[other].data if other in form else None
        if field.data and earlier and field.data < earlier:
            raise ValidationError(message)

    return check


# --- the body's own fields (type form of the case "articulation_body") -------------------------------


class BodyForm(Form):
    origin = SelectField(
        _l("Origin"),
        choices=[
            ("new", _l("New body")),
            ("codeco", _l("Broadens a CODECO (communal development council)")),
            ("poverty_committee", _l("Broadens a Committee for the Fight against Poverty")),
            ("comanagement_committee", _l("Broadens a Co-management Committee")),
            ("other", _l("Broadens another existing body")),
        ],
        default="new",
    )
    origin_name = StringField(
        _l("Name of the existing body"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=300)],
        description=_l("Required when the body broadens an existing one."),
    )
    direction_kind = SelectField(
        _l("Direction"),
        choices=[("technical_secretariat", _l("Technical Secretariat")), ("technical_office", _l("Technical Office"))],
        default="technical_secretariat",
    )
    direction_unit = StringField(
        _l("Office that directs it"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=300)],
        description=_l("For example: Gerencia Regional de Desarrollo Social."),
    )
    has_technical_committee = BooleanField(_l("Has a Technical Committee"))
    monitoring_officer_name = StringField(
        _l("Person responsible for the CRECER monitoring and information system"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=200)],
    )
    monitoring_officer_position = StringField(
        _l("Position of that person"), filters=[strip_or_none], validators=[Optional(), Length(max=200)]
    )
    installation_date = DateField(_l("Installation date"), validators=[Optional()])
    # "10:00" as the browser sends it; "10:00:00" as a stored value posts back (API, scripts)
    installation_start_time = TimeField(
        _l("Installation session: start time"),
        format=["%H:%M", "%H:%M:%S"],
        validators=[Optional()],
        description=_l("Printed in the installation minutes (24-hour clock, e.g. 10:00)."),
    )
    installation_end_time = TimeField(
        _l("Installation session: end time"),
        format=["%H:%M", "%H:%M:%S"],
        validators=[
            Optional(),
            not_before("installation_start_time", _l("The session cannot end before it starts.")),
        ],
    )
    installation_place = StringField(
        _l("Installation place"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=300)],
        description=_l('As the minutes read it after "en": for example, el Auditorio de la sede central.'),
    )
    installation_agreements = TextAreaField(
        _l("Agreements of the installation session"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=20000)],
        description=_l("One agreement per line; printed in the installation minutes."),
    )
    installation_other_attendees = TextAreaField(
        _l("Other attendees of the installation"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=5000)],
        description=_l("Guests who are not members; one per line."),
    )


# --- the ordinance's own fields (type form of the case "ordinance") ---------------------------------


class BodyField(SelectField):
    """The body the ordinance constitutes: those of the governments where the user writes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, coerce=int, **kwargs)
        scope = current_scope()
        query = select(ArticulationBody).order_by(ArticulationBody.id.desc()).limit(500)
        if not scope.is_admin:
            query = query.where(ArticulationBody.government_id.in_(writable_government_ids(scope)))
        self.choices = [(b.id, f"{b.reference} — {b.title}") for b in db.session.scalars(query)]


class OrdinanceForm(Form):
    body_id = BodyField(_l("Coordination body it constitutes"))
    instrument = SelectField(
        _l("Instrument"),
        choices=[("ordinance", _l("Ordinance (regional or municipal)")), ("resolution", _l("Resolution"))],
        default="ordinance",
    )
    number = StringField(
        _l("Number"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=160)],
        description=_l(
            "Type the council's sequence number (e.g. 8) to write it by the government's pattern, "
            "or the full number as the government writes it."
        ),
    )
    session_kind = SelectField(
        _l("Council session"), choices=[("ordinary", _l("Ordinary")), ("extraordinary", _l("Extraordinary"))]
    )
    session_date = DateField(_l("Session date"), validators=[Optional()])
    visto = TextAreaField(_l("VISTO (what the council saw)"), filters=[strip_or_none], validators=[Optional()])
    approval_date = DateField(
        _l("Approval date"),
        validators=[Optional(), not_before("session_date", _l("The approval cannot precede the session."))],
    )
    approval_vote = SelectField(
        _l("Vote"),
        choices=[("", "—"), ("unanimous", _l("Unanimous")), ("majority", _l("By majority"))],
        filters=[strip_or_none],
        validators=[Optional()],
    )
    approval_vote_detail = StringField(
        _l("Vote detail"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=200)],
        description=_l("For example: 7 votes in favour, 1 abstention."),
    )
    promulgation_date = DateField(
        _l("Promulgation date"),
        validators=[Optional(), not_before("approval_date", _l("The promulgation cannot precede the approval."))],
    )
    publication_date = DateField(
        _l("Publication date"),
        validators=[Optional(), not_before("approval_date", _l("The publication cannot precede the approval."))],
    )
    publication_medium = StringField(
        _l("Publication medium"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=200)],
        description=_l("For example: Diario Oficial El Peruano."),
    )
    signatory_name = StringField(
        _l("Signed by"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=200)],
        description=_l("Name printed under the closing formula; empty: the president of the body."),
    )


# --- child records ----------------------------------------------------------------------------------


class VersionForm(FlaskForm):
    """The small POST forms (delete, move, refresh): CSRF and the case version only."""

    version = HiddenField()
