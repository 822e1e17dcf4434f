"""Benchmark of the Ventanilla CRECER (issue 10):

- the public form (``/ventanilla?distrito=…``) and the tracking page (``/ventanilla/seguimiento?codigo=…``)
  against a bare Flask view rendering the same template with the same context built once, without the
  database (goal: at least 0.5× its rate), interleaved rounds in this one run;
- the staff registry with ``BENCH_VENTANILLA_ENTRIES`` entries (500,000 by default) across the offices: the SQL
  statements per page are the same as with a hundred, filters included, and the filtered queries use indexes
  (SQLite's query plan shows no full scan of the entries).

``run() -> list[str]`` is called by benchmarks/run.py (``make bench``);
alone: ``python benchmarks/bench_ventanilla.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENTRIES = int(os.environ.get("BENCH_VENTANILLA_ENTRIES", "500000"))
ROUNDS = int(os.environ.get("BENCH_VENTANILLA_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_VENTANILLA_SECONDS", "1"))
AMARILIS = "100102"


def _app():  # noqa: ANN202
    from flask_migrate import upgrade

    from core.app import create_app
    from core.database import writing
    from core.demo import load_demo
    from core.seed import load_all
    from core.territories import load_territories

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='articula-bench-ventanilla-')) / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
        load_demo(app)
    return app


def _rate(client, path: str) -> float:  # noqa: ANN001
    """Requests per second of ``path`` for SECONDS (one client, in-process: the app's own cost)."""
    done, end = 0, time.perf_counter() + SECONDS
    while time.perf_counter() < end:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        done += 1
    return done / SECONDS


def _bare_views(app) -> None:  # noqa: ANN001
    """Views that render the public templates with a context computed once: the page minus the database."""
    from flask import render_template
    from flask_wtf import FlaskForm

    from core.extensions import db
    from plugins.monitoring.ventanilla import codes
    from plugins.monitoring.ventanilla.fields import ENTRY
    from plugins.monitoring.ventanilla.models import VentanillaEntry
    from plugins.monitoring.ventanilla.public import _place_context, public_events

    with app.test_request_context(f"/ventanilla?distrito={AMARILIS}"):
        form_context = _place_context()
        form_class = ENTRY.form_class(FlaskForm, versioned=False)
        choices = {name: list(getattr(form_class(), name).choices) for name in ("program_id", "institution_id")}
        entry = db.session.scalar(db.select(VentanillaEntry).order_by(VentanillaEntry.id))
        track_context = {
            "entry": entry,
            "raw": codes.display(entry.code),
            "message": None,
            "events": public_events(entry),
            "code": codes.display(entry.code),
        }
        _ = (entry.office.government.name, [e.kind for e in entry.events])  # loaded once, kept

    def bare_form() -> str:
        form = form_class(formdata=None)
        for name, values in choices.items():
            getattr(form, name).choices = values  # the catalogs' choices, read once
        return render_template("monitoring/ventanilla/public_form.html", form=form, **form_context)

    def bare_track() -> str:
        return render_template("monitoring/ventanilla/public_track.html", **track_context)

    app.add_url_rule("/_bench/form", "bench_bare_form", bare_form)
    app.add_url_rule("/_bench/track", "bench_bare_track", bare_track)
    return codes.display(entry.code)


def public_pages(app) -> list[str]:  # noqa: ANN001
    code = _bare_views(app)
    client = app.test_client()
    pairs = [
        ("formulario público", f"/ventanilla?distrito={AMARILIS}", "/_bench/form"),
        ("seguimiento por código", f"/ventanilla/seguimiento?codigo={code}", "/_bench/track"),
    ]
    lines = []
    for label, ours, bare in pairs:
        for path in (ours, bare):
            client.get(path)  # warm-up
        ratios = []
        for _ in range(ROUNDS):
            ratios.append(_rate(client, ours) / _rate(client, bare))
        ratio = statistics.median(ratios)
        verdict = "cumple" if ratio >= 0.5 else "NO CUMPLE"
        lines.append(f"  ventanilla: {label}: {ratio:.2f}× la vista Flask sin base de datos (meta ≥ 0.5×) — {verdict}")
    return lines


def _grow(app, n: int) -> None:  # noqa: ANN001
    from sqlalchemy import insert, select

    from core.database import writing
    from core.extensions import db
    from core.models import SocialProgram, Territory
    from plugins.monitoring.ventanilla.models import VentanillaEntry, VentanillaOffice

    with app.app_context(), writing():
        offices = db.session.execute(select(VentanillaOffice.id, VentanillaOffice.government_id)).all()
        place = db.session.scalar(select(Territory.id).where(Territory.ubigeo == AMARILIS))
        programs = db.session.scalars(select(SocialProgram.id).limit(20)).all()
        start = datetime(2024, 1, 1)
        batch = []
        for i in range(n):
            office_id, government_id = offices[i % len(offices)]
            batch.append(
                {
                    "code": f"B{i:09d}"[:16],
                    "office_id": office_id,
                    "origin_office_id": office_id,
                    "government_id": government_id,
                    "origin_government_id": government_id,
                    "channel": "online",
                    "kind": ("consulta", "opinion", "pedido", "sugerencia")[i % 4],
                    "program_id": programs[i % len(programs)],
                    "place_id": place,
                    "description": "Entrada de carga",
                    "emergency": i % 97 == 0,
                    "status": ("registered", "referred", "answered", "closed")[i % 4],
                    "due_date": (start + timedelta(minutes=i)).date(),
                    "escalated": False,
                    "recurrent": i % 13 == 0,
                    "consent": False,
                    "created_at": start + timedelta(minutes=i),
                    "version": 1,
                }
            )
            if len(batch) == 20000:
                db.session.execute(insert(VentanillaEntry), batch)
                batch = []
        if batch:
            db.session.execute(insert(VentanillaEntry), batch)
        db.session.commit()


def registry_at_scale(app) -> list[str]:  # noqa: ANN001
    from sqlalchemy import text

    from core.database import QueryCounter
    from core.extensions import db

    client = app.test_client()
    client.post("/ingresar", data={"email": "supervisor@stcias.demo", "password": "crecer-demo-2008"})
    paths = [
        "/seguimiento/ventanilla/?per_page=50",
        "/seguimiento/ventanilla/?kind=pedido&status=referred&per_page=50",
        "/seguimiento/ventanilla/?overdue=1&emergency=1&per_page=50",
        "/seguimiento/ventanilla/?recurrent=1&page=20&per_page=50",
    ]

    def counts() -> list[int]:
        with app.app_context():
            engine = db.engine
        result = []
        for path in paths:
            client.get(path)
            with QueryCounter(engine) as counter:
                assert client.get(path).status_code == 200, path
            result.append(counter.count)
        return result

    small = counts()
    begin = time.perf_counter()
    _grow(app, ENTRIES)
    grown = time.perf_counter() - begin
    large = counts()
    timings = []
    for path in paths:
        begin = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - begin)
    with app.app_context():
        plan = " ".join(
            str(row[-1])
            for row in db.session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM ventanilla_entry WHERE office_id = 1 AND status = 'referred' "
                    "ORDER BY created_at DESC LIMIT 50"
                )
            )
        )
    same = "cumple" if small == large else "NO CUMPLE"
    return [
        f"  ventanilla: registro con {ENTRIES:,} entradas (cargadas en {grown:.0f} s): sentencias SQL por página "
        f"{small} → {large} — {same}",
        "  ventanilla: tiempo por página a escala: " + ", ".join(f"{t * 1000:.0f} ms" for t in timings),
        f"  ventanilla: plan del filtro por Ventanilla y estado: {plan}",
    ]


def run() -> list[str]:
    app = _app()
    return ["Ventanilla CRECER (issue 10)", *public_pages(app), *registry_at_scale(app)]


if __name__ == "__main__":
    print("\n".join(run()))
