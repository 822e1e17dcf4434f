"""A literal "%" in a translatable string cannot crash a page. Jinja's gettext is installed "newstyle"
(Flask-Babel): it applies ``%`` formatting to every template message, even one given no values, so a
msgid or a translation with a bare "(%)" raises ValueError while rendering; it is written "%%" there.
Python's ``gettext`` formats only when given values. Checked for every catalog and template."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.config import PROJECT_ROOT
from tests.core.test_i18n import ui_messages

CATALOGS = [PROJECT_ROOT / "translations", *sorted((PROJECT_ROOT / "plugins").glob("*/translations"))]
TEMPLATES = [("templates/**.html", "jinja2"), ("plugins/*/templates/**.html", "jinja2")]


def _survives_formatting(text: str) -> bool:
    """Whether ``text % values`` works for any named values (what a rendered message goes through)."""
    try:
        text % defaultdict(int)  # noqa: B018 — only whether it raises matters (0 fits %s and %d)
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _entries(folder: Path) -> list[tuple[str, str]]:
    with (folder / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    return [
        (m.id if isinstance(m.id, str) else m.id[0], m.string if isinstance(m.string, str) else m.string[0] or "")
        for m in catalog
        if m.id
    ]


def test_every_template_message_and_its_translations_survive_jinja_formatting():
    in_templates = {m if isinstance(m, str) else m[0] for m in ui_messages(PROJECT_ROOT, TEMPLATES)}
    assert len(in_templates) > 100  # the extraction reached the core's and the plugins' templates
    broken = [f"{msgid!r}" for msgid in in_templates if not _survives_formatting(msgid)]
    for folder in CATALOGS:
        for msgid, translation in _entries(folder):
            if msgid in in_templates and translation and not _survives_formatting(translation):
                broken.append(f"{folder.relative_to(PROJECT_ROOT)}: {msgid!r} → {translation!r}")
    assert not broken, "Escriba «%%» en los mensajes de plantilla con un «%» literal:\n" + "\n".join(broken)


def test_every_message_formatted_with_values_survives_in_every_catalog():
    """A msgid with ``%(name)s`` is formatted in Python too: its translation must be as well-formed."""
    broken = []
    for folder in CATALOGS:
        for msgid, translation in _entries(folder):
            if "%(" in msgid and translation and not _survives_formatting(translation):
                broken.append(f"{folder.relative_to(PROJECT_ROOT)}: {msgid!r} → {translation!r}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(("source", "shown"), [('{{ _("Physical progress (%%)") }}', "Physical progress (%)")])
def test_an_escaped_percent_renders_and_a_bare_one_is_what_the_checks_catch(app, source, shown):
    with app.test_request_context("/"):
        assert app.jinja_env.from_string(source).render() == shown
        with pytest.raises(ValueError):
            app.jinja_env.from_string('{{ _("Physical progress (%)") }}').render()
    assert not _survives_formatting("Physical progress (%)") and _survives_formatting("Physical progress (%%)")
