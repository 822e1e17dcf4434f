"""Classification of the operations plugin's routes for the core's route matrix (tests/core/test_scoping.py):
the union of its sub-areas' own classifications (tests/plugins/operations/<sub>/scoping.py)."""

from __future__ import annotations

from tests.plugins.operations.agreements import scoping as agreements

ROUTES: dict[str, str] = {**agreements.ROUTES}
ADMIN_VIEWS = (*agreements.ADMIN_VIEWS,)
