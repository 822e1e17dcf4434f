"""The English UI is English (issue 8, item 6): an English user walks the main pages of the core,
institutionalization, diagnosis and operations over the demo data, and no known Spanish interface
wording appears — data (names, titles) and legal document text may stay Spanish, the interface may not."""

from __future__ import annotations

import re

import pytest

from core.testing import login

#: Pages of each area, then the first detail pages their lists link to.
MAIN_PAGES = (
    "/",
    "/expedientes/",
    "/plazos/",
    "/envios/",
    "/gobiernos/",
    "/institucionalizacion/",
    "/planes/",
    "/operaciones/",
    "/operaciones/sesiones/",
    "/operaciones/sesiones/acuerdos",
    "/operaciones/convenios/",
    "/operaciones/capacitacion/",
    "/operaciones/inversion/",
    "/operaciones/presupuesto/",
)
#: Interface wording in Spanish (what a missing gettext leaves), not words the demo's data uses.
SPANISH_UI = (
    "Falta la ",
    "Falta el ",
    "Falta indicar",
    "Guardar",
    "Cancelar",
    "Cerrar sesión",
    "Por vencer",
    " de enero de ",
    " de junio de ",
    " de diciembre de ",
    "Estado:",
)


def _visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.demo
def test_main_pages_have_no_spanish_interface_text_in_english(app, client, make_user, govs):
    make_user("team.en@huanuco.pe", ("team", govs["huanuco"]), locale="en")
    login(client, "team.en@huanuco.pe")
    pages = list(MAIN_PAGES)
    details = set()
    for url in MAIN_PAGES:
        html = client.get(url).get_data(as_text=True)
        details.update(re.findall(r'href="(/(?:expedientes|planes|diagnosticos|operaciones/[a-z]+)/\d+)"', html))
    pages += sorted(details)[:40]
    leftovers = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.get_data(as_text=True))
        found = [word for word in SPANISH_UI if word in text]
        if found:
            leftovers[url] = found
    assert leftovers == {}
    assert len(pages) > len(MAIN_PAGES) + 10  # the walk reached the records, not only the lists
