"""Pages of stage 2 (one blueprint, ``diagnosis``): lists.py (plans list, dashboard widget, case
summaries), diagnosis.py (the diagnosis's instruments), plan.py (the Plan Articulado's matrix).
common.py holds what they share; importing the modules registers their routes."""

from plugins.diagnosis.pages import diagnosis, lists, plan
from plugins.diagnosis.pages.common import bp
from plugins.diagnosis.pages.lists import dashboard_widget

__all__ = ["bp", "dashboard_widget", "diagnosis", "lists", "plan"]
