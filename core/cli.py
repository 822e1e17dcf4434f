"""The ``articula`` command line: Flask's commands plus db, plugins, territories, data, users, demo."""

from __future__ import annotations

import os
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_migrate import cli as migrate_cli
from flask_migrate import upgrade as migrate_upgrade
from sqlalchemy import select

from core.database import writing
from core.extensions import db
from core.i18n import CLI_LOCALE, cli_locale


def _create_app():  # noqa: ANN202
    from core.app import create_app

    app = create_app()
    # Messages of the command line in the operator's language (ARTICULA_LOCALE or LANG; Spanish by default).
    app.config[CLI_LOCALE] = cli_locale(os.environ, app.config["LANGUAGES"])
    return app


class ArticulaGroup(FlaskGroup):
    """FlaskGroup whose ``db upgrade`` builds every plugin branch, plus the plugins' own commands."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(create_app=_create_app, load_dotenv=False, **kwargs)
        self._loaded_plugin_commands = True  # we register flask-migrate's group ourselves

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except Exception:  # noqa: BLE001 — a broken app still lists the built-in commands
            return {}
        with app.app_context():
            from core.plugins import plugin_registry

            return {cmd.name: cmd for cmd in plugin_registry(app).collect("cli_commands")}

    def get_command(self, ctx: click.Context, name: str):  # noqa: ANN201
        command = super().get_command(ctx, name)
        return command or self._plugin_commands(ctx).get(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugin_commands(ctx)))


main = ArticulaGroup(help="Articula: expedientes de la Estrategia Nacional CRECER.")

# --- db: Flask-Migrate's commands, with upgrade defaulting to every branch head ----------------
db_group = click.Group(
    "db",
    params=migrate_cli.db.params,
    callback=migrate_cli.db.callback,  # sets g.directory / g.x_arg for Flask-Migrate
    help="Migraciones de la base de datos (Alembic, una rama por plugin).",
)
for _name, _cmd in migrate_cli.db.commands.items():
    if _name != "upgrade":
        db_group.add_command(_cmd, _name)


@db_group.command("upgrade")
@click.argument("revision", default="heads")
@click.option("--sql", is_flag=True, help="Mostrar el SQL en vez de ejecutarlo.")
@with_appcontext
def db_upgrade(revision: str, sql: bool) -> None:
    """Aplica las migraciones del núcleo y de cada plugin habilitado (por defecto: todas las ramas)."""
    migrate_upgrade(revision=revision, sql=sql)


main.add_command(db_group)


# --- plugins -----------------------------------------------------------------------------------
@main.group("plugins")
def plugins_group() -> None:
    """Plugins instalados y habilitados."""


@plugins_group.command("list")
@with_appcontext
def plugins_list() -> None:
    """Nombre, versión, habilitado, orden de carga y dependencias de cada plugin."""
    from core.plugins import plugin_registry

    registry = plugin_registry()
    rows = [(_("NAME"), _("VERSION"), _("ENABLED"), _("ORDER"), _("DEPENDS ON"))]
    for name in sorted(
        registry.available, key=lambda n: (registry.available[n].order is None, registry.available[n].order or 0, n)
    ):
        info = registry.available[name]
        rows.append(
            (
                info.name,
                info.version,
                _("yes") if info.enabled else _("no"),
                "-" if info.order is None else str(info.order + 1),
                ", ".join(info.depends) or "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@plugins_group.command("new")
@click.argument("name")
@click.option("--dir", "target", default="plugins", show_default=True, type=click.Path(file_okay=False),
              help="Carpeta donde se crea el plugin.")
@click.option("--register/--no-register", default=None,
              help="Agregar su entry point a pyproject.toml (luego: make install). Por defecto, sí "
                   "cuando el plugin se crea en la carpeta plugins/ de este proyecto.")
def plugins_new(name: str, target: str, register: bool | None) -> None:
    """Crea un plugin nuevo: tipo de registro, campos, operación, página, API, admin, flujo,
    documento, migración, traducciones y pruebas (ver docs/plugin-kit.md, «Escribir un plugin»)."""
    from pathlib import Path

    from core import scaffold
    from core.config import DEFAULT_PLUGINS, PROJECT_ROOT

    folder = Path(target)
    try:
        written = scaffold.generate(name, folder)
    except scaffold.ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    module = scaffold.module_name(folder / name)
    click.echo(_(
        "Plugin «%(name)s» created in %(path)s (%(count)s files, module %(module)s).",
        name=name,
        path=folder / name,
        count=len(written),
        module=module,
    ))
    line = scaffold.entry_point_line(name, module)
    if register is None:  # a plugin of this project is registered, so that `make test` finds it as it is
        register = folder.resolve() == (PROJECT_ROOT / "plugins").resolve()
    if register:
        pyproject = PROJECT_ROOT / "pyproject.toml"
        added = scaffold.register(pyproject, name, module)
        click.echo(
            _("Registered in %(path)s: %(line)s", path=pyproject, line=line)
            if added
            else _("Already registered in %(path)s: %(line)s", path=pyproject, line=line)
        )
        click.echo(_("Reinstall so that it is discovered: make install"))
    else:
        click.echo(_(
            "To register it, add to pyproject.toml, in %(section)s:",
            section=scaffold.ENTRY_POINTS_HEADER,
        ))
        click.echo(f"    {line}")
        click.echo(_("and reinstall (make install); or repeat with --register."))
    click.echo(_(
        "To enable it: ARTICULA_PLUGINS=%(default_plugins)s,%(name)s",
        default_plugins=DEFAULT_PLUGINS,
        name=name,
    ))
    click.echo(_("Its tests: .venv/bin/python -m pytest %(path)s", path=folder / name / "tests"))


# --- territory and data ------------------------------------------------------------------------
@main.group("operations")
def operations_group() -> None:
    """Operaciones con nombre (toda escritura de páginas, API y CLI pasa por una)."""


@operations_group.command("list")
@click.option("--markdown", is_flag=True, help="Documentación completa en Markdown (docs/plugin-kit.md).")
@with_appcontext
def operations_list(markdown: bool) -> None:
    """Cada operación con la primera línea de su documentación."""
    from core.operations import registry

    ops = list(registry())
    if markdown:
        for op in ops:
            click.echo(f"### `{op.name}`\n\n{op.doc}\n")
        return
    width = max((len(op.name) for op in ops), default=0)
    for op in ops:
        click.echo(f"{op.name.ljust(width)}  {op.summary}")


@main.group("territories")
def territories_group() -> None:
    """Territorio (ubigeos del INEI) y gobiernos."""


@territories_group.command("load")
@with_appcontext
def territories_load() -> None:
    """Carga o actualiza departamentos, provincias, distritos y sus gobiernos (idempotente)."""
    from core.territories import load_territories

    started = time.perf_counter()
    with writing():
        stats = load_territories()
    t, g = stats.territories, stats.governments
    click.echo(
        _(
            "Territory: %(departments)s departments, %(provinces)s provinces, %(districts)s districts. "
            "Governments: %(regional)s regional, %(provincial)s provincial municipalities, "
            "%(district)s district municipalities. %(created)s created, %(updated)s updated in %(seconds)s s.",
            departments=t.get("department", 0),
            provinces=t.get("province", 0),
            districts=t.get("district", 0),
            regional=g.get("regional", 0),
            provincial=g.get("provincial", 0),
            district=g.get("district", 0),
            created=stats.created,
            updated=stats.updated,
            seconds=f"{time.perf_counter() - started:.1f}",
        )
    )


@main.group("data")
def data_group() -> None:
    """Datos semilla: catálogos de la EN CRECER y datos de los plugins."""


@data_group.command("load")
@click.option("--force", is_flag=True, help="Recargar aunque la versión no haya cambiado.")
@with_appcontext
def data_load(force: bool) -> None:
    """Carga los catálogos y los datos de cada plugin cuya versión cambió (conserva lo editado)."""
    from core.seed import load_all

    changes: dict[str, dict[str, str]] = {}
    with writing():
        results = load_all(current_app, force=force, changes=changes)
    if not results:
        click.echo(_("Seed data up to date."))
    for owner, stats in results.items():
        kept = _(", %(count)s kept because a user edited them", count=len(stats.kept)) if stats.kept else ""
        click.echo(_(
            "%(owner)s: %(created)s created, %(updated)s updated%(kept)s.",
            owner=owner,
            created=stats.created,
            updated=stats.updated,
            kept=kept,
        ))
    for workflow_id, outcome in changes.get("workflows", {}).items():
        click.echo(str(WORKFLOW_OUTCOMES[outcome]) % {"id": workflow_id})
    for key, outcome in changes.get("rules", {}).items():
        click.echo(str(RULE_OUTCOMES[outcome]) % {"key": key})


#: How ``data load`` words what happened to a shipped workflow or deadline rule (core.workflow.load_shipped,
#: core.deadlines.loading.load_rules return the codes).
WORKFLOW_OUTCOMES = {
    "created": _l("Workflow «%(id)s» created."),
    "updated": _l("Workflow «%(id)s» updated."),
    "kept": _l("Workflow «%(id)s» kept: an administrator edited it."),
}
RULE_OUTCOMES = {
    "created": _l("Deadline rule «%(key)s» created."),
    "updated": _l("Deadline rule «%(key)s» updated."),
    "kept": _l("Deadline rule «%(key)s» kept: an administrator edited it."),
}


# --- users ---------------------------------------------------------------------------------------
@main.group("users")
def users_group() -> None:
    """Usuarios y membresías (gobierno × rol)."""


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Nombre completo.")
@click.option("--password", prompt="Contraseña", hide_input=True, confirmation_prompt=True)
@click.option("--locale", type=click.Choice(["es", "en"]), default="es")
@with_appcontext
def users_create(email: str, name: str, password: str, locale: str) -> None:
    """Crea un usuario."""
    from core.users import UserError, create_user

    try:
        with writing():
            user = create_user(email, name, password, locale)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("User created: %(email)s (id %(id)s).", email=user.email, id=user.id))


@users_group.command("grant")
@click.argument("email")
@click.argument("role")
@click.option(
    "--government",
    "government_ref",
    default=None,
    help="Id, ubigeo o nombre exacto del gobierno (sin él: rol nacional).",
)
@click.option("--revoke", is_flag=True, help="Quitar la membresía en vez de darla.")
@with_appcontext
def users_grant(email: str, role: str, government_ref: str | None, revoke: bool) -> None:
    """Da (o quita) a un usuario un rol en un gobierno."""
    from core.users import UserError, grant

    try:
        with writing():
            message = grant(email, role, government_ref, revoke=revoke)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(message)


# --- demo and one-step setup -------------------------------------------------------------------
@main.group("demo")
def demo_group() -> None:
    """Datos de demostración (nunca en producción)."""


@demo_group.command("load")
@with_appcontext
def demo_load() -> None:
    """Carga los usuarios de demostración de Huánuco y los datos de demo de cada plugin."""
    from core.demo import DemoError, load_demo, print_logins

    try:
        with writing():
            load_demo(current_app)
    except DemoError as error:
        raise click.ClickException(str(error)) from error
    print_logins()


@main.command("setup")
@click.option("--demo/--no-demo", default=False, help="Cargar también los datos de demostración.")
@with_appcontext
def setup(demo: bool) -> None:
    """Migra la base de datos, carga territorio, catálogos y (opcionalmente) la demo."""
    ctx = click.get_current_context()
    ctx.invoke(db_upgrade, revision="heads", sql=False)
    from core.models import Territory

    if db.session.scalar(select(Territory.id).limit(1)) is None:
        ctx.invoke(territories_load)
    ctx.invoke(data_load, force=False)
    if demo:
        ctx.invoke(demo_load)
