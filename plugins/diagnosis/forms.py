"""The case types' own fields on the core's create/edit pages, and the upload form.

The matrix and the diagnosis instruments are edited on the plugin's pages (views.py), whose
posted values go through the same checks as the API's (matrix.py, instruments.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from plugins.diagnosis.labels import APPROVAL_INSTRUMENT_LABELS
from plugins.diagnosis.models import MAX_TEXT

LONG = [Optional(), Length(max=MAX_TEXT, message=_l("At most %(max)d characters."))]


class DiagnosisForm(FlaskForm):
    summary = TextAreaField(_l("General characterization"), validators=LONG)
    methodology = TextAreaField(_l("Sources and methodology"), validators=LONG)


class PlanForm(FlaskForm):
    background = TextAreaField(_l("Background (Antecedentes)"), validators=LONG)
    justification = TextAreaField(_l("Justification"), validators=LONG)
    general_objective = TextAreaField(
        _l("General objective"),
        validators=LONG,
        description=_l("Left empty, the plan starts with the CRECER objective."),
    )
    specific_objectives = TextAreaField(_l("Specific objectives"), validators=LONG)
    alignment_pdc = TextAreaField(_l("Alignment with the Plan de Desarrollo Concertado"), validators=LONG)
    alignment_participatory_budget = TextAreaField(_l("Alignment with the Presupuesto Participativo"), validators=LONG)
    alignment_institutional = TextAreaField(_l("Alignment with institutional plans"), validators=LONG)
    approval_instrument = SelectField(
        _l("Approved by"),
        choices=[("", "—")] + list(APPROVAL_INSTRUMENT_LABELS.items()),
        validators=[Optional()],
    )
    approval_number = StringField(_l("Number of the ordinance or resolution"), validators=[Optional(), Length(max=120)])
    approval_date = DateField(_l("Date of approval"), validators=[Optional()])


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
