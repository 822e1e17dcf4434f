"""Fields of the yearly evaluation, its appraisals and goal adjustments, declared once (core.fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.fields import Field, RecordFields

EVALUATION = RecordFields(
    "plan_evaluation",
    [
        Field("lessons", "long_text", _l("Lessons learned"), max_length=20000, admin_column=False),
        Field("conclusions", "long_text", _l("Conclusions"), max_length=20000, admin_column=False),
    ],
)
APPRAISAL = RecordFields(
    "result_appraisal",
    [
        Field("efficacy", "long_text", _l("Efficacy"), help=_l("Were the result's goals reached?"), max_length=8000),
        Field("efficiency", "long_text", _l("Efficiency"), help=_l("How were the resources used?"), max_length=8000),
        Field(
            "effectiveness",
            "long_text",
            _l("Effectiveness"),
            help=_l("What effect did the interventions have on the population?"),
            max_length=8000,
        ),
    ],
)
ADJUSTMENT = RecordFields(
    "goal_adjustment",
    [
        Field("target", "decimal", _l("Adjusted goal"), required=True, places=4),
        Field("justification", "long_text", _l("Justification"), required=True, max_length=8000),
    ],
)
