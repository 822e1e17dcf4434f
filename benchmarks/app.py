"""The benchmark's WSGI app: Articula plus its peers, served by the same gunicorn workers.

- ``/_bench/minimal``: a minimal Flask endpoint (the machine's ceiling);
- ``/_bench/territories``: a bare Flask JSON endpoint running the API territory list's query
  (the same page and count, ``jsonify`` of plain dicts) with no authentication;
- ``/_bench/admin/government/``: a bare Flask-Admin ``ModelView`` of the government table (same
  columns, page size and related rows as Articula's admin list) with no scoping or sign-in.
"""

from __future__ import annotations

from flask import Flask, jsonify, request


def create() -> Flask:
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
    from flask_admin.theme import Bootstrap4Theme
    from sqlalchemy import func, select

    from core.app import create_app
    from core.extensions import db
    from core.models import Government, Territory

    app = create_app()

    @app.route("/_bench/minimal")
    def minimal() -> str:
        return "ok"

    @app.route("/_bench/territories")
    def bare_territories():  # noqa: ANN202
        per_page = min(int(request.args.get("per_page", 50)), 500)
        page = max(int(request.args.get("page", 1)), 1)
        query = select(Territory).order_by(Territory.ubigeo)
        if request.args.get("level"):
            query = query.where(Territory.level == request.args["level"])
        total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Territory.id).subquery()))
        rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
        items = [
            {
                "id": t.id,
                "ubigeo": t.ubigeo,
                "level": t.level,
                "name": t.name,
                "parent_id": t.parent_id,
                "latitude": float(t.latitude) if t.latitude is not None else None,
                "longitude": float(t.longitude) if t.longitude is not None else None,
            }
            for t in rows
        ]
        return jsonify({"items": items, "total": total, "page": page, "per_page": per_page})

    class BareGovernmentView(ModelView):
        column_list = ("kind", "name", "acronym", "ubigeo", "parent", "region")
        column_searchable_list = ("name", "ubigeo", "acronym")
        column_filters = ("kind",)
        column_select_related_list = (Government.parent, Government.region)
        column_default_sort = "name"
        page_size = app.config["ADMIN_PAGE_SIZE"]
        can_export = True
        can_view_details = True

    bare = Admin(app, name="Bare", url="/_bench/admin", endpoint="bench_admin", theme=Bootstrap4Theme())
    bare.add_view(BareGovernmentView(Government, db.session, endpoint="bench_government", url="government"))
    return app
