"""National scale (issue 13, point 14): SQL statements per page do not grow with the table or the page
size, and the case search finds words by index, accent- and case-insensitively.

The tables are filled with benchmarks/datagen.py (the bench's own bulk generator), first for a few
governments, then for ten times as many; each list is counted at both sizes and two page sizes.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from benchmarks.datagen import generate
from core.database import QueryCounter
from core.extensions import db
from tests.conftest import login

YEARS = range(2021, 2025)
SMALL, LARGE = 3, 30  # active governments
PAGE_SIZES = (5, 30)


def grow(app, governments: int, skip: int) -> None:  # noqa: ANN001
    with app.app_context():
        generate(db.engine, factor=10, governments=governments, skip=skip, years=YEARS, members=8)


def count(app, client, path: str, headers: dict[str, str] | None = None) -> int:  # noqa: ANN001
    with app.app_context():
        engine = db.engine
    client.get(path, headers=headers)  # warm-up (first-request work, a token's hourly "last used")
    with QueryCounter(engine) as counter:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


@contextmanager
def admin_page_size(app, endpoint: str, size: int):  # noqa: ANN001, ANN201
    view = next(v for v in app.extensions["articula.admin"]._views if getattr(v, "endpoint", None) == endpoint)
    original = view.page_size
    view.page_size = size
    try:
        yield
    finally:
        view.page_size = original


def counts_at_two_sizes(app, measure) -> dict[tuple[str, int], int]:  # noqa: ANN001
    """measure(page_size) → statements, at SMALL governments and then at LARGE."""
    results = {}
    grow(app, SMALL, 0)
    for size in PAGE_SIZES:
        results[("small", size)] = measure(size)
    grow(app, LARGE - SMALL, SMALL)
    for size in PAGE_SIZES:
        results[("large", size)] = measure(size)
    return results


@pytest.fixture
def national(app, client, make_user, api_token):  # noqa: ANN001, ANN201
    user = make_user("supervisor@pcm.gob.pe", ("national", None))
    login(client, "supervisor@pcm.gob.pe")
    return {"Authorization": f"Bearer {api_token(user)}"}


def test_web_and_api_case_lists_cost_the_same_statements_at_any_size(app, client, national):
    def measure(size: int) -> tuple[int, int, int]:
        return (
            count(app, client, f"/expedientes/?per_page={size}"),
            count(app, client, f"/expedientes/?q=informe&per_page={size}"),
            count(app, client, f"/api/v1/cases?per_page={size}", national),
        )

    results = counts_at_two_sizes(app, measure)
    # The pages really hold that many rows of several case types (each with its own workflow).
    body = client.get(f"/api/v1/cases?per_page={PAGE_SIZES[1]}", headers=national).get_json()
    assert len(body["items"]) == PAGE_SIZES[1]
    assert {i["type"] for i in body["items"]} >= {"ordinance", "generic"}
    assert len(set(results.values())) == 1, results


def test_national_overview_reads_the_calendars_once(app, client, national):
    def measure(_size: int) -> tuple[int, int]:
        return (
            count(app, client, "/envios/?view=national&year=2024"),
            count(app, client, "/api/v1/submissions/overview?year=2024", national),
        )

    results = counts_at_two_sizes(app, measure)
    assert len(set(results.values())) == 1, results
    web, api = results[("large", PAGE_SIZES[0])]
    # One query per region (25 of them, 3 each with the documents still missing) before: now a
    # fixed dozen (rule, deadlines, submissions, the plans and marked cases of all regions at once).
    assert web <= 14 and api <= 14, results


@pytest.mark.parametrize(
    "endpoint,query",
    [
        ("case", ""),
        ("case", "?search=informe+ayacucho"),
        ("casetransition", ""),
        ("inst_member", ""),
        ("auditevent", ""),
    ],
)
def test_admin_lists_cost_the_same_statements_at_any_size(app, client, make_user, endpoint, query):
    make_user("admin@pcm.gob.pe", ("admin", None))
    login(client, "admin@pcm.gob.pe")

    def measure(size: int) -> int:
        with admin_page_size(app, endpoint, size):
            return count(app, client, f"/admin/{endpoint}/{query}")

    results = counts_at_two_sizes(app, measure)
    assert len(set(results.values())) == 1, results


# --- the search itself ------------------------------------------------------------------------------


def test_search_words_are_kept_on_write_and_found_without_accents(app, client, make_user, api_token, govs):
    from core.cases.search import words

    assert words("ÑUÑOA, Informe/2024 informe") == ["nunoa", "informe", "2024"]
    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(team)}"}
    created = client.post(
        "/api/v1/cases",
        json={
            "type": "generic",
            "government_id": govs["huanuco"],
            "year": 2024,
            "title": "Informe de Articulación",
            "stage": "monitoring",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    case = created.get_json()

    def found(q: str) -> bool:
        items = client.get(f"/api/v1/cases?q={q}", headers=headers).get_json()["items"]
        return [i["id"] for i in items] == [case["id"]]

    assert found("articulacion") and found("ARTICULACIÓN+inf")  # word prefixes, any case, any accents
    assert not found("articulacion+lima")  # every word must match
    assert not found("nunoa")
    edited = client.patch(
        f"/api/v1/cases/{case['id']}", json={"version": case["version"], "title": "Informe de Ñuñoa"}, headers=headers
    )
    assert edited.status_code == 200, edited.get_json()
    assert found("nunoa") and found("ñuñoa")  # the words follow the edit
    assert not found("articulacion")
    login(client, "equipo@huanuco.pe")
    html = client.get("/expedientes/?q=NUNOA").get_data(as_text=True)
    assert "Informe de Ñuñoa" in html
    assert "Informe de Ñuñoa" not in client.get("/expedientes/?q=articulacion").get_data(as_text=True)


# --- admin rows build their action addresses once per page ---------------------------------------


def test_admin_row_actions_link_each_row_to_its_own_record(app, client, make_user):
    import re
    from urllib.parse import parse_qs, urlsplit

    make_user("admin@pcm.gob.pe", ("admin", None))
    login(client, "admin@pcm.gob.pe")
    html = client.get("/admin/government/?sort=0").get_data(as_text=True)
    details = re.findall(r'href="(/admin/government/details/\?[^"]+)"', html)
    edits = re.findall(r'href="(/admin/government/edit/\?[^"]+)"', html)
    ids = re.findall(r'<input type="hidden" name="id" value="(\d+)">', html)
    assert len(details) == len(edits) == len(ids) >= 20
    for detail, edit, row_id in zip(details, edits, ids, strict=True):
        for address in (detail, edit):
            query = parse_qs(urlsplit(address.replace("&amp;", "&")).query)
            assert query["id"] == [row_id]
            assert query["url"][0].startswith("/admin/government/?sort=0")  # back to this very list
    assert 'action="/admin/government/delete/"' in html
    # The address works: it opens that row's details page.
    assert client.get(details[3].replace("&amp;", "&")).status_code == 200


# --- keyset pages: the API walks a large list at constant cost -------------------------------------


def test_api_case_list_pages_by_key_at_any_depth(app, client, national):
    grow(app, 6, 0)
    first = client.get("/api/v1/cases?per_page=7", headers=national).get_json()
    by_offset = [
        i["id"]
        for n in range(1, first["pages"] + 1)
        for i in client.get(f"/api/v1/cases?per_page=7&page={n}", headers=national).get_json()["items"]
    ]
    walked, cursor, statements = [], None, set()
    for _ in range(first["pages"] + 1):  # bounded: one more than the pages there are
        path = "/api/v1/cases?per_page=7" + (f"&after={cursor}" if cursor else "")
        statements.add(count(app, client, path, national))
        body = client.get(path, headers=national).get_json()
        walked += [i["id"] for i in body["items"]]
        cursor = body["next_after"]
        if cursor is None:
            break
    assert walked == by_offset == sorted(by_offset, reverse=True)  # every case once, newest first
    assert len(walked) == first["total"] > 7 * 5
    assert len(statements) == 1, statements  # the deepest page costs what the first one does
    bad = client.get("/api/v1/cases?after=abc", headers=national)
    assert bad.status_code == 400 and "after" in bad.get_json()["error"]["message"]


# --- the migration indexes the cases that already exist ------------------------------------------


def test_migration_indexes_existing_cases(databases):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from core.database import writing
    from tests.conftest import build_app

    app = build_app(databases.new())
    with app.app_context(), writing():
        upgrade(revision="0001_core")
        for sql in (
            "INSERT INTO territory (id, ubigeo, level, name) VALUES (1, '100000', 'department', 'Huánuco')",
            "INSERT INTO government (id, kind, name, ubigeo, territory_id) "
            "VALUES (1, 'regional', 'Gobierno Regional Huánuco', '100000', 1)",
            "INSERT INTO cycle (id, government_id, year, created_at) VALUES (1, 1, 2024, '2024-01-01')",
            'INSERT INTO "case" (id, type, government_id, cycle_id, year, stage, reference, title, state, '
            "workflow_id, custom, version, created_at, updated_at) VALUES (1, 'generic', 1, 1, 2024, 'monitoring', "
            "'EXP-007-2024', 'Informe de Articulación', 'draft', 'generic', '{}', 1, '2024-01-01', '2024-01-01')",
        ):
            db.session.execute(text(sql))
        db.session.commit()
        upgrade(revision="heads")
        terms = set(db.session.scalars(text("SELECT term FROM case_search_term WHERE case_id = 1")))
    assert terms == {"exp", "007", "2024", "informe", "de", "articulacion"}
