"""The dashboards' messages go through gettext (the core's scan, tests/core/test_i18n_policy.py, applied to
this sub-package until the monitoring plugin joins its list)."""

from __future__ import annotations

from tests.core.test_i18n_policy import PROJECT_ROOT, spanish_messages


def test_no_hard_coded_spanish_message_in_the_dashboards() -> None:
    assert spanish_messages(PROJECT_ROOT / "plugins/monitoring/dashboards") == []
