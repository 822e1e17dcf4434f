"""Every permission predicate is a named action of core.security: ``can(user, "case.edit", case)``;
plugins add theirs through the ``permission_actions`` hook; no role set is spelled out elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from core.extensions import db
from core.security import CORE_ACTIONS, actions, can
from core.testing import generic_case

INLINE_ROLE_SET = re.compile(r"""\{\s*["'](team|coordinator)["']\s*,\s*["'](team|coordinator)["']\s*\}""")


def test_no_inline_write_role_sets_outside_the_security_layer():
    offenders = []
    for folder in ("core", "plugins"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if path == PROJECT_ROOT / "core" / "security.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if INLINE_ROLE_SET.search(line):
                    offenders.append(f"{Path(path).relative_to(PROJECT_ROOT)}:{number}")
    assert offenders == []


def test_the_app_knows_the_core_and_plugin_actions(app):  # noqa: ANN001
    known = actions(app)
    assert set(CORE_ACTIONS) <= set(known)
    assert "diagnosis.nominal_list.read" in known  # registered by the diagnosis plugin's hook


def test_can_takes_a_user_and_a_named_action(app, govs, make_user):  # noqa: ANN001
    from core.models import User

    team = make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    auditor = make_user("auditor@articula.pe", ("auditor", None))
    cusco = make_user("equipo@cusco.pe", ("team", govs["cusco"]))
    with app.app_context():
        case = generic_case(govs["huanuco"])
        db.session.flush()
        users = {
            name: db.session.get(User, uid) for name, uid in (("team", team), ("auditor", auditor), ("cusco", cusco))
        }
        assert [can(users[n], "case.edit", case) for n in ("team", "auditor", "cusco")] == [True, False, False]
        assert [can(users[n], "government.write", govs["huanuco"]) for n in ("team", "auditor", "cusco")] == [
            True,
            False,
            False,
        ]
        assert [can(users[n], "audit.browse") for n in ("team", "auditor", "cusco")] == [False, True, False]
        with pytest.raises(ValueError, match="unknown action"):
            can(users["team"], "case.teleport", case)
        db.session.rollback()
