"""Demo measurements and targets (``articula demo load``): Huánuco's region, the Municipalidad Provincial de
Huánuco and Amarilis, for 2006–2008 (the demo plans' year, 2008) and the four quarters of 2008.

Each value respects its source's valid level (Figure 03): the region's from the surveys (ENAHO, ENDES,
MONIN) and RENIEC, the province's and the districts' from the registries (SIEN, HIS, CNV, RENIEC), with
numerators and denominators, so the province's value is also computed from its districts. Every value is
illustrative, not official, labelled as demo. It goes through the import operation (one CSV, as a team
would upload it) and the target operations; loading it again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Case, Government, Territory, User
from core.operations import run

YEARS = (2006, 2007, 2008)
QUARTER_YEAR = 2008
NOTE = "Dato de demostración (ilustrativo, no oficial)."
#: indicator → (source at the department, source at the province and districts, base %, yearly change, quarterly)
PLAN = {
    "1": ("ENAHO", None, 64.0, -3.0, False),
    "2": ("ENDES", "SIEN", 38.0, -2.0, True),
    "3": ("ENDES", "HIS", 18.0, -1.0, False),
    "4": ("MONIN", "SIEN", 58.0, -3.0, True),
    "5": ("ENDES", "CNV", 9.0, -0.4, False),
    "6": ("ENDES", "HIS", 62.0, 3.0, False),
    "7": ("ENDES", "HIS", 22.0, -1.5, True),
    "8": ("ENDES", "HIS", 16.0, -1.0, True),
    "9": ("RENIEC", "RENIEC", 71.0, 6.0, False),
}
#: the population each indicator's denominator counts (per district, before the stable variation)
DENOMINATOR = {"2": 2400, "3": 900, "4": 700, "5": 900, "6": 700, "7": 700, "8": 700, "9": 9000}


def _n(seed: str, low: int, high: int) -> int:
    """A stable pseudo-random number: the demo is the same on every machine."""
    return low + int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % (high - low + 1)


def _value(indicator: str, ubigeo: str, year: int, quarter: int = 0) -> float:
    _d, _l, base, change, _q = PLAN[indicator]
    value = base + change * (year - YEARS[0]) + _n(f"{indicator}{ubigeo}{year}{quarter}", -20, 20) / 10
    factor = 1000 if indicator == "3" else 100
    return max(0.5, min(value, factor - 1))


def _rows(districts: list[str]) -> list[dict[str, Any]]:
    rows = []
    periods = [(str(y), y, 0) for y in YEARS] + [(f"{QUARTER_YEAR}-T{q}", QUARTER_YEAR, q) for q in range(1, 5)]
    for indicator, (region_source, local_source, _base, _change, quarterly) in PLAN.items():
        for period, year, quarter in periods:
            if quarter and not quarterly:
                continue
            measures = ("pobreza", "pobreza_extrema") if indicator == "1" else ("",)
            for measure in measures:
                value = _value(indicator, "100000", year, quarter) * (0.45 if measure == "pobreza_extrema" else 1)
                source = "MONIN" if indicator == "4" and quarter else ("ENDES" if indicator == "4" else region_source)
                rows.append(
                    {
                        "ubigeo": "100000",
                        "indicador": indicator,
                        "medida": measure,
                        "periodo": period,
                        "fuente": source,
                        "valor": f"{value:.1f}",
                    }
                )
            if local_source is None:
                continue
            for ubigeo in districts:
                denominator = DENOMINATOR[indicator] * _n(f"den{indicator}{ubigeo}", 40, 160) // 100
                factor = 1000 if indicator == "3" else 100
                numerator = round(denominator * _value(indicator, ubigeo, year, quarter) / factor)
                rows.append(
                    {
                        "ubigeo": ubigeo,
                        "indicador": indicator,
                        "periodo": period,
                        "fuente": local_source,
                        "numerador": str(numerator),
                        "denominador": str(denominator),
                    }
                )
            # the province's own registry total, reported at its level (beside the computed one)
            value = _value(indicator, "100100", year, quarter)
            rows.append(
                {
                    "ubigeo": "100100",
                    "indicador": indicator,
                    "periodo": period,
                    "fuente": local_source,
                    "valor": f"{value:.1f}",
                }
            )
    return rows


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    columns = ["ubigeo", "indicador", "medida", "periodo", "fuente", "valor", "numerador", "denominador", "notas"]
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "notas": NOTE})
    return out.getvalue().encode()


def load(app: Any) -> None:
    region = db.session.scalar(select(Government).where(Government.kind == "regional", Government.ubigeo == "100000"))
    if region is None:
        return
    team = db.session.scalar(select(User).where(User.email == "equipo.regional@huanuco.demo"))
    province = db.session.scalar(select(Territory).where(Territory.ubigeo == "100100"))
    districts = sorted(db.session.scalars(select(Territory.ubigeo).where(Territory.parent_id == province.id)))
    run(
        "monitoring.measurements.import",
        team,
        {"filename": "demo.csv", "content": _csv(_rows(districts)), "demo": True},
    )
    _targets()
    db.session.commit()


def _targets() -> None:
    """The approved demo plans' goals become targets; the plan indicator of chronic malnutrition is linked first."""
    from plugins.diagnosis.models import Plan, PlanIndicator, PlanResult
    from plugins.monitoring.indicators.models import PlanIndicatorLink, Target
    from plugins.monitoring.indicators.operations import APPROVED_PLAN_STATES

    plans = db.session.scalars(
        select(Plan)
        .join(Government, Government.id == Case.government_id)
        .where(Government.ubigeo.in_(("100000", "100100", "100102")), Case.state.in_(APPROVED_PLAN_STATES))
    ).all()
    for plan in plans:
        coordinator = db.session.scalar(
            select(User).where(
                User.email
                == {
                    "regional": "coordinador.regional@huanuco.demo",
                    "provincial": "coordinador.provincial@huanuco.demo",
                }.get(plan.government.kind, "coordinador.amarilis@huanuco.demo")
            )
        )
        for indicator in db.session.scalars(
            select(PlanIndicator)
            .join(PlanResult)
            .where(PlanResult.plan_id == plan.id, PlanIndicator.name.ilike("%desnutrición crónica%"))
        ):
            linked = db.session.scalar(
                select(PlanIndicatorLink.id).where(PlanIndicatorLink.plan_indicator_id == indicator.id)
            )
            if linked is None:
                run(
                    "monitoring.plan_indicator.link", coordinator, {"plan_indicator_id": indicator.id, "indicator": "2"}
                )
        run("monitoring.targets.from_plan", coordinator, {"plan_id": plan.id})
    amarilis = db.session.scalar(select(Government).where(Government.kind == "district", Government.ubigeo == "100102"))
    adjusted = db.session.scalar(
        select(Target.id).where(
            Target.government_id == amarilis.id, Target.origin == "adjustment", Target.demo.is_(True)
        )
    )
    if amarilis is not None and adjusted is None:
        coordinator = db.session.scalar(select(User).where(User.email == "coordinador.amarilis@huanuco.demo"))
        run(
            "monitoring.target.adjust",
            coordinator,
            {
                "government_id": amarilis.id,
                "year": "2008",
                "indicator": "2",
                "value": "30",
                "justification": "Evaluación anual 2008 (demostración): el SIEN registró un aumento de casos por la "
                "helada de julio; la meta se ajusta con el acuerdo de la Instancia de Articulación Local.",
                "approved_by": "Pedro Rojas Villanueva, coordinador de la Instancia de Articulación Local",
                "approved_on": "2008-12-15",
                "demo": True,
            },
        )
