"""Hook bodies of the dashboards sub-package, called by the plugin's root (plugins/monitoring/__init__.py).

Imports stay inside the functions: importing the plugin must not map its tables."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

#: The quarterly deadline of the report: working days after each quarter's end (an administrator may
#: change it in the deadline rules' admin: ``days``); the report's submission meets it.
QUARTERLY_RULE = "monitoring.quarterly_report"
QUARTERLY_WORKING_DAYS = 15


def area() -> tuple[Any, str, Any]:
    return (
        _l("Dashboards"),
        "monitoring_dashboards.home",
        _l("Each indicator against its goal: per government, region and country; the quarterly follow-up report."),
    )


def case_types() -> list[Any]:
    from core.cases import CaseType
    from plugins.monitoring.dashboards import api
    from plugins.monitoring.dashboards.models import QuarterlyReport

    return [
        CaseType(
            key="quarterly_report",
            model=QuarterlyReport,
            label=_l("Quarterly follow-up report"),
            workflow="quarterly_report",
            stage="monitoring",
            reference_pattern="ITS-{seq:03d}-{year}-{acronym}",
            detail_template="monitoring/dashboards/case_report.html",
            serialize=api.report_json,
        )
    ]


def permission_actions() -> dict[str, Any]:
    from plugins.monitoring.dashboards.operations import may_edit

    return {"monitoring.quarterly_report.edit": may_edit}


def register_operations() -> list[Any]:
    from plugins.monitoring.dashboards.operations import OPERATIONS

    return OPERATIONS


def register_blueprints(app: Any) -> None:
    from plugins.monitoring.dashboards import documents, pages

    app.register_blueprint(pages.bp)
    documents.register()


def register_api(api: Any) -> None:
    from plugins.monitoring.dashboards.api import register

    register(api)


def after_transition(case: Any, transition: Any, user: Any) -> None:
    from plugins.monitoring.dashboards.operations import send_report

    if case.type == "quarterly_report" and transition.target == "sent":
        send_report(case, user)


def deadline_rules() -> list[dict[str, Any]]:
    return [
        {
            "key": QUARTERLY_RULE,
            "label": "Informe Trimestral de Seguimiento",
            "label_en": "Quarterly follow-up report",
            "description": "Norma Técnica N° 001-2008, 5.1.4 y 5.2.4: seguimiento de las metas. El gobierno local "
            "remite su informe al gobierno regional y este a la ST-CIAS, dentro de los días hábiles siguientes "
            "al fin de cada trimestre.",
            "kind": "quarterly",
            "days": QUARTERLY_WORKING_DAYS,
            "level": "all",
        }
    ]


def stage_status(governments: list[Any], year: int) -> list[dict[str, Any]]:
    """Stage 4 on the region's support page: how many of the year's four quarterly follow-up reports each
    government has sent (one grouped query for all of them)."""
    from flask_babel import gettext as _
    from sqlalchemy import func, select

    from core.extensions import db
    from plugins.monitoring.dashboards.models import QuarterlyReport

    ids = [government.id for government in governments]
    sent = dict(
        db.session.execute(
            select(QuarterlyReport.government_id, func.count(QuarterlyReport.id))
            .where(
                QuarterlyReport.government_id.in_(ids),
                QuarterlyReport.year == year,
                QuarterlyReport.state == "sent",
            )
            .group_by(QuarterlyReport.government_id)
        ).all()
    )
    cells = []
    for government_id in ids:
        count = sent.get(government_id, 0)
        cells.append(
            {
                "government_id": government_id,
                "stage": "monitoring",
                "label": _("Quarterly reports %(year)s: %(sent)s of 4 sent", year=year, sent=count),
                "status": "done" if count >= 4 else "in_progress" if count else "missing",
            }
        )
    return cells


def demo_data(app: Any) -> None:
    from plugins.monitoring.dashboards.demo import load

    load(app)


def register_admin_views(admin: Any) -> None:
    from plugins.monitoring.dashboards.admin import register

    register(admin)
