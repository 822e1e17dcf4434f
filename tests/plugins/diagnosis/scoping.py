"""Classification of the diagnosis plugin's routes for the core's route matrix (tests/core/test_scoping.py):
each route → the kind of check tests/plugins/diagnosis/test_scoping.py runs on it for every role,
inside and outside the jurisdiction."""

from __future__ import annotations

ADMIN_VIEWS = (
    "dx_diagnosis",
    "dx_ficha_value",
    "dx_baseline",
    "dx_coverage",
    "dx_actor",
    "dx_cause",
    "dx_plan",
    "dx_result",
    "dx_indicator",
    "dx_activity",
)
#: Catalog-like: national reference data every member may read, only administrators change.
REFERENCE_ADMIN_VIEWS = ("dx_standard_result",)

CASE_READS = (
    "/diagnosticos/<int:case_id>/actores",
    "/diagnosticos/<int:case_id>/causas",
    "/diagnosticos/<int:case_id>/coincidencias",
    "/diagnosticos/<int:case_id>/fichas",
    "/diagnosticos/<int:case_id>/fichas/<int:record_id>",
    "/diagnosticos/<int:case_id>/lineas-de-base",
    "/diagnosticos/<int:case_id>/productivo",
    "/planes/<int:case_id>/actividades/<int:activity_id>",
    "/planes/<int:case_id>/matriz",
    "/planes/<int:case_id>/matriz.xlsx",
    "/planes/<int:case_id>/resultados/<int:result_id>/actividades/nueva",
    "/api/v1/diagnoses/<int:case_id>",
    "/api/v1/plans/<int:case_id>",
    "/api/v1/plans/<int:case_id>/matrix.xlsx",
)
CASE_WRITES = (
    "/diagnosticos/<int:case_id>/actores",
    "/diagnosticos/<int:case_id>/causas",
    "/diagnosticos/<int:case_id>/coincidencias",
    "/diagnosticos/<int:case_id>/fichas/<int:record_id>",
    "/diagnosticos/<int:case_id>/lineas-de-base",
    "/diagnosticos/<int:case_id>/productivo",
    "/planes/<int:case_id>/actividades/<int:activity_id>",
    "/planes/<int:case_id>/matriz/importar",
    "/planes/<int:case_id>/resultados",
    "/planes/<int:case_id>/resultados/<int:result_id>",
    "/planes/<int:case_id>/resultados/<int:result_id>/actividades/nueva",
    "/planes/<int:case_id>/resultados/<int:result_id>/indicadores",
    "/planes/<int:case_id>/resultados/<int:result_id>/indicadores/<int:indicator_id>",
    "/planes/<int:case_id>/siguiente-ciclo",
    "/api/v1/diagnoses/<int:case_id>/actors",
    "/api/v1/diagnoses/<int:case_id>/baselines",
    "/api/v1/diagnoses/<int:case_id>/baselines/import",
    "/api/v1/diagnoses/<int:case_id>/causes",
    "/api/v1/diagnoses/<int:case_id>/coverage",
    "/api/v1/diagnoses/<int:case_id>/fichas/<ubigeo>",
    "/api/v1/diagnoses/<int:case_id>/relations",
    "/api/v1/plans/<int:case_id>/activities/<int:activity_id>",
    "/api/v1/plans/<int:case_id>/indicators/<int:indicator_id>",
    "/api/v1/plans/<int:case_id>/matrix.xlsx",
    "/api/v1/plans/<int:case_id>/next-cycle",
    "/api/v1/plans/<int:case_id>/results",
    "/api/v1/plans/<int:case_id>/results/<int:result_id>",
    "/api/v1/plans/<int:case_id>/results/<int:result_id>/activities",
    "/api/v1/plans/<int:case_id>/results/<int:result_id>/indicators",
    "/api/v1/plans/<int:case_id>/sections",
)
#: Coordinators of the case's own government only (item g): tested by test_diagnosis.py.
PRIVATE = (
    "/diagnosticos/<int:case_id>/lista-nominal",
    "/diagnosticos/<int:case_id>/fichas/<int:record_id>/lista-nominal",
)
#: Lists filtered by the scope.
SCOPED_LISTS = ("/planes/",)
#: An ordinance's annex (a stage-1 case): tested by test_ordinance_annex.py for team, auditor, other region.
ORDINANCE_WRITES = ("/ordenanzas/<int:case_id>/plan",)

ROUTES: dict[str, str] = {
    **dict.fromkeys(CASE_READS, "plugin: case read"),
    **dict.fromkeys(CASE_WRITES, "plugin: case write"),
    **dict.fromkeys(PRIVATE, "plugin: item g"),
    **dict.fromkeys(SCOPED_LISTS, "plugin: scoped list"),
    **dict.fromkeys(ORDINANCE_WRITES, "plugin: ordinance annex"),
}
for _view in ADMIN_VIEWS:
    for _suffix in ("", "details/", "export/<export_type>/"):
        ROUTES[f"/admin/{_view}/{_suffix}"] = "plugin: scoped admin read"
