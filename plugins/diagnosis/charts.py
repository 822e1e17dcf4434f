"""Charts of the diagnosis report, drawn by matplotlib (Agg, no display) as SVG ``data:`` URIs.

A ``data:`` URI is the one kind of external resource the documents' URL fetcher lets through
besides packaged assets, so a chart needs no file on disk and no network.
"""

from __future__ import annotations

from decimal import Decimal

from core.charts import data_uri as _data_uri
from core.charts import drawing as _lock
from core.charts import pyplot as _pyplot
from core.values import format_number


def indicator_by_district(
    title: str, unit: str, rows: list[tuple[str, Decimal]], reference: tuple[str, Decimal] | None
) -> str:
    """Horizontal bars: the indicator in each district, with the regional (or provincial) value as a line."""
    plt = _pyplot()
    names = [name for name, _ in rows]
    values = [float(value) for _, value in rows]  # floats only to draw: the tables print the Decimals
    with _lock:
        # capped so that 84 districts still fit a portrait page (the document also caps the image's height)
        height = min(8.5, max(1.6, 0.22 * len(rows) + 0.9))
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


#: Above this many districts one bar per district no longer fits a page legibly (a region has up to 84):
#: the chart shows how many districts have 0, 1, 2… programs instead; the table lists every district.
MAX_DISTRICT_BARS = 30


def programs_per_district(rows: list[tuple[str, int]]) -> str | None:
    """How many social programs intervene in each district (the Mapa de Coincidencias at a glance).

    None when no program was recorded anywhere: an empty chart says nothing (the report says so in
    words). With more than ``MAX_DISTRICT_BARS`` districts, the distribution of districts by number
    of programs, so that the figure always fits one page.
    """
    if not rows or not any(count for _, count in rows):
        return None
    plt = _pyplot()
    with _lock:
        if len(rows) > MAX_DISTRICT_BARS:
            figure, axes = plt.subplots(figsize=(6.6, 3.2))
        else:
            figure, axes = plt.subplots(figsize=(6.6, max(1.6, 0.2 * len(rows) + 0.9)))
        try:
            if len(rows) > MAX_DISTRICT_BARS:
                counts = [count for _, count in rows]
                levels = list(range(0, max(counts) + 1))
                districts = [counts.count(level) for level in levels]
                colors = ["#a4161a" if level == 0 else "#1f6f3f" for level in levels]
                axes.bar([str(level) for level in levels], districts, color=colors)
                axes.set_xlabel("Programas sociales que intervienen en el distrito")
                axes.set_ylabel("Distritos")
                axes.yaxis.get_major_locator().set_params(integer=True)
            else:
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
