"""A citizen on a phone (375×667) sends an anonymous entry to the Ventanilla CRECER by keyboard, gets the code,
then follows it: axe-core finds no violation at all on the form, the receipt or the tracking page, and none of
them scrolls sideways."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import AXE
from tests.plugins.monitoring.ventanilla.conftest import offices  # noqa: F401 — the offices fixture

PHONE_375 = {"width": 375, "height": 667}


def axe_violations(page: Any) -> list[str]:
    """Every axe-core violation on the current page (any impact), one line each."""
    page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n; window.axe = axe; }")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[', '.join(n['target']) for n in v['nodes'][:5]]}"
        for v in result["violations"]
    ]


def fits(page: Any) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_375["width"], f"{page.url}: {width} px de ancho en una pantalla de 375 px"


def enter(page: Any) -> None:
    """Press Enter and wait for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page: Any, select: str, label: str) -> None:
    """Pick an option of a native select by keyboard (focus, then the option), and send its form with Enter."""
    page.focus(select)
    page.select_option(select, label=label)
    page.keyboard.press("Tab")  # to the «Continuar» button (the next focusable element after the last select)
    enter(page)


def test_a_citizen_sends_an_anonymous_entry_from_a_phone_and_tracks_it(
    app: Any,
    browser: Any,
    live_server: str,
    page_at: Any,
    offices: Any,  # noqa: F811
) -> None:
    page = page_at(PHONE_375)
    page.goto(f"{live_server}/ventanilla")
    fits(page)
    choose(page, "#departamento", "Huánuco")
    choose(page, "#provincia", "Huánuco")
    choose(page, "#distrito", "Amarilis")
    assert "distrito=100102" in page.url, page.url
    fits(page)
    assert axe_violations(page) == []

    assert "La atención es gratuita." in page.locator("main").inner_text()  # in Spanish, free of charge (SP 5)
    page.focus("select[name=kind]")
    page.select_option("select[name=kind]", "pedido")
    page.select_option("select[name=request_kind]", "no_attention")
    page.focus("textarea[name=description]")
    page.keyboard.type("En el puesto de salud de Paucarbamba no atendieron a mi hija.")
    page.focus("main form[method=post] button[type=submit]")  # «Enviar» (not the header's language form)
    enter(page)
    assert page.locator(".tracking-code strong").count() == 1, page.locator("main").inner_text()[:1500]
    code = page.locator(".tracking-code strong").inner_text().strip()
    assert code.startswith("VC-"), page.content()[:2000]
    fits(page)
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.get_by_role("link", name="Seguir su entrada").click()  # a tap
    page.fill("#codigo", "")
    page.focus("#codigo")
    page.keyboard.type(code.lower().replace("-", " "))  # as read aloud, in lowercase: still found
    enter(page)
    text = page.locator("main").inner_text()
    assert code in text and "Registrada" in text and "Paucarbamba" not in text
    fits(page)
    assert axe_violations(page) == []
