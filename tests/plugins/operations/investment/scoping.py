"""The investment portfolio's and the results-based budget's routes for the route matrix (one file for both):
each route → the kind of check the record type's own matrix test runs on it for every role (investment:
tests/plugins/operations/investment/test_portfolio.py; budget: tests/plugins/operations/budget/test_budget.py)."""

from __future__ import annotations

ADMIN_VIEWS = ("op_investment_project", "op_budget_line")
#: National default and per-government thresholds: every member may read them, only administrators change them.
REFERENCE_ADMIN_VIEWS = ("op_budget_threshold",)

INVESTMENT_READS = (
    "/operaciones/inversion/<int:project_id>",
    "/operaciones/inversion/cartera.pdf",
    "/operaciones/inversion/cartera.xlsx",
    "/api/v1/operations/investment/projects/<int:project_id>",
    "/api/v1/operations/investment/portfolio.pdf",
    "/api/v1/operations/investment/portfolio.xlsx",
)
INVESTMENT_WRITES = (
    "/operaciones/inversion/nuevo",
    "/operaciones/inversion/<int:project_id>/editar",
    "/operaciones/inversion/<int:project_id>/fase",
    "/operaciones/inversion/<int:project_id>/financiamiento",
    "/operaciones/inversion/<int:project_id>/avance",
    "/api/v1/operations/investment/projects",
    "/api/v1/operations/investment/projects/<int:project_id>/phase",
    "/api/v1/operations/investment/projects/<int:project_id>/funding",
    "/api/v1/operations/investment/projects/<int:project_id>/progress",
    "/operaciones/inversion/cartera/emitir",
    "/api/v1/operations/investment/portfolio/issue",
)
BUDGET_READS = (
    "/operaciones/presupuesto/planes/<int:case_id>",
    "/operaciones/presupuesto/planes/<int:case_id>/alineamiento.pdf",
    "/operaciones/presupuesto/planes/<int:case_id>/alineamiento.xlsx",
    "/api/v1/operations/budget/plans/<int:case_id>/alignment",
    "/api/v1/operations/budget/plans/<int:case_id>/alignment.pdf",
    "/api/v1/operations/budget/plans/<int:case_id>/alignment.xlsx",
)
BUDGET_WRITES = (
    "/operaciones/presupuesto/planes/<int:case_id>/lineas",
    "/operaciones/presupuesto/planes/<int:case_id>/importar",
    "/api/v1/operations/budget/plans/<int:case_id>/lines",
    "/api/v1/operations/budget/plans/<int:case_id>/import",
)
#: Administrators only (the alignment threshold).
ADMIN_ONLY = ("/operaciones/presupuesto/umbral", "/api/v1/operations/budget/threshold")
#: Lists filtered by the scope.
SCOPED_LISTS = ("/operaciones/inversion/", "/operaciones/presupuesto/")

ROUTES: dict[str, str] = {
    **dict.fromkeys(INVESTMENT_READS, "plugin: investment read"),
    **dict.fromkeys(INVESTMENT_WRITES, "plugin: investment write"),
    **dict.fromkeys(BUDGET_READS, "plugin: budget read"),
    **dict.fromkeys(BUDGET_WRITES, "plugin: budget write"),
    **dict.fromkeys(ADMIN_ONLY, "plugin: administrators only"),
    **dict.fromkeys(SCOPED_LISTS, "plugin: scoped list"),
}
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
