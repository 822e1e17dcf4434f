"""One i18n policy (issue 8 item 6): no hard-coded Spanish message reaches a user from Python code; the
same refusal reads in English for an English user and in today's Spanish for everyone else; the
command line speaks ARTICULA_LOCALE or LANG's language."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.cli import main as articula
from core.config import PROJECT_ROOT
from core.extensions import db
from core.i18n import CLI_LOCALE, cli_locale
from core.models import User
from core.testing import generic_case, login, post_form

#: Looks Spanish: accents, ñ, ¿¡, or words English does not use ("no" only in Spanish phrases).
SPANISH = re.compile(
    r"[áéíóúñÁÉÍÓÚÑ¿¡]"
    r"|\b(de|del|el|la|los|las|es|en|un|una|su|sus|con|al|debe|deben|para|puede|que|por|sin|desconocid[oa]s?)\b"
    r"|\bno (se|es|está|tiene|existe|puede|corresponde|hay)\b",
    re.IGNORECASE,
)
#: Calls whose text argument a user reads.
MESSAGE_CALLS = {
    "Refusal",
    "flash",
    "echo",
    "bad_request",
    "ClickException",
    "BadParameter",
    "UsageError",
    "_fail",
    "InputRequired",
    "DataRequired",
}
#: ``<list>.append(...)`` into these lists holds messages for a user (refusals, field errors).
MESSAGE_LISTS = re.compile(r"error|problem|reason|missing|messages")
#: Functions whose returned list a user reads (workflow guards' blockers, composition warnings).
MESSAGE_FUNCTIONS = re.compile(r"blockers|warnings")

#: Folders scanned: the core and every plugin.
SCANNED = [
    "core",
    *sorted(f"plugins/{p.name}" for p in (PROJECT_ROOT / "plugins").iterdir() if p.is_dir() and p.name[0] not in "_."),
]

#: (file, start of the literal) → why it may stay Spanish. Legal-document builders only.
ALLOWED: dict[tuple[str, str], str] = {}


def _text(node: ast.AST) -> str | None:
    """The literal text a message expression carries directly (not through gettext)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." + x + "..."
        return " ".join(t for t in (_text(node.left), _text(node.right)) if t)
    if isinstance(node, ast.IfExp):
        return " ".join(t for t in (_text(node.body), _text(node.orelse)) if t)
    return None


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _message_arguments(node: ast.AST) -> list[ast.AST]:
    """The arguments of ``node`` that a user reads, if ``node`` is a message-carrying construct."""
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        return [*node.exc.args, *(k.value for k in node.exc.keywords if k.arg in ("message", "reasons"))]
    if not isinstance(node, ast.Call):
        return []
    name = _name(node.func)
    if name in MESSAGE_CALLS:
        return [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("message", "description"))]
    if name == "abort":
        return [k.value for k in node.keywords if k.arg == "description"]
    if name == "route":  # an API route's OpenAPI summary and description, read in the API document
        return [k.value for k in node.keywords if k.arg in ("summary", "description")]
    if name in ("append", "insert") and isinstance(node.func, ast.Attribute):
        if MESSAGE_LISTS.search(ast.unparse(node.func.value).lower()):
            return node.args[-1:]
    if name == "__init__" and isinstance(node.func, ast.Attribute) and "super" in ast.unparse(node.func.value):
        return node.args[:1]  # an exception class passing its message up
    if name == "add" and isinstance(node.func, ast.Attribute) and "report" in ast.unparse(node.func.value).lower():
        return node.args[2:3]  # an import report's row problem: report.add(row, column, message)
    if name == "ActionResult":  # what a finding action shows it made
        return [k.value for k in node.keywords if k.arg == "label"]
    return []


