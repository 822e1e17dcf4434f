"""The OpenAPI document tells the truth: every documented read is driven with a *valid* request against
the demo data (as an administrator, who reaches everything) and its answer is validated against the
document — the documented success status, content type, and (for JSON) the response schema."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")


@pytest.fixture
def demo(app, client, make_user, api_token, govs):  # noqa: ANN001, ANN201
    """For a ``@pytest.mark.demo`` test (its app has the demo data): tokens, and the records the demo lacks."""
    admin = make_user("contrato.admin@articula.pe", ("admin", None))
    team = make_user("contrato.equipo@huanuco.pe", ("team", govs["huanuco"]))
    headers = {"Authorization": f"Bearer {api_token(admin)}"}
    team_headers = {"Authorization": f"Bearer {api_token(team)}"}
    # Records the demo does not make: an attachment (the document of a case is issued by the demo).
    own = client.get(f"/api/v1/cases?government={govs['huanuco']}&per_page=1", headers=team_headers).get_json()
    case_id = own["items"][0]["id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "acta.pdf"), "description": "Acta"},
        headers=team_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    # …and a submission of one of the region's issued documents.
    from core.documents.models import IssuedDocument

    with app.app_context():
        issued = db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.government_id == govs["huanuco"]))
    assert issued is not None, "the demo issues the region's documents"
    sent = {"government_id": govs["huanuco"], "year": 2008, "document_ids": [issued]}
    response = client.post("/api/v1/submissions", json=sent, headers=team_headers)
    assert response.status_code == 201, response.get_json()
    # …and a background document job as the consumer leaves it (a large document issued later).
    from core.documents.models import DocumentJob
    from core.models import User

    with app.app_context():
        requester = db.session.scalar(select(User.id).where(User.email == "contrato.equipo@huanuco.pe"))
        db.session.add(
            DocumentJob(
                case_id=case_id,
                government_id=govs["huanuco"],
                template_key="case_summary",
                user_id=requester,
                status="done",
                document_id=issued,
            )
        )
        db.session.commit()
    return headers, path_values(app)


def path_values(app) -> dict[str, Any]:  # noqa: ANN001
    """A real id (or key) for each path parameter, found in the demo data."""
    from core.documents.models import DocumentJob, IssuedDocument
    from core.models import Case, Government
    from core.models.attachments import Attachment
    from core.models.submissions import Submission
    from plugins.diagnosis.models import Diagnosis, Plan, PlanActivity, PlanIndicator, PlanResult
    from plugins.institutionalization.models import ArticulationBody, BodyMember, Ordinance, OrdinanceClause
    from plugins.monitoring.dashboards.models import QuarterlyReport
    from plugins.monitoring.evaluation.models import PlanEvaluation
    from plugins.monitoring.indicators.models import Measurement
    from plugins.monitoring.supervision.models import (
        CommunityOrganization,
        CommunityReport,
        SupervisionChecklist,
        SupervisionVisit,
        VisitFinding,
    )
    from plugins.monitoring.ventanilla.models import VentanillaEntry
    from plugins.operations.agreements.models import Agreement
    from plugins.operations.incentives.models import Contest, ContestApplication
    from plugins.operations.investment.models import InvestmentProject
    from plugins.operations.sessions.models import InstanciaSession, SessionAgreement
    from plugins.operations.training.models import CommunicationPlan, TrainingEvent

    def first(column: Any) -> Any:
        return db.session.scalar(select(column).order_by(column).limit(1))

    with app.app_context():
        plan_id = first(Plan.id)
        return {
            "plans": {
                "case_id": plan_id,
                "result_id": db.session.scalar(select(PlanResult.id).where(PlanResult.plan_id == plan_id).limit(1)),
                "indicator_id": first(PlanIndicator.id),
                "activity_id": first(PlanActivity.id),
            },
            "diagnoses": {"case_id": first(Diagnosis.id), "ubigeo": "100102"},
            "bodies": {"case_id": first(ArticulationBody.id)},
            "ordinances": {"case_id": first(Ordinance.id), "clause_id": first(OrdinanceClause.id)},
            "sessions/sessions": {"case_id": first(InstanciaSession.id)},
            "training/events": {"case_id": first(TrainingEvent.id)},
            "training/plans": {"case_id": first(CommunicationPlan.id)},
            "quarterly-reports": {"case_id": first(QuarterlyReport.id)},
            "evaluations": {"case_id": first(PlanEvaluation.id)},
            "default": {
                # a regional government: the regional dashboard answers only for one
                "government_id": db.session.scalar(
                    select(Government.id).where(Government.kind == "regional", Government.ubigeo == "100000")
                ),
                "case_id": first(Case.id),
                "id": first(Government.id),
                "ubigeo": "100000",
                "member_id": first(BodyMember.id),
                "clause_id": first(OrdinanceClause.id),
                "document_id": first(IssuedDocument.id),
                "submission_id": first(Submission.id),
                "attachment_id": first(Attachment.id),
                "job_id": first(DocumentJob.id),
                "agreement_id": first(Agreement.id),
                "session_agreement_id": first(SessionAgreement.id),
                "project_id": first(InvestmentProject.id),
                "contest_id": first(Contest.id),
                "application_id": first(ContestApplication.id),
                "region_id": db.session.scalar(select(Government.id).where(Government.kind == "regional").limit(1)),
                "number": 2,  # a key indicator (Figure 05)
                "measurement_id": first(Measurement.id),
                "checklist_id": first(SupervisionChecklist.id),
                "visit_id": first(SupervisionVisit.id),
                "finding_id": first(VisitFinding.id),
                "organization_id": first(CommunityOrganization.id),
                "report_id": first(CommunityReport.id),
                "entry_id": first(VentanillaEntry.id),
                "code": first(VentanillaEntry.code),
            },
        }


def fill(path: str, values: dict[str, Any]) -> str | None:
    families = (
        "sessions/sessions",
        "training/events",
        "training/plans",
        "plans",
        "diagnoses",
        "bodies",
        "ordinances",
        "quarterly-reports",
        "evaluations",
    )
    family = next((k for k in families if f"/{k}/" in path), "default")
    missing = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        value = values[family].get(name, values["default"].get(name))
        if value is None:
            missing.append(name)
        return str(value)

    filled = re.sub(r"\{(\w+)\}", replace, path)
    return None if missing else filled


#: Reads that need a query parameter to be valid.
REQUIRED_QUERY = {"/api/v1/submissions/overview": "?year=2008"}


@pytest.mark.demo
def test_every_documented_read_answers_as_documented(client, demo):  # noqa: ANN001
    headers, values = demo
    document = client.get("/api/v1/openapi.json").get_json()
    from referencing.jsonschema import DRAFT202012

    registry = referencing.Registry().with_resource("urn:articula", DRAFT202012.create_resource(document))
    checked, problems = [], []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        op = operations["get"]
        url = fill(path, values)
        if url is None:
            problems.append(f"GET {path}: the demo has no record for its path")
            continue
        response = client.get(url + REQUIRED_QUERY.get(path, ""), headers=headers)
        success = next(code for code in op["responses"] if code.startswith("2"))
        if str(response.status_code) != success:
            problems.append(f"GET {url}: {response.status_code}, documented {success}: {response.get_data()[:200]!r}")
            continue
        documented = op["responses"][success]["content"]
        if response.mimetype not in documented:
            problems.append(f"GET {url}: content type {response.mimetype}, documented {sorted(documented)}")
            continue
        if response.mimetype == "application/json":
            schema = documented["application/json"]["schema"]
            validator = jsonschema.Draft202012Validator(_rebased(schema), registry=registry)
            for error in validator.iter_errors(response.get_json()):
                problems.append(f"GET {url}: {error.message[:200]} at {list(error.absolute_path)}")
        checked.append(path)
    assert not problems, "\n".join(problems)
    assert len(checked) >= 25  # every read of the document, core and plugins


def _rebased(schema: dict[str, Any]) -> dict[str, Any]:
    """Point the document's local refs (#/components/...) at the registered document."""
    import json

    return json.loads(json.dumps(schema).replace('"#/components/', '"urn:articula#/components/'))


