"""The Content-Security-Policy allows scripts only from this server's files: no 'unsafe-inline', no inline
<script> or event handler in any template, and Flask-Admin's own inline scripts carry the response's nonce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from tests.conftest import login

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def template_files() -> list[Path]:
    folders = [PROJECT_ROOT / "templates", *sorted((PROJECT_ROOT / "plugins").glob("*/templates"))]
    return sorted(p for folder in folders for p in folder.rglob("*.html"))


def script_policy(response) -> str:  # noqa: ANN001
    policy = response.headers["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("script-src"))


def test_no_template_has_an_inline_script_or_event_handler():
    files = template_files()
    assert len(files) > 20  # the scan really reads the templates
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {pattern.pattern[:20]}"
        for path in files
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL)
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_pages_allow_scripts_only_from_this_server(client):
    response = client.get("/ingresar")
    assert script_policy(response) == "script-src 'self'"
    assert "unsafe-inline" not in script_policy(response)


@pytest.mark.parametrize("path", ["/admin/", "/admin/user/", "/admin/membership/"])
def test_admin_inline_scripts_carry_the_nonce_and_handlers_are_gone(app, client, make_user, path):
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    response = client.get(path)
    assert response.status_code == 200
    policy = script_policy(response)
    assert "unsafe-inline" not in policy
    nonce = re.fullmatch(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'", policy)
    html = response.get_data(as_text=True)
    inline = INLINE_SCRIPT.findall(html)
    if nonce:
        assert all(f'nonce="{nonce.group(1)}"' in tag for tag in inline), inline
    else:
        assert inline == []
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert "js/admin.js" in html


def test_each_response_has_its_own_nonce(app, client, make_user):
    make_user("admin@articula.pe", ("admin", None))
    login(client, "admin@articula.pe")
    first, second = script_policy(client.get("/admin/user/")), script_policy(client.get("/admin/user/"))
    assert "nonce-" in first and first != second
