"""Classification of the regional support overview's routes for the core's route matrix; its own role
matrix is in test_support.py (a region sees its municipalities, a municipality its own row, another region 404)."""

from __future__ import annotations

ADMIN_VIEWS: tuple[str, ...] = ()

ROUTES: dict[str, str] = {
    "/operaciones/apoyo/": "plugin: list",
    "/api/v1/operations/support": "plugin: list",
    "/api/v1/operations/support/<int:region_id>": "plugin: read",
}