# --- writes: the suite's own API flows, every answer checked against the document -----------------


class ContractClient(FlaskClient):
    """A test client that checks every /api/v1 answer against the OpenAPI document: the status is one
    the operation documents, the content type too, and a JSON body matches that status's schema."""

    document: dict[str, Any] = {}
    problems: list[str] = []
    exercised: set[tuple[str, str]] = set()

    def open(self, *args: Any, **kwargs: Any):  # noqa: ANN201
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith("/api/v1/") and request.path != "/api/v1/openapi.json":
            self._check(request.method.lower(), request.path, response)
        return response

    def _check(self, method: str, path: str, response: Any) -> None:
        from referencing.jsonschema import DRAFT202012

        template = next((t for t in self.document["paths"] if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", t), path)), None)
        op = self.document["paths"].get(template, {}).get(method) if template else None
        if op is None:
            return  # undocumented paths answer 404/405, covered by the fuzzing
        where = f"{method.upper()} {template}"
        status = str(response.status_code)
        if status not in op["responses"]:
            self.problems.append(f"{where}: status {status} not documented")
            return
        if status.startswith("2"):
            self.exercised.add((method, template))
        documented = op["responses"][status].get("content", {})
        if status == "204" or not documented:
            return
        if response.mimetype not in documented:
            self.problems.append(f"{where}: {status} as {response.mimetype}, documented {sorted(documented)}")
            return
        if response.mimetype == "application/json":
            registry = referencing.Registry().with_resource("urn:articula", DRAFT202012.create_resource(self.document))
            schema = _rebased(documented["application/json"]["schema"])
            validator = jsonschema.Draft202012Validator(schema, registry=registry)
            for error in validator.iter_errors(response.get_json()):
                self.problems.append(f"{where} {status}: {error.message[:200]} at {list(error.absolute_path)}")


@pytest.fixture
def contract_client(app):  # noqa: ANN001, ANN201
    ContractClient.document = app.test_client().get("/api/v1/openapi.json").get_json()
    ContractClient.problems = []
    previous, app.test_client_class = app.test_client_class, ContractClient
    try:
        yield app.test_client()
    finally:
        app.test_client_class = previous


def flows() -> list[Any]:
    from tests.plugins.diagnosis import test_diagnosis, test_plan
    from tests.plugins.institutionalization import test_api as institutionalization_api
    from tests.plugins.operations.incentives import test_api_flow as incentives_api
    from tests.plugins.operations.training import test_training

    return [
        institutionalization_api.test_whole_path_through_the_api,
        test_plan.test_workflow_guard_approval_and_submission,
        test_plan.test_api_xlsx_import_reports_rows_as_json,
        test_plan.test_next_cycle_copies_structure_and_leaves_goals_to_update,
        test_diagnosis.test_ficha_through_the_api,
        test_training.test_region_lists_its_events_and_its_municipalities_read_only,
        test_training.test_bad_input_names_the_field_and_saves_nothing,
        incentives_api.test_a_local_contest_runs_from_call_to_award_through_the_api,
    ]


@pytest.mark.parametrize("flow", range(8))
def test_api_writes_answer_as_documented(app, contract_client, make_user, govs, api_token, flow):  # noqa: ANN001
    from tests.plugins.institutionalization.conftest import People

    function = flows()[flow]
    arguments = {"app": app, "client": contract_client, "make_user": make_user, "govs": govs, "api_token": api_token}
    if "people" in function.__code__.co_varnames[: function.__code__.co_argcount]:
        arguments["people"] = People(make_user, govs)
    names = function.__code__.co_varnames[: function.__code__.co_argcount]
    function(**{name: arguments[name] for name in names})
    assert not ContractClient.problems, "\n".join(ContractClient.problems)
    writes = {(m, p) for m, p in ContractClient.exercised if m != "get"}
    assert writes, "the flow wrote through the API"
