"""Locale selection: the user's preference, then the session's choice, then the browser; Spanish by default.
Outside a request, the command line speaks ARTICULA_LOCALE or LANG's language (``cli_locale``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from babel.lists import format_list
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, get_locale
from flask_login import current_user

from core.formatting import long_date

#: Config key the ``articula`` command sets from its environment (core.cli); absent in the web server.
CLI_LOCALE = "ARTICULA_CLI_LOCALE"


def cli_locale(environ: Mapping[str, str], languages: Iterable[str]) -> str | None:
    """The command line's language: ``ARTICULA_LOCALE``, else ``LANG``'s language (``en_US.UTF-8`` → en),
    when the application has it; ``None`` (the default language) for ``C.UTF-8`` or anything unknown."""
    for name in ("ARTICULA_LOCALE", "LANG"):
        code = environ.get(name, "").split(".")[0].split("_")[0].split("-")[0].lower()
        if code in languages:
            return code
    return None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # CLI commands speak their environment's language; background jobs the default language.
        return current_app.config.get(CLI_LOCALE) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.locale in languages:
            return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def recipient_locale(preference: str | None) -> str:
    """The language to write to a user in (e-mails, notices, calendars): their preference when the
    application has it, else the default language."""
    config = current_app.config
    default = config.get("BABEL_DEFAULT_LOCALE", "es")
    return preference if preference in config.get("LANGUAGES", [default]) else default


def N_(msgid: str) -> str:  # noqa: N802 — gettext's conventional name for the no-op marker
    """Marks ``msgid`` for extraction without translating it (gettext_noop): for text stored as its
    msgid and translated when read, in the reader's language (e.g. ``core.deadlines.set_label``)."""
    return msgid


def reads_english() -> bool:
    """Whether the text being rendered is English (the current locale, forced or selected)."""
    locale = get_locale()
    return locale is not None and locale.language == "en"


def reader_list(items: Iterable[object]) -> str:
    """Items joined as the reader's language lists them: "nacional, departamental y provincial", or
    "national, departmental, and provincial"."""
    locale = get_locale()
    return format_list([str(item) for item in items], locale=str(locale) if locale else "es")


def reader_date(day: date) -> str:
    """A date as the reader's language writes it: "30 de junio de 2026" (Peru's "setiembre"), or
    "June 30, 2026"."""
    return format_date(day, "long") if reads_english() else long_date(day)
