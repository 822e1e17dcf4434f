"""Benchmark of documents, measured in one run: (a) our pipeline (context + Jinja + PDF in the worker
process) against bare WeasyPrint rendering the same HTML (goal ≤ 1.15×), and (b) the download of an
issued document through the app against its first render (goal ≥ 50× faster).

``make bench`` calls ``run()``; ``python benchmarks/bench_documents.py`` runs it alone. It builds a
throw-away SQLite database (migrations, territory, catalogs), a case with custom fields and history.
Bare WeasyPrint runs in a clean Python process of its own, timed inside that process: the app's
process, with its large heap, renders measurably slower and would flatter our pipeline. Timings are
medians of interleaved rounds, so a busy machine slows both sides alike.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_DOCUMENT_ROUNDS", "15"))
DOWNLOADS = int(os.environ.get("BENCH_DOCUMENT_DOWNLOADS", "60"))
PIPELINE_GOAL = 1.15
DOWNLOAD_GOAL = 50.0
PASSWORD = "clave-de-benchmark-123"


#: Bare WeasyPrint, warm and alone: one render per line read; prints each render's seconds.
BARE_WEASYPRINT = """
import logging, sys, time, weasyprint
logging.getLogger("weasyprint").setLevel(logging.ERROR)
html, base = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
for _ in sys.stdin:
    started = time.perf_counter()
    weasyprint.HTML(string=html, base_url=base).write_pdf()
    print(time.perf_counter() - started, flush=True)
"""


class BareWeasyPrint:
    """A clean process rendering ``html`` with WeasyPrint's defaults, on demand."""

    def __init__(self, html: str, base_url: str, folder: Path) -> None:
        path = folder / "bare.html"
        path.write_text(html, encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", BARE_WEASYPRINT, str(path), base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def render(self) -> float:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def _pages(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _prepare(app):  # noqa: ANN001, ANN202
    """Migrate, load reference data, create an administrator and a case worth a two-page ficha."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from core.cases import GENERIC, create_case
    from core.database import writing
    from core.extensions import db
    from core.models import CustomField, Government, Membership, User
    from core.security import scope_for_cli
    from core.seed import load_all
    from core.territories import load_territories
    from core.workflow import perform

    with app.app_context(), writing():
        upgrade(revision="heads")
        load_territories()
        load_all(app)
        admin = User(email="admin@bench.pe", name="Administración", locale="es", active=True)
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, role="admin", government_id=None))
        for position, (name, label, kind) in enumerate(
            [
                ("monto_pip", "Monto del PIP", "money"),
                ("fecha_sesion", "Fecha de la sesión del Consejo", "date"),
                ("responsable", "Responsable técnico", "text"),
                ("antecedentes", "Antecedentes", "long_text"),
            ]
        ):
            db.session.add(CustomField(case_type="generic", name=name, label=label, field_type=kind, position=position))
        db.session.flush()
        government = db.session.scalar(select(Government).where(Government.ubigeo == "100000"))
        scope = scope_for_cli(None)
        case = create_case(
            GENERIC,
            government,
            2008,
            "Plan Articulado Regional de Huánuco 2008",
            admin,
            scope,
            stage="diagnosis",
            custom={
                "monto_pip": "1200000",
                "fecha_sesion": "2008-06-30",
                "responsable": "Gerencia Regional de Desarrollo Social",
                "antecedentes": "Que, mediante la Norma Técnica N° 001-2008 ... " * 40,
            },
        )
        for name, comment in (("submit", "Primera versión"), ("return", "Completar metas"), ("submit", "Corregido")):
            perform(case, name, admin, scope, comment)
        db.session.commit()
        return case.id


def run() -> list[str]:
    from core.app import create_app
    from core.documents import CORE_STATIC, IssueInfo, html_to_pdf, issue_document, new_code, render_html, spec_for
    from core.documents.worker import ASSET_PREFIX
    from core.extensions import db
    from core.models import Case, User
    from core.models.user import utcnow

    tmp = Path(tempfile.mkdtemp(prefix="articula-bench-docs-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'docs.db'}", "PLUGINS": ""})
    case_id = _prepare(app)
    lines = [f"Documentos ({ROUNDS} rondas intercaladas, medianas)"]
    with app.test_request_context("/"):
        case = db.session.get(Case, case_id)
        spec = spec_for(case, "case_summary")
        issue = IssueInfo(case.reference, new_code(), utcnow(), "Administración")

        def ours() -> bytes:
            return html_to_pdf(render_html(case, spec, issue=issue)).pdf

        # The same HTML for bare WeasyPrint, its packaged assets read straight from disk.
        html = render_html(case, spec, issue=issue).replace(ASSET_PREFIX + "core/", CORE_STATIC.as_uri() + "/")
        bare = BareWeasyPrint(html, CORE_STATIC.as_uri() + "/", tmp)
        try:
            pages = _pages(ours())
            for _ in range(2):  # warm both sides (fonts, caches)
                ours()
                bare.render()
            ours_times, bare_times = [], []
            for _ in range(ROUNDS):
                ours_times.append(_timed(ours))
                bare_times.append(bare.render())
        finally:
            bare.close()
        ours_s, bare_s = statistics.median(ours_times), statistics.median(bare_times)
        ratio = ours_s / bare_s
        mark = f"✔ ≤ {PIPELINE_GOAL}×" if ratio <= PIPELINE_GOAL else f"✘ > {PIPELINE_GOAL}×"
        lines.append(
            f"  canal de documentos ({pages} págs.) {ours_s * 1000:7.1f} ms  vs. WeasyPrint solo "
            f"{bare_s * 1000:7.1f} ms  = {ratio:4.2f}×  {mark}"
        )

    # (b) first render (issue: render + store) against downloads of the stored file.
    client = app.test_client()
    login_page = client.get("/ingresar").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/ingresar", data={"email": "admin@bench.pe", "password": PASSWORD, "csrf_token": token})
    issue_times, download_times = [], []
    for _ in range(max(3, ROUNDS // 3)):
        with app.test_request_context("/"):
            case = db.session.get(Case, case_id)
            admin = db.session.scalar(db.select(User).where(User.email == "admin@bench.pe"))
            started = time.perf_counter()
            document = issue_document(case, "case_summary", admin)
            db.session.commit()
            issue_times.append(time.perf_counter() - started)
            document_id, size = document.id, document.size
        for _ in range(DOWNLOADS // max(3, ROUNDS // 3)):
            started = time.perf_counter()
            response = client.get(f"/documentos/{document_id}/pdf")
            download_times.append(time.perf_counter() - started)
            assert response.status_code == 200 and len(response.data) == size
    render_s, download_s = statistics.median(issue_times), statistics.median(download_times)
    speedup = render_s / download_s
    mark = f"✔ ≥ {DOWNLOAD_GOAL:.0f}×" if speedup >= DOWNLOAD_GOAL else f"✘ < {DOWNLOAD_GOAL:.0f}×"
    lines.append(
        f"  descarga de un documento emitido {download_s * 1000:7.2f} ms  vs. su primera generación "
        f"{render_s * 1000:7.1f} ms  = {speedup:5.0f}× más rápida  {mark}"
    )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
