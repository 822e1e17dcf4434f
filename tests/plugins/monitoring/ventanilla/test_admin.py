"""The admin's read-only views of offices and entries: auditors browse everything with the citizen's data masked
(lists, details, exports) and write nothing; the holding office's staff sees the data on the details page, each
view audited; another region sees nothing of Huánuco's offices or entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.extensions import db
from core.testing import csrf_from
from tests.plugins.monitoring.ventanilla.test_public import _code
from tests.plugins.monitoring.ventanilla.test_staff import _entry

ENTRIES = "/admin/mon_ventanilla_entry"
OFFICES = "/admin/mon_ventanilla_office"
PERSONAL = ("Rosa Huamán Ccori", "41234567", "962000111", "rosa@example.pe")


def _views(app: Any) -> int:
    from core.models.audit import AuditEvent

    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "personal_data_view"))


def test_auditors_browse_entries_masked_and_write_nothing(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    from plugins.monitoring.ventanilla.models import VentanillaEntry

    code = _code(
        submit(name="Rosa Huamán Ccori", dni="41234567", phone="962000111", email="rosa@example.pe", consent="y")
    )
    entry = _entry(app, code)
    people.login(client, "auditor")
    listing = client.get(f"{ENTRIES}/")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200 and entry.code in text and "•••" in text
    assert not any(p in text for p in PERSONAL)
    details = client.get(f"{ENTRIES}/details/?id={entry.id}").get_data(as_text=True)
    assert entry.code in details and "¿Cuándo llega el pago?" in details
    assert not any(p in details for p in PERSONAL) and "•••" in details
    export = client.get(f"{ENTRIES}/export/csv/").get_data(as_text=True)
    assert entry.code in export and not any(p in export for p in PERSONAL)
    assert _views(app) == 0  # the auditor saw no personal data: nothing to audit
    offices_page = client.get(f"{OFFICES}/").get_data(as_text=True)
    assert "Amarilis" in offices_page and "Huánuco" in offices_page

    token = csrf_from(client, "/plazos/")  # a read-only list has no form: any page gives the session token
    writes = [
        (f"{ENTRIES}/new/", {"code": "X", "description": "x"}),
        (f"{ENTRIES}/edit/?id={entry.id}", {"status": "closed"}),
        (f"{ENTRIES}/delete/", {"id": entry.id}),
        (f"{OFFICES}/delete/", {"id": offices["amarilis"]}),
    ]
    for url, data in writes:
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert "/new/" not in text and "/edit/" not in text  # no create or edit buttons
    with app.app_context():
        kept = db.session.get(VentanillaEntry, entry.id)
        assert kept.status == "registered" and kept.name == "Rosa Huamán Ccori"


def test_the_holding_office_sees_the_data_audited_and_another_region_nothing(
    app: Any, client: Any, people: Any, offices: Any, submit: Any
) -> None:
    code = _code(submit(name="Rosa Huamán Ccori", dni="41234567", consent="y"))
    entry = _entry(app, code)
    people.login(client, "amarilis_team")
    listing = client.get(f"{ENTRIES}/").get_data(as_text=True)
    assert entry.code in listing and "Rosa" not in listing  # lists and exports stay masked
    details = client.get(f"{ENTRIES}/details/?id={entry.id}").get_data(as_text=True)
    assert "Rosa Huamán Ccori" in details and "41234567" in details
    assert _views(app) == 1

    people.login(client, "team")  # the region reads its local office's entry, masked
    details = client.get(f"{ENTRIES}/details/?id={entry.id}").get_data(as_text=True)
    assert entry.code in details and "Rosa" not in details
    assert _views(app) == 1

    people.login(client, "cusco")
    assert entry.code not in client.get(f"{ENTRIES}/").get_data(as_text=True)
    assert entry.code not in client.get(f"{ENTRIES}/export/csv/").get_data(as_text=True)
    assert entry.code not in client.get(f"{ENTRIES}/details/?id={entry.id}", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Amarilis" not in client.get(f"{OFFICES}/").get_data(as_text=True)
