"""Stage 1 (a regional team sets up its Instancia) and stage 2 (the Plan Articulado's matrix), clicked
through as a person does, on a desktop (1280 px) and a phone (390 px): no page scrolls sideways on
the phone, and the values typed are visible where they belong (not hidden behind another card)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, sideways_overflow, sign_in
from tests.conftest import PASSWORD

LONG_OFFICER = "María Fernanda Quispe Huamán de la Gerencia Regional de Desarrollo Social"


def check_page(page, viewport) -> None:  # noqa: ANN001
    if viewport is PHONE:
        assert sideways_overflow(page) == 0, f"{page.url} se desplaza {sideways_overflow(page)} px hacia el lado"


def visible_inside(page, text: str, container: str) -> None:  # noqa: ANN001
    """``text`` is shown, fully inside ``container`` and not covered by another element."""
    element = page.locator(container).get_by_text(text, exact=False).first
    assert element.is_visible(), text
    box, outer = element.bounding_box(), page.locator(container).first.bounding_box()
    assert box["x"] >= outer["x"] - 1 and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1, (text, box, outer)
    element.scroll_into_view_if_needed()
    on_top = page.evaluate(
        """([el]) => { const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + Math.min(5, r.width / 2), r.top + r.height / 2);
            return hit === el || el.contains(hit); }""",
        [element.element_handle()],
    )
    assert on_top, f"«{text}» queda tapado por otro elemento"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_regional_team_sets_up_its_instancia(app, browser, live_server, page_at, make_user, govs, viewport):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    page = page_at(viewport)
    sign_in(page, live_server, "equipo@huanuco.pe", PASSWORD)
    check_page(page, viewport)
    page.goto(f"{live_server}/institucionalizacion/")
    check_page(page, viewport)
    page.goto(f"{live_server}/expedientes/nuevo?tipo=articulation_body")
    check_page(page, viewport)
    page.select_option("select[name=government]", str(govs["huanuco"]))
    page.fill("input[name=title]", "Instancia de Articulación Regional de Huánuco")
    page.select_option("select[name=origin]", "new")
    page.fill("input[name=direction_unit]", "Gerencia Regional de Desarrollo Social")
    page.fill("input[name=monitoring_officer_name]", LONG_OFFICER)
    page.fill("input[name=monitoring_officer_position]", "Responsable del Sistema de Seguimiento")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/expedientes/" in page.url and "nuevo" not in page.url, page.content()[:3000]
    check_page(page, viewport)
    # the "Data" card shows its values inside the card, in front
    visible_inside(page, "Gerencia Regional de Desarrollo Social", "dl.facts")
    visible_inside(page, LONG_OFFICER, "dl.facts")
    # a member, through the members form
    page.get_by_role("link", name="Agregar un miembro").first.click()
    page.wait_for_load_state()
    check_page(page, viewport)
    page.fill("input[name=full_name]", "Jorge Espinoza Ramírez")
    page.locator("select[name=category_id] option").nth(1).wait_for(state="attached")
    page.select_option("select[name=category_id]", index=1)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Jorge Espinoza Ramírez" in page.content(), page.content()[:3000]
    check_page(page, viewport)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_regional_team_fills_the_plan_matrix(app, browser, live_server, page_at, make_user, govs, viewport):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    page = page_at(viewport)
    sign_in(page, live_server, "equipo@huanuco.pe", PASSWORD)
    page.goto(f"{live_server}/planes/")
    check_page(page, viewport)
    page.goto(f"{live_server}/expedientes/nuevo?tipo=articulated_plan")
    page.select_option("select[name=government]", str(govs["huanuco"]))
    page.fill("input[name=title]", "Plan Articulado Regional de Huánuco 2008")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check_page(page, viewport)
    page.get_by_role("link", name="Matriz").first.click()
    page.wait_for_load_state()
    check_page(page, viewport)
    first = page.locator("section.card[id^=result-]").first
    # an indicator refused, then corrected: what was typed stays in the form
    first.get_by_text("Agregar un indicador").click()
    first.get_by_label("Indicador", exact=True).last.fill("Prevalencia de anemia en gestantes")
    first.get_by_label("Línea de base").last.fill("diecinueve")
    first.get_by_role("button", name="Agregar").click()
    page.wait_for_load_state()
    first = page.locator("section.card[id^=result-]").first
    assert "debe ser un número" in page.content()
    assert first.get_by_label("Indicador", exact=True).last.input_value() == "Prevalencia de anemia en gestantes"
    first.get_by_label("Línea de base").last.fill("19,2")
    first.get_by_label("Meta", exact=True).last.fill("15 %")
    first.get_by_role("button", name="Agregar").click()
    page.wait_for_load_state()
    check_page(page, viewport)
    first = page.locator("section.card[id^=result-]").first
    visible_inside(page, "Prevalencia de anemia en gestantes", "section.card[id^=result-] >> nth=0")
    # an activity with two responsible institutions, one without acronym
    first.get_by_role("link", name="Agregar una actividad").click()
    page.wait_for_load_state()
    check_page(page, viewport)
    page.fill("input[name=name]", "Sesiones demostrativas de alimentación")
    page.fill("input[name=budget]", "12500,50")
    page.select_option("select[name=institutions]", ["diresa", "gobiernos_regionales"])
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check_page(page, viewport)
    row = page.locator("tr", has_text="Sesiones demostrativas de alimentación").first
    assert "DIRESA" in row.inner_text() and "Gobiernos Regionales" in row.inner_text()
    assert page.get_by_role("link", name="Descargar la matriz (XLSX)").count() == 1
