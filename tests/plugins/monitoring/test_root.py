"""The monitoring plugin's root page lists its sub-areas, in Spanish, to a logged-in user only."""

from __future__ import annotations

from typing import Any


def test_root_page_lists_sub_areas(client: Any, people: Any) -> None:
    assert client.get("/seguimiento/areas").status_code == 302  # to the login page
    people.login(client, "team")
    page = client.get("/seguimiento/areas")
    assert page.status_code == 200
    assert "<h1>Seguimiento y evaluación</h1>" in page.get_data(as_text=True)
