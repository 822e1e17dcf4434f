"""WTForms of the platform's own pages; labels and messages go through Babel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail.")), Email(_l("Enter a valid e-mail address."))],
        filters=[_strip],  # phone keyboards add a space after an autocompleted address
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter your name.")), Length(max=160)])
    locale = SelectField(_l("Language"), choices=[("es", "Español"), ("en", "English")])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(min=10, message=_l("The password must have at least 10 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[EqualTo("new", _l("The passwords do not match."))]
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(_l("Give the token a name.")), Length(max=80)])
