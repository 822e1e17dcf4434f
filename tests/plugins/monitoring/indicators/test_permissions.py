"""Every route of the key indicators by role (scoping.py): the region's team reads and writes its
measurements, its municipality and another region get 404 (403 to record for the region's territory),
the auditor reads and gets 403 on every write, the national supervisor records anywhere."""

from __future__ import annotations

import itertools
from typing import Any

from core.testing import route_matrix
from tests.plugins.monitoring.indicators import scoping


def _csv(year: int) -> bytes:
    return f"ubigeo,indicador,periodo,fuente,valor\n100000,2,{year},ENDES,31.5\n".encode()


def test_every_indicator_route_by_role(
    app: Any, client: Any, people: Any, api_token: Any, govs: dict[str, int]
) -> None:
    team = {"Authorization": f"Bearer {api_token(people['team'])}"}
    made = client.post(
        f"{scoping.API}/measurements",
        json={"indicator": "2", "ubigeo": "100000", "year": 2007, "source": "ENDES", "value": "33.1"},
        headers=team,
    )
    assert made.status_code == 201, made.get_json()
    measurement = made.get_json()
    records = {"measurement": measurement["id"], "region": govs["huanuco"]}
    years = itertools.count(1990)  # each create is a new measurement
    values = itertools.count(1)
    import_years = itertools.count(2001)
    versions = {"version": measurement["version"]}

    def body(method: str, url: str) -> Any:
        if method == "GET":
            return {}
        if url == f"{scoping.WEB}/mediciones/nueva" or url == f"{scoping.API}/measurements":
            return {"indicator": "2", "ubigeo": "100000", "year": next(years), "source": "ENDES", "value": "30"}
        if url.endswith("/importar") or url.endswith("/import"):
            return None  # a file: see below
        if "/mediciones/" in url or "/measurements/" in url:
            current = client.get(f"{scoping.API}/measurements/{measurement['id']}", headers=team).get_json()
            versions["version"] = current["version"]
            return {"value": str(20 + next(values) % 10), "reason": "Dato revisado", "version": current["version"]}
        return {
            "government_id": govs["huanuco"],
            "year": 2008,
            "indicator": "2",
            "value": "25",
            "justification": "Evaluación anual",
            "approved_by": "Presidente de la Instancia",
            "approved_on": "2008-12-01",
        }

    requests = [(kind, method, template.format(**records)) for kind, method, template in scoping.REQUESTS]
    plain = [(k, m, u) for k, m, u in requests if k != "import"]
    result = route_matrix(
        client,
        people,
        scoping.ROLES,
        [(method, url) for _, method, url in plain],
        data=lambda method, url: body(method, url) or {},
        api_token=api_token,
    )
    wrong = [
        f"{role} {method} {url}: {status}"
        for role, statuses in result.items()
        for (kind, method, url), status in zip(plain, statuses, strict=True)
        if not scoping.allowed(kind, role, status)
    ]
    # the imports: a multipart file, by page and by API
    for role in scoping.ROLES:
        people.login(client, role)
        headers = {"Authorization": f"Bearer {api_token(people[role])}"}
        year = next(import_years)
        page = client.post(
            f"{scoping.WEB}/importar",
            data={"csrf_token": _csrf(client), "file": (_bytes_io(_csv(year)), "m.csv")},
            content_type="multipart/form-data",
        )
        api = client.post(
            f"{scoping.API}/measurements/import",
            data={"file": (_bytes_io(_csv(year + 10)), "m.csv")},
            content_type="multipart/form-data",
            headers=headers,
        )
        for status in (page.status_code, api.status_code):
            if not scoping.allowed("import", role, status):
                wrong.append(f"{role} import: {status}")
    assert wrong == []


def _csrf(client: Any) -> str:
    from core.testing import csrf_from

    return csrf_from(client, "/")


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


#: this sub-package's API paths under /api/v1/monitoring (the other monitoring sub-packages classify theirs)
INDICATOR_API_PARTS = ("indicators", "measurements", "plan-indicators", "plans/", "targets")


def test_every_indicator_route_is_classified(app: Any) -> None:
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("monitoring_indicators.")
        or rule.rule.startswith(tuple(f"{scoping.API}/{part}" for part in INDICATOR_API_PARTS))
    }
    assert rules <= set(scoping.ROUTES)
