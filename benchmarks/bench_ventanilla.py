"""Benchmark of the Ventanilla CRECER (issue 10):

- the public form (``/ventanilla?distrito=…``) and the tracking page (``/ventanilla/seguimiento?codigo=…``)
  against a bare Flask view rendering the same template with the same context built once, without the
  database (goal: at least 0.5× its rate), interleaved rounds in this one run;
- the staff registry with ``BENCH_VENTANILLA_ENTRIES`` entries (500,000 by default, bulk-inserted) across the
  offices: the SQL statements per page are the same as with the demo's few, for every filter combination, and
  every statement of every page reads the entries through an index (SQLite's EXPLAIN QUERY PLAN of the
  statements the page really ran shows no full scan). tests/plugins/monitoring/ventanilla/test_scale.py checks
  the same at a small scale.

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
    from plugins.monitoring.ventanilla.public import place_context, public_events

    with app.test_request_context(f"/ventanilla?distrito={AMARILIS}"):
        form_context = place_context()
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
        return render_template(
            "monitoring/ventanilla/public_form.html", form=form, place_ctx=form_context, **form_context
        )

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


#: The registry's filters, alone and combined (OFFICE: the first office's id).
FILTERS = (
    "",
    "kind=pedido",
    "status=referred",
    "kind=pedido&status=referred",
    "program=PROGRAM",
    "emergency=1",
    "recurrent=1",
    "overdue=1",
    "overdue=1&emergency=1",
    "since=2024-03-01&until=2024-03-31",
    "office=OFFICE",
    "office=OFFICE&status=referred",
    "recurrent=1&page=20",
)


def registry_at_scale(app) -> list[str]:  # noqa: ANN001
    """Statements per page for every filter combination, before and after growing to ENTRIES, the time of each
    page at scale, and SQLite's plan of every statement reading the entries (an unindexed full scan fails)."""
    from sqlalchemy import select

    from core.database import QueryCounter, full_scans, table_plans
    from core.extensions import db
    from core.models import SocialProgram
    from plugins.monitoring.ventanilla.models import VentanillaOffice

    with app.app_context():
        engine = db.engine
        office = db.session.scalar(select(VentanillaOffice.id).order_by(VentanillaOffice.id))
        program = db.session.scalar(select(SocialProgram.id).order_by(SocialProgram.id))
    paths = [
        "/seguimiento/ventanilla/?per_page=50&" + f.replace("OFFICE", str(office)).replace("PROGRAM", str(program))
        for f in FILTERS
    ]
    client = app.test_client()
    client.post("/ingresar", data={"email": "supervisor@stcias.demo", "password": "crecer-demo-2008"})

    def measure() -> tuple[list[int], list[float], list[list[str]]]:
        counts, timings, plans = [], [], []
        for path in paths:
            client.get(path)  # warm-up
            with QueryCounter(engine) as counter:
                begin = time.perf_counter()
                assert client.get(path).status_code == 200, path
                timings.append(time.perf_counter() - begin)
            counts.append(counter.count)
            with app.app_context():
                plans.append(table_plans(engine, counter, "ventanilla_entry"))
        return counts, timings, plans

    small, _, _ = measure()
    begin = time.perf_counter()
    _grow(app, ENTRIES)
    grown = time.perf_counter() - begin
    large, timings, plans = measure()
    scans = [(f, full_scans(p, "ventanilla_entry")) for f, p in zip(FILTERS, plans, strict=True)]
    unindexed = [f or "(sin filtro)" for f, found in scans if found]
    same = "cumple" if small == large and len(set(large)) == 1 else "NO CUMPLE"
    lines = [
        f"  ventanilla: registro con {ENTRIES:,} entradas (cargadas en {grown:.0f} s), {len(FILTERS)} combinaciones "
        f"de filtros: sentencias SQL por página {sorted(set(small))} → {sorted(set(large))} — {same}",
        "  ventanilla: filtros que leen las entradas sin índice: "
        + (", ".join(unindexed) if unindexed else "ninguno — cumple"),
        "  ventanilla: tiempo por página a escala (ms): "
        + ", ".join(f"{f or '(sin filtro)'} {t * 1000:.0f}" for f, t in zip(FILTERS, timings, strict=True)),
    ]
    for f, plan in zip(FILTERS, plans, strict=True):
        steps = [step for p in plan for step in p if "ventanilla_entry" in step or "TEMP" in step]
        lines.append(f"    plan {f or '(sin filtro)'}: {' | '.join(dict.fromkeys(steps))}")
    return lines


def run() -> list[str]:
    app = _app()
    return ["Ventanilla CRECER (issue 10)", *public_pages(app), *registry_at_scale(app)]


if __name__ == "__main__":
    print("\n".join(run()))
