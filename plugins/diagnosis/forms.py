"""The case types' own fields on the core's create/edit pages (generated from fields.py), and the
upload form.

The matrix and the diagnosis instruments are edited on the plugin's pages (pages/), whose
posted values go through the operations (operations/), as the API's do.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from plugins.diagnosis.fields import DIAGNOSIS, PLAN

DiagnosisForm = DIAGNOSIS.form_class(FlaskForm, versioned=False)
PlanForm = PLAN.form_class(FlaskForm, versioned=False)


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
