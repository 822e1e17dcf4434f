"""Table of the quarterly follow-up report («Informe Trimestral de Seguimiento»): a case of a government
for a year and quarter, with the team's comments; its figures are read from the dashboards when the PDF
is issued (documents.py), so the issued document keeps them as they were."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Case
from plugins.monitoring.indicators.models import Measurement

QUARTER_NAMES = {1: "primer trimestre", 2: "segundo trimestre", 3: "tercer trimestre", 4: "cuarto trimestre"}


class QuarterlyReport(Case):
    """Informe Trimestral de Seguimiento of a government (its year is the case's ``year``)."""

    __tablename__ = "monitoring_quarterly_report"

    id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, index=True)
    comments: Mapped[str | None] = mapped_column(Text)  # the team's reading of the figures
    difficulties: Mapped[str | None] = mapped_column(Text)  # problems found in the quarter
    next_steps: Mapped[str | None] = mapped_column(Text)  # what the team will do next quarter

    __mapper_args__ = {"polymorphic_identity": "quarterly_report"}

    @property
    def quarter_name(self) -> str:
        return QUARTER_NAMES.get(self.quarter, str(self.quarter))


# The dashboards find each indicator's latest year with data by these (board.py ``_latest_years``): a
# max() over an index prefix, so a region's or the country's table never scans the years stored.
# The first also covers the national table's sums (board.py ``_department_sums``): one indicator's
# district totals of one year are a contiguous range of it, read in GROUP BY order without the table
# (migration 0003_monitoring_totals; it replaced the (indicator_id, year) index of the same use).
Index(
    "ix_monitoring_measurement_year_totals",
    Measurement.indicator_id,
    Measurement.year,
    Measurement.level,
    Measurement.area,
    Measurement.sex,
    Measurement.department,
    Measurement.measure,
    Measurement.period_kind,
    Measurement.period_number,
    Measurement.numerator,
    Measurement.denominator,
)
Index("ix_monitoring_measurement_dept_latest", Measurement.department, Measurement.indicator_id, Measurement.year)
