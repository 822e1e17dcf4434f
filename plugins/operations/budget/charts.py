"""Execution charts of the alignment report, drawn like the diagnosis report's (plugins/diagnosis/charts.py:
matplotlib Agg, SVG ``data:`` URIs the document workers accept, one figure at a time per process)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from core.charts import data_uri as _data_uri
from core.charts import drawing as _lock
from core.charts import pyplot as _pyplot


def planned_vs_allocated(rows: list[tuple[str, Decimal, Decimal, Decimal]]) -> str | None:
    """Grouped horizontal bars per result: planned, PIM and devengado (drawn once per set of figures)."""
    return _planned_vs_allocated(tuple(rows))


def execution_by_quarter(rows: list[tuple[str, Decimal, Decimal]]) -> str | None:
    """PIM and devengado per quarter (drawn once per set of figures)."""
    return _execution_by_quarter(tuple(rows))


# Drawing a chart costs a few hundred milliseconds, more than the rest of the report's context: the same
# figures (an unchanged budget asked for again, by the page and the API) reuse the drawing.
@lru_cache(maxsize=64)
def _planned_vs_allocated(rows: tuple[tuple[str, Decimal, Decimal, Decimal], ...]) -> str | None:
    """Grouped horizontal bars per result: planned (plan matrix), PIM and devengado, in thousands of soles."""
    if not rows:
        return None
    plt = _pyplot()
    names = [name if len(name) <= 45 else name[:44] + "…" for name, *_ in rows]
    with _lock:
        figure, axes = plt.subplots(figsize=(6.6, max(1.8, 0.55 * len(rows) + 0.9)))
        try:
            positions = list(range(len(rows)))
            height = 0.27
            for offset, index, label, color in (
                (-height, 1, "Presupuesto del plan", "#9aa5b1"),
                (0, 2, "PIM", "#1f6f3f"),
                (height, 3, "Devengado", "#8a1c1c"),
            ):
                values = [float(row[index]) / 1000 for row in rows]  # floats only to draw
                axes.barh([p + offset for p in positions], values, height=height, label=label, color=color)
            axes.set_yticks(positions, names)
            axes.invert_yaxis()
            axes.set_xlabel("Miles de soles")
            axes.legend(fontsize=7, loc="lower right")
            axes.spines[["top", "right"]].set_visible(False)
            return _data_uri(figure)
        finally:
            plt.close(figure)


@lru_cache(maxsize=64)
def _execution_by_quarter(rows: tuple[tuple[str, Decimal, Decimal], ...]) -> str | None:
    """PIM and devengado per quarter (columns), in thousands of soles."""
    if not any(pim or accrued for _name, pim, accrued in rows):
        return None
    plt = _pyplot()
    with _lock:
        figure, axes = plt.subplots(figsize=(6.6, 2.6))
        try:
            positions = list(range(len(rows)))
            axes.bar(
                [p - 0.2 for p in positions],
                [float(r[1]) / 1000 for r in rows],
                width=0.4,
                label="PIM",
                color="#1f6f3f",
            )
            axes.bar(
                [p + 0.2 for p in positions],
                [float(r[2]) / 1000 for r in rows],
                width=0.4,
                label="Devengado",
                color="#8a1c1c",
            )
            axes.set_xticks(positions, [r[0] for r in rows])
            axes.set_ylabel("Miles de soles")
            axes.legend(fontsize=7)
            axes.spines[["top", "right"]].set_visible(False)
            return _data_uri(figure)
        finally:
            plt.close(figure)
