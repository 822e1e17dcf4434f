"""The body's members on the plugin kit: their fields declared once, and the operations that
write them (``institutionalization.member.add`` / ``.edit`` / ``.remove``).

From :data:`MEMBER` come the page's form, the API's input parser, serializer and OpenAPI
schema, the admin columns and the document rows; pages and API endpoints only call the
operations (core.operations). models.py still checks every member on flush (overlapping
presidents, a person's one seat, the category's level), whatever path writes it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.cases import check_version, editable_by, lock_for_append
from core.extensions import db
from core.fields import Field, RecordFields
from core.models import Institution
from core.operations import Context, Refusal, operation
from core.security import EDIT
from plugins.institutionalization.models import MEMBER_ROLES, ArticulationBody, BodyMember, MemberCategory
from plugins.institutionalization.service import touch

ROLE_CHOICES = {
    "member": _l("Member"),
    "president": _l("President"),
    "technical_secretary": _l("Technical secretary"),
}


def _institutions() -> list[tuple[Any, Any]]:
    rows = db.session.scalars(select(Institution).where(Institution.active.is_(True)).order_by(Institution.position))
    return [(i.id, str(i)) for i in rows]


def _dates_in_order(data: dict[str, Any]) -> list[tuple[str, Any]]:
    start, end = data.get("active_from"), data.get("active_to")
    if start and end and end < start:
        return [("active_to", _("The end date cannot precede the start date."))]
    return []


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
            legal=MEMBER_ROLES,
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
    checks=[_dates_in_order],
)


def member_form(body: ArticulationBody, *args: Any, **kwargs: Any) -> FlaskForm:
    """The member form (generated from MEMBER), its categories those of the body's level."""
    from plugins.institutionalization.composition import categories_for

    form = MemberForm(*args, **kwargs)
    form.category_id.choices = [(c.id, c.name) for c in categories_for(body.government.kind)]
    return form


MemberForm = MEMBER.form_class(FlaskForm)


# --- operations ---------------------------------------------------------------------------------------------


def _government(member: BodyMember) -> Any:
    return member.body.government


def _editable(ctx: Context, body: ArticulationBody, version: Any, *, append: bool = False) -> None:
    """Edit rights in the body's state, and its version unless this adds a member (an append
    conflicts with nobody: core.cases.lock_for_append)."""
    if append:
        lock_for_append(body)
    if not editable_by(body, ctx.scope):
        raise Refusal(_("You cannot change this case in its current state."), 403)
    check_version(body, version, append=append)


def _apply(member: BodyMember, data: dict[str, Any]) -> None:
    for name in MEMBER.input_names:
        if name in data:
            setattr(member, name, data[name])


def _category_by_key(data: dict[str, Any]) -> dict[str, Any]:
    """The category may be given by its key ("category": "regional_president") instead of its id.

    Resolved before the member joins the session: a query would flush it half-filled."""
    key = data.pop("category", None)
    if key is not None:
        category = db.session.scalar(select(MemberCategory).where(MemberCategory.key == str(key)))
        if category is None:
            message = _("Unknown category «%(key)s».", key=key)
            raise Refusal(message, 400, {"category": [message]})
        data["category_id"] = category.id
    return data


@operation("institutionalization.member.add", fields=MEMBER, params=("body_id", "version"))
def add_member(ctx: Context, data: dict[str, Any]) -> BodyMember:
    """Register a member of a coordination body (a person in a category, from a date).

    ``body_id`` and ``version`` (the case version read) besides the member's fields; the category
    may be given by its key (``category``). Refused when the body may not be edited in its state.
    """
    body = ctx.load(ArticulationBody, data.get("body_id"), action=EDIT)
    _editable(ctx, body, data.get("version"), append=True)
    data = _category_by_key(data)
    member = BodyMember(body=body)
    _apply(member, data)
    db.session.add(member)
    touch(body, ctx.user, append=True)
    db.session.flush()
    return member


@operation("institutionalization.member.edit", fields=MEMBER, partial=True, params=("member_id", "version"))
def edit_member(ctx: Context, data: dict[str, Any]) -> BodyMember:
    """Change a member's data, e.g. close their period with ``active_to``; only the fields sent change."""
    member = ctx.load(BodyMember, data.get("member_id"), action=EDIT, government=_government)
    _editable(ctx, member.body, data.get("version"))
    _apply(member, _category_by_key(data))
    touch(member.body, ctx.user)
    db.session.flush()
    return member


@operation("institutionalization.member.remove", params=("member_id", "version"))
def remove_member(ctx: Context, data: dict[str, Any]) -> int:
    """Remove a member recorded by mistake (someone who leaves gets an ``active_to`` date instead).

    Returns the id of the body the member belonged to.
    """
    member = ctx.load(BodyMember, data.get("member_id"), action=EDIT, government=_government)
    body = member.body
    _editable(ctx, body, data.get("version"))
    db.session.delete(member)
    touch(body, ctx.user)
    db.session.flush()
    return body.id


OPERATIONS = [add_member, edit_member, remove_member]
