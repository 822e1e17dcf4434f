"""Browser tests: Playwright (Python) driving the system's Chromium (Debian's ``chromium`` package, never
a browser Playwright downloads) against the app served on 127.0.0.1 by a real HTTP server in a thread,
with the suite's test database; axe-core (npm, pinned in package.json) injected for accessibility.

Without a browser these tests are skipped with the reason, unless ARTICULA_REQUIRE_BROWSER=1 (CI),
where a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("ARTICULA_REQUIRE_BROWSER") == "1"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _chromium() -> str | None:
    explicit = os.environ.get("ARTICULA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"Pruebas de navegador requeridas (ARTICULA_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(f"Pruebas de navegador omitidas: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("falta el paquete playwright (pip install -e '.[test]').")
    executable = _chromium()
    if executable is None:
        _unavailable("no hay Chromium (apt-get install chromium).")
    if not AXE.exists():
        _unavailable("falta axe-core (npm ci).")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Exception as error:  # noqa: BLE001 — any launch failure means "no browser here"
            _unavailable(f"Chromium no arranca: {error}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(session_app: Any) -> Iterator[str]:
    """The test app on a random local port, served by werkzeug in a thread, for the whole session."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page_at(browser: Any) -> Iterator[Any]:
    """page_at(size) → a new page in its own context (cookies) with the given viewport."""
    contexts = []

    def open_page(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport, locale="es-PE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/ingresar")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/ingresar" not in page.url, page.content()[:2000]


def sideways_overflow(page: Any) -> int:
    """How many pixels the page scrolls sideways (0: it fits the viewport)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    # Evaluated through the DevTools protocol, not as a <script> tag: the app's Content-Security-Policy
    # (script-src 'self') rightly refuses inline scripts, and the audit must see the page as served.
    page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n; window.axe = axe; }")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found
