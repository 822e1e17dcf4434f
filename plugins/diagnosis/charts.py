"""Charts of the diagnosis report, drawn by matplotlib (Agg, no display) as SVG ``data:`` URIs.

A ``data:`` URI is the one kind of external resource the documents' URL fetcher lets through
besides packaged assets, so a chart needs no file on disk and no network.
"""

from __future__ import annotations

import base64
import io
import threading
from decimal import Decimal

from core.values import format_number

# pyplot keeps global state: one figure at a time per process.
_lock = threading.Lock()


def _pyplot():  # noqa: ANN202
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"})
    import matplotlib.pyplot as plt

    return plt


def _data_uri(figure) -> str:  # noqa: ANN001
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def indicator_by_district(
    title: str, unit: str, rows: list[tuple[str, Decimal]], reference: tuple[str, Decimal] | None
) -> str:
    """Horizontal bars: the indicator in each district, with the regional (or provincial) value as a line."""
    plt = _pyplot()
    names = [name for name, _ in rows]
    values = [float(value) for _, value in rows]  # floats only to draw: the tables print the Decimals
    with _lock:
        height = max(1.6, 0.22 * len(rows) + 0.9)
        figure, axes = plt.subplots(figsize=(6.6, height))
        try:
            bars = axes.barh(names, values, color="#8a1c1c" if not reference else "#b5685f")
            if reference is not None:
                label, value = reference
                axes.axvline(float(value), color="#1d2733", linestyle="--", linewidth=1.2)
                text = f" {label}: {format_number(value)}"
                axes.text(float(value), -0.7, text, va="top", fontsize=8, color="#1d2733")
                for bar, v in zip(bars, values, strict=False):
                    if v > float(value):
                        bar.set_color("#8a1c1c")
            axes.invert_yaxis()
            axes.set_xlabel(unit or "")
            axes.set_title(title, fontsize=9, loc="left")
            axes.spines[["top", "right"]].set_visible(False)
            return _data_uri(figure)
        finally:
            plt.close(figure)


def programs_per_district(rows: list[tuple[str, int]]) -> str:
    """How many social programs intervene in each district (the Mapa de Coincidencias at a glance)."""
    plt = _pyplot()
    with _lock:
        figure, axes = plt.subplots(figsize=(6.6, max(1.6, 0.22 * len(rows) + 0.9)))
        try:
            counts = [count for _, count in rows]
            colors = ["#a4161a" if c == 0 else "#1f6f3f" for c in counts]
            axes.barh([name for name, _ in rows], counts, color=colors)
            axes.invert_yaxis()
            axes.set_xlabel("Programas sociales que intervienen")
            axes.xaxis.get_major_locator().set_params(integer=True)
            axes.spines[["top", "right"]].set_visible(False)
            return _data_uri(figure)
        finally:
            plt.close(figure)
