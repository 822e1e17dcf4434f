"""Charts drawn on the server by matplotlib (Agg, no display) as SVG: one plotting library for pages and PDFs.

A chart is returned either as a ``data:`` URI (the one kind of external resource the documents' URL
fetcher lets through besides packaged assets, so a PDF chart needs no file and no network) or as inline
``<svg>`` markup for pages. pyplot keeps global state, so drawing holds :data:`drawing` (one figure at a
time per process). Every chart shown on a page must come with its data as a table for screen readers.
"""

from __future__ import annotations

import base64
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Held while a figure is drawn and saved (pyplot is not thread-safe).
drawing = threading.Lock()


def pyplot() -> Any:
    """matplotlib.pyplot configured for server-side SVG (text kept as text, DejaVu Sans, small print)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"})
    import matplotlib.pyplot as plt

    return plt


@contextmanager
def figure(width: float, height: float) -> Iterator[tuple[Any, Any]]:
    """``with figure(6.6, 3) as (fig, axes):`` under the drawing lock; the figure is closed afterwards."""
    plt = pyplot()
    with drawing:
        fig, axes = plt.subplots(figsize=(width, height))
        try:
            yield fig, axes
        finally:
            plt.close(fig)


def svg_bytes(fig: Any) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    # Same figure, same bytes: an issued document's HTML is rendered twice and must match (core.documents.issuing),
    # and drafts are cached by hash; matplotlib otherwise salts its ids randomly and stamps the date.
    with matplotlib.rc_context({"svg.hashsalt": "articula"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(fig: Any) -> str:
    """The figure as an SVG ``data:`` URI, for documents (and ``<img>`` on pages)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_bytes(fig)).decode()


_PROLOGUE = re.compile(rb"^.*?(?=<svg)", re.DOTALL)


def inline_svg(fig: Any, title: str) -> str:
    """The figure as inline ``<svg>`` markup for a page: XML prologue dropped, ``role="img"`` and a title.

    The caller marks it safe (``Markup``); ``title`` is escaped here.
    """
    from markupsafe import escape

    svg = _PROLOGUE.sub(b"", svg_bytes(fig), count=1).decode()
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
