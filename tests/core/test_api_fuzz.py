"""Schemathesis, in-process (WSGI), against the API's own OpenAPI document: every operation fuzzed with a
team token and with an admin token, all checks on: no server error, no response outside the document."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

#: Examples per operation: enough to reach the edges (huge ids, NUL bytes, non-object bodies), few
#: enough that both passes of ``make test`` stay fast (five since stages 3 and 4 doubled the operations).
EXAMPLES = 5


#: Every test here fuzzes against the demo data: its app is on a private copy of the demo database.
pytestmark = pytest.mark.demo


@pytest.fixture
def team_token(make_user, govs, api_token) -> str:  # noqa: ANN001
    return api_token(make_user("fuzz.equipo@huanuco.pe", ("team", govs["huanuco"])))


@pytest.fixture
def admin_token(make_user, api_token) -> str:  # noqa: ANN001
    return api_token(make_user("fuzz.admin@articula.pe", ("admin", None)))


#: Every check on. One tuning: a schema-valid request may still break a business rule the schema
#: cannot state (a government that does not exist, a year before the cycle), answered with a Spanish 400.
CONFIG = {
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}},
}


@pytest.fixture
def api_schema(app):  # noqa: ANN001, ANN201
    config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
# Derandomized: the suite explores the same cases on every run, so a failure is reproducible.
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
)


@schema.parametrize()
@FUZZ
def test_api_fuzz_as_team(case, team_token) -> None:  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {team_token}"})


@schema.parametrize()
@FUZZ
def test_api_fuzz_as_admin(case, admin_token) -> None:  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"})


def test_api_stateful_sequences(app, team_token) -> None:  # noqa: ANN001
    """Schemathesis' stateful phase: sequences that create a record and then read, edit or delete it
    (links inferred from the document: a 201's ``id`` feeds the ``{…_id}`` of the next call)."""
    from hypothesis.stateful import run_state_machine_as_test

    # The token as the project's header: schemathesis' own checks then know which auth is the real one.
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {**CONFIG, "headers": {"Authorization": f"Bearer {team_token}"}}
    )
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    statuses: list[int] = []

    class Workflow(loaded.as_state_machine()):  # type: ignore[misc]
        def after_call(self, response, case) -> None:  # noqa: ANN001
            statuses.append(response.status_code)

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=5,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        ),
    )
    assert any(200 <= status < 300 for status in statuses), statuses  # the token was used: real answers
