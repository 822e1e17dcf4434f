"""The dashboards' and the evaluation's messages go through gettext (the core's scan,
tests/core/test_i18n_policy.py, applied to these sub-packages until the monitoring plugin joins its list)."""

from __future__ import annotations

import pytest

from tests.core.test_i18n_policy import PROJECT_ROOT, spanish_messages


@pytest.mark.parametrize("folder", ["plugins/monitoring/dashboards", "plugins/monitoring/evaluation"])
def test_no_hard_coded_spanish_message(folder: str) -> None:
    assert spanish_messages(PROJECT_ROOT / folder) == []
