"""Articula's app factory: ``create_app(config=None)`` wires config, database, plugins and views."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from flask import Flask, current_app
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.middleware.proxy_fix import ProxyFix

import core.models  # noqa: F401  (register the platform's tables)
from core import admin, api, errors, redaction, validation, web
from core.config import PROJECT_ROOT, enabled_plugin_names, load_config
from core.database import configure_engine
from core.extensions import babel, csrf, db, login_manager, migrate
from core.i18n import select_locale
from core.plugins import PluginRegistry

__all__ = ["create_app"]

CORE_MIGRATIONS = PROJECT_ROOT / "core" / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an Articula application; ``config`` overrides every other configuration source."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    load_config(app, config)
    validation.init_app(app)  # first: the bounded id converter must be in place before any route
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted > 0:
        # Each trusted proxy appends one address; only that many from the right are believed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redaction.install()  # calendar tokens in request lines never reach the access log

    registry = PluginRegistry(enabled_plugin_names(app))
    app.extensions["articula.plugins"] = registry
    for info in registry.enabled:
        if importlib.util.find_spec(f"{info.module_name}.models"):
            importlib.import_module(f"{info.module_name}.models")

    _init_extensions(app, registry)
    _init_templates(app, registry)

    # Built-in plugins (the core's subsystems) first, then the enabled plugins; inside an app
    # context so that per-app registries (panels, workflow effects, inbox filters) can be filled.
    with app.app_context():
        registry.call_in_order("init_app", app=app)
        web.init_app(app)
        api.init_app(app)
        admin.init_app(app)
        errors.init_app(app)
        registry.call_in_order("register_blueprints", app=app)
        # On app.cli too, so ``app.test_cli_runner()`` and ``flask`` see them like ``articula`` does.
        for command in registry.collect("cli_commands"):
            app.cli.add_command(command)
    return app


def _init_extensions(app: Flask, registry: PluginRegistry) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(app)

    version_locations = [str(CORE_MIGRATIONS / "versions")]
    version_locations += [str(f) for f in (info.folder("migrations") for info in registry.enabled) if f]
    migrate.init_app(app, db, directory=str(CORE_MIGRATIONS), render_as_batch=True, compare_type=True)
    app.config["ARTICULA_VERSION_LOCATIONS"] = version_locations

    login_manager.init_app(app)
    csrf.init_app(app)

    translation_dirs = [str(PROJECT_ROOT / "translations")]
    translation_dirs += [str(f) for f in registry.folders("translations")]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_dirs)
    babel.init_app(app, locale_selector=select_locale)


@migrate.configure
def _alembic_version_locations(config):  # noqa: ANN001, ANN202
    locations = current_app.config.get("ARTICULA_VERSION_LOCATIONS")
    if locations:
        config.set_main_option("version_locations", " ".join(locations))
    return config


def _init_templates(app: Flask, registry: PluginRegistry) -> None:
    # Plugin folders first (dependents before dependencies), then the shared templates/.
    loaders = [FileSystemLoader(str(folder)) for folder in registry.folders("templates")]
    loaders.append(FileSystemLoader(str(PROJECT_ROOT / "templates")))
    app.jinja_loader = ChoiceLoader(loaders)