def _returned_messages(node: ast.AST) -> list[ast.AST]:
    """The items of the lists a guard (``…_blockers``) or ``warnings`` function returns."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not MESSAGE_FUNCTIONS.search(node.name):
        return []
    items: list[ast.AST] = []
    for ret in (n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None):
        if isinstance(ret.value, ast.List):
            items.extend(ret.value.elts)
        elif isinstance(ret.value, ast.ListComp):
            items.append(ret.value.elt)
    return items


def _allowed(relative: str, text: str) -> bool:
    """Whether ``ALLOWED`` lets this literal stay Spanish (its key is the literal's start)."""
    return any(relative == where and text.startswith(start) for where, start in ALLOWED)


def spanish_messages(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/versions/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for argument in [*_message_arguments(node), *_returned_messages(node)]:
                text = _text(argument)
                if text and SPANISH.search(text) and not _allowed(relative, text):
                    found.append(f"{relative}:{argument.lineno}: {text[:80]!r}")
    return sorted(set(found), key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


@pytest.mark.parametrize("folder", SCANNED)
def test_no_hard_coded_spanish_message_reaches_a_user(folder):
    found = spanish_messages(PROJECT_ROOT / folder)
    assert not found, "Mensajes en español sin gettext (use _() con un msgid en inglés):\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for(tmp_path, monkeypatch):
    """The scan is not vacuous: each construct with a Spanish literal is reported, gettext is not."""
    monkeypatch.setattr("tests.core.test_i18n_policy.PROJECT_ROOT", tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "def f(x, problems, errors):\n"
        '    problems.append(f"El campo {x} es obligatorio.")\n'
        '    errors.insert(0, "Falta la fecha de inicio")\n'
        '    flash("No se guardó el expediente.", "error")\n'
        '    click.echo("Plazos " + str(x) + " creados en total")\n'
        '    abort(400, description="El año debe ser un número")\n'
        '    problems.append(_("The title is required."))\n'
        '    raise ValueError(_("«%(x)s» must be an integer.", x=x))\n'
        '    raise Refusal("Su rol no le permite ejecutar esto")\n'
        '    api.route("/x", summary="Un expediente y sus documentos", tag=TAG)(view)\n'
        '    api.route("/y", ("POST",), summary=_l("Create a case"), description="Crea el expediente")(view)\n'
        '    report.add(3, "ubigeo", f"«{x}» no es un territorio del ámbito.")\n'
        '    report.add(3, "ubigeo", _("«%(x)s» is not a territory.", x=x))\n'
        '    return ActionResult(label=f"Visita de supervisión {x}", url="/")\n'
        "def guard_blockers(case):\n"
        '    return [f"Falta la aceptación de {g}." for g in case.pending]\n'
        "def other_warnings(case):\n"
        '    return [_("No members in «%(c)s».", c=case)]\n'
        "def form_field(field):\n"
        '    return InputRequired(f"«{field.label}» es obligatorio.")\n',
        encoding="utf-8",
    )
    found = spanish_messages(tmp_path / "pkg")
    expected = ["2", "3", "4", "5", "6", "9", "10", "11", "12", "14", "16", "20"]
    assert [line.split(":")[1] for line in found] == expected


def test_every_allowlisted_literal_still_exists():
    for (relative, start), reason in ALLOWED.items():
        assert reason and start in (PROJECT_ROOT / relative).read_text(encoding="utf-8"), relative


# --- the same refusals in English and in Spanish ----------------------------------------------------------


@pytest.fixture
def english_team(app, make_user, govs, api_token):  # noqa: ANN001, ANN201
    user_id = make_user("team-en@huanuco.pe", ("team", govs["huanuco"]), locale="en")
    return {"Authorization": f"Bearer {api_token(user_id)}"}


@pytest.fixture
def spanish_team(app, make_user, govs, api_token):  # noqa: ANN001, ANN201
    user_id = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    return {"Authorization": f"Bearer {api_token(user_id)}"}


@pytest.mark.parametrize(
    ("method", "path", "body", "english", "spanish"),
    [
        (
            "post",
            "/api/v1/cases",
            {"type": "no_such_type", "title": "X"},
            "Unknown case type: «no_such_type».",
            "Tipo de expediente desconocido: «no_such_type».",
        ),
        (
            "get",
            "/api/v1/territories/999999",
            None,
            "Unknown ubigeo: 999999",
            "Ubigeo desconocido: 999999",
        ),
    ],
)
def test_api_refusals_follow_the_users_language(
    client, english_team, spanish_team, method, path, body, english, spanish
):
    def message(headers: dict[str, str]) -> str:
        response = getattr(client, method)(path, json=body, headers=headers)
        assert 400 <= response.status_code < 500, response.get_data(as_text=True)
        return response.get_json()["error"]["message"]

    assert message(english_team) == english
    assert message(spanish_team) == spanish


def test_openapi_document_in_the_browsers_language(client):
    english = client.get("/api/v1/openapi.json", headers={"Accept-Language": "en"}).get_json()
    spanish = client.get("/api/v1/openapi.json").get_json()
    assert english["paths"]["/api/v1/territories/{ubigeo}"]["get"]["summary"] == "One territory by its ubigeo"
    assert spanish["paths"]["/api/v1/territories/{ubigeo}"]["get"]["summary"] == "Un territorio por su ubigeo"
    assert english["paths"]["/api/v1/governments"]["get"]["responses"]["404"]["description"] == (
        "Does not exist or is outside your jurisdiction"
    )
    assert spanish["paths"]["/api/v1/governments"]["get"]["responses"]["404"]["description"] == (
        "No existe o fuera de su jurisdicción"
    )
    # a plugin's summaries too, from the plugin's own catalog
    agreement = "/api/v1/operations/agreements/{agreement_id}"
    assert english["paths"][agreement]["get"]["summary"] == "One agreement"
    assert spanish["paths"][agreement]["get"]["summary"] == "Un convenio"
    members = "/api/v1/institutionalization/members/{member_id}"
    assert english["paths"][members]["delete"]["summary"] == "Delete a member registered by mistake"
    assert spanish["paths"][members]["delete"]["summary"] == "Eliminar un miembro registrado por error"


def test_web_refusal_in_the_users_language(app, client, make_user, govs):
    """A refusal raised by the domain (an unrecognised upload) flashed on the case page, in the user's language."""
    make_user("team-en@huanuco.pe", ("team", govs["huanuco"]), locale="en")
    with app.app_context():
        case_id = generic_case(govs["huanuco"]).id
        db.session.commit()
    login(client, "team-en@huanuco.pe")

    def upload() -> str:
        data = {"file": (io.BytesIO(b"just some text"), "nota.pdf"), "description": ""}
        response = post_form(client, app, case_id, f"/expedientes/{case_id}/adjuntos", data)
        assert response.status_code == 400
        return response.get_data(as_text=True)

    assert "The content of «nota.pdf» is not recognised. Accepted:" in upload()
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "team-en@huanuco.pe")).locale = "es"
        db.session.commit()
    assert "No se reconoce el contenido de «nota.pdf». Se admiten:" in upload()


# --- the command line --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "es_PE.UTF-8"}, "es"),
        ({"LANG": "en_US.UTF-8", "ARTICULA_LOCALE": "es"}, "es"),
        ({"ARTICULA_LOCALE": "fr"}, None),
    ],
)
def test_cli_locale_from_the_environment(environ, expected):
    assert cli_locale(environ, ["es", "en"]) == expected


def test_cli_output_in_the_operators_language(app):
    runner = app.test_cli_runner()
    result = runner.invoke(articula, ["users", "create", "no-es-un-correo", "--name", "X", "--password", "x" * 12])
    assert result.exit_code != 0 and "Correo electrónico no válido: «no-es-un-correo»." in result.output
    app.config[CLI_LOCALE] = "en"
    try:
        result = runner.invoke(articula, ["users", "create", "no-es-un-correo", "--name", "X", "--password", "x" * 12])
        assert "Invalid e-mail address: «no-es-un-correo»." in result.output
        result = runner.invoke(articula, ["users", "create", "ana@huanuco.pe", "--name", "Ana", "--password", "x" * 12])
        assert result.exit_code == 0 and "User created: ana@huanuco.pe" in result.output
    finally:
        app.config.pop(CLI_LOCALE)
