"""Every UI string has its Spanish translation; the locale follows the user, then the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.config import PROJECT_ROOT
from tests.conftest import login

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
METHOD_MAP = [("core/**.py", "python"), ("templates/**.html", "jinja2")]


def ui_messages(root: Path, method_map: list[tuple[str, str]]) -> dict[str | tuple[str, ...], str]:
    """msgid → where it was found, for every translatable string under ``root``."""
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, keywords=KEYWORDS, options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        if message:
            found.setdefault(message, filename)  # plurals stay (singular, plural) tuples
    return found


def untranslated(catalog_path: Path, messages: dict) -> list[str]:
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    missing = []
    for msgid, where in sorted(messages.items(), key=lambda item: str(item[0])):
        entry = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        if entry is None or entry.fuzzy or not (entry.string if isinstance(entry.string, str) else all(entry.string)):
            missing.append(f"{where}: {msgid!r}")
    return missing


def test_every_core_ui_string_has_a_spanish_translation():
    messages = ui_messages(PROJECT_ROOT, METHOD_MAP)
    assert len(messages) > 100  # the extraction itself works
    missing = untranslated(PROJECT_ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po", messages)
    assert not missing, "Sin traducción al español:\n" + "\n".join(missing)


@pytest.mark.parametrize("plugin", sorted(p.name for p in (PROJECT_ROOT / "plugins").iterdir() if p.is_dir()))
def test_every_plugin_ui_string_has_a_spanish_translation(plugin):
    root = PROJECT_ROOT / "plugins" / plugin
    messages = ui_messages(root, [("**.py", "python"), ("templates/**.html", "jinja2")])
    if not messages:
        pytest.skip(f"{plugin} has no UI strings yet")
    missing = untranslated(root / "translations" / "es" / "LC_MESSAGES" / "messages.po", messages)
    assert not missing, "Sin traducción al español:\n" + "\n".join(missing)


def test_spanish_by_default_english_by_browser_or_preference(app, client, make_user, govs):
    assert "Ingresar" in client.get("/ingresar").get_data(as_text=True)
    english = client.get("/ingresar", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in english
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    from core.extensions import db
    from core.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "equipo@huanuco.pe"))
        user.locale = "en"
        db.session.commit()
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Dashboard" in page  # the user's preference beats the browser


def test_the_test_session_compiles_missing_and_stale_catalogs(tmp_path):
    """The kit compiles the catalogs before collection, so no test depends on whether `make translations` ran."""
    from babel.messages.mofile import read_mo

    from core.testing import compile_catalogs

    core_dir = tmp_path / "translations" / "es" / "LC_MESSAGES"
    plugin_dir = tmp_path / "plugins" / "demo" / "translations" / "es" / "LC_MESSAGES"
    for directory, text in ((core_dir, "Guardar"), (plugin_dir, "Miembro")):
        directory.mkdir(parents=True)
        (directory / "messages.po").write_text(f'msgid "X"\nmsgstr "{text}"\n', encoding="utf-8")
    assert compile_catalogs(tmp_path) == [core_dir / "messages.mo", plugin_dir / "messages.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: left alone
    # an edited .po makes its .mo stale: recompiled with the new text
    po = core_dir / "messages.po"
    po.write_text('msgid "X"\nmsgstr "Grabar"\n', encoding="utf-8")
    mo = core_dir / "messages.mo"
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert compile_catalogs(tmp_path) == [mo]
    with mo.open("rb") as compiled:
        assert read_mo(compiled).get("X").string == "Grabar"
    # and the project's own catalogs are compiled and current in this session
    for po_path in (PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        assert po_path.with_suffix(".mo").stat().st_mtime >= po_path.stat().st_mtime, po_path


@pytest.mark.parametrize(
    "plugin", sorted(p.name for p in (PROJECT_ROOT / "plugins").iterdir() if (p / "translations").is_dir())
)
def test_a_plugin_catalog_does_not_retranslate_a_core_message(plugin):
    """The app's translations merge every catalog, the plugins' last: a plugin that translated a core msgid
    differently would change the core's pages too (it once turned the national overview's «Sin enviar» into
    «No enviado»). A plugin that needs other words uses another msgid."""
    with open(PROJECT_ROOT / "translations/es/LC_MESSAGES/messages.po", "rb") as handle:
        core = {message.id: message.string for message in read_po(handle) if message.id}
    path = PROJECT_ROOT / "plugins" / plugin / "translations/es/LC_MESSAGES/messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    clashes = [
        f"{message.id!r}: core «{core[message.id]}», {plugin} «{message.string}»"
        for message in catalog
        if message.id and core.get(message.id) and message.string and message.string != core[message.id]
    ]
    assert clashes == []
