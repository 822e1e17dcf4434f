"""Tests for the plugin system: dependency order, manifests, boot with any plugin set, the CLI list, and a
third-party plugin installed for real (entry point, blueprint, admin view, model, migration, seed data,
translations)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from sqlalchemy import inspect, select, text

from core.cli import main as cli
from core.database import writing
from core.plugins import PluginError, PluginInfo, read_manifest, resolve
from core.seed import load_all
from tests.conftest import PASSWORD, build_app, csrf_from, migrate_and_load

BUILT_IN = ("institutionalization", "diagnosis", "operations", "monitoring")


def info(name: str, *depends: str, auto_install: bool = False) -> PluginInfo:
    return PluginInfo(
        name=name,
        module_name=f"plugins_for_tests.{name}",
        path=Path("/nonexistent") / name,
        version="1.0",
        depends=list(depends),
        auto_install=auto_install,
    )


def available(*infos: PluginInfo) -> dict[str, PluginInfo]:
    return {i.name: i for i in infos}


# --- resolve(): order from depends, errors that name the culprit ------------------------------------


def test_resolve_orders_every_plugin_after_its_dependencies():
    plugins = available(info("reports", "cases", "territory"), info("cases", "territory"), info("territory"))
    ordered = resolve(plugins, ["reports", "cases", "territory"])
    assert [i.name for i in ordered] == ["territory", "cases", "reports"]
    assert [i.order for i in ordered] == [0, 1, 2]
    assert all(i.enabled for i in ordered)


def test_resolve_order_does_not_depend_on_the_configured_order():
    names = ["reports", "cases", "territory"]
    first = [
        i.name
        for i in resolve(available(info("reports", "cases"), info("cases", "territory"), info("territory")), names)
    ]
    second = [
        i.name
        for i in resolve(
            available(info("reports", "cases"), info("cases", "territory"), info("territory")), names[::-1]
        )
    ]
    assert first == second == ["territory", "cases", "reports"]


def test_resolve_leaves_plugins_that_are_not_enabled_out():
    plugins = available(info("a"), info("b"))
    assert [i.name for i in resolve(plugins, ["a"])] == ["a"]
    assert plugins["b"].enabled is False and plugins["b"].order is None


def test_auto_install_plugin_joins_when_its_dependencies_are_enabled():
    plugins = available(info("a"), info("bridge", "a", auto_install=True), info("c"))
    assert [i.name for i in resolve(plugins, ["a"])] == ["a", "bridge"]
    plugins = available(info("a"), info("bridge", "a", "c", auto_install=True), info("c"))
    assert [i.name for i in resolve(plugins, ["a"])] == ["a"]


def test_unknown_plugin_is_named():
    with pytest.raises(PluginError, match="Unknown plugin.*«ghost»") as error:
        resolve(available(info("a")), ["a", "ghost"])
    assert "Installed: a" in str(error.value)


def test_dependency_not_enabled_is_named():
    with pytest.raises(PluginError) as error:
        resolve(available(info("reports", "cases"), info("cases")), ["reports"])
    message = str(error.value)
    assert "«reports»" in message and "«cases»" in message and "is not enabled" in message


def test_dependency_not_installed_is_named():
    with pytest.raises(PluginError) as error:
        resolve(available(info("reports", "missing_one")), ["reports"])
    message = str(error.value)
    assert "«reports»" in message and "«missing_one»" in message and "is not installed" in message


def test_cycle_is_named():
    plugins = available(info("a", "b"), info("b", "c"), info("c", "a"), info("d"))
    with pytest.raises(PluginError, match="circular") as error:
        resolve(plugins, ["a", "b", "c", "d"])
    assert str(error.value).endswith(": a → b → c → a.")  # the cycle itself, not the innocent «d»


def test_self_dependency_is_a_cycle():
    with pytest.raises(PluginError, match="circular.*narcissus"):
        resolve(available(info("narcissus", "narcissus")), ["narcissus"])


# --- manifests --------------------------------------------------------------------------------------


def test_manifest_is_read_without_importing_the_package(tmp_path, monkeypatch):
    package = tmp_path / "articula_boom_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('the plugin was imported')\n")
    (package / "manifest.toml").write_text(
        'name = "articula_boom_plugin"\nversion = "2.3"\nsummary = "Explota al importarse"\n'
        'depends = ["institutionalization"]\ndata = ["data/a.yaml", "data/b.yaml"]\nauto_install = true\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    manifest = read_manifest("articula_boom_plugin", "articula_boom_plugin")
    assert "articula_boom_plugin" not in sys.modules
    assert manifest.version == "2.3"
    assert manifest.summary == "Explota al importarse"
    assert manifest.depends == ["institutionalization"]
    assert manifest.data == ["data/a.yaml", "data/b.yaml"]
    assert manifest.auto_install is True
    assert manifest.path == package


def test_manifest_missing_or_misnamed_is_refused(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    bare = tmp_path / "articula_bare_plugin"
    bare.mkdir()
    (bare / "__init__.py").write_text("")
    with pytest.raises(PluginError, match="articula_bare_plugin.*manifest.toml"):
        read_manifest("articula_bare_plugin", "articula_bare_plugin")
    (bare / "manifest.toml").write_text('name = "otro_nombre"\nversion = "1"\n')
    with pytest.raises(PluginError, match="otro_nombre"):
        read_manifest("articula_bare_plugin", "articula_bare_plugin")
    with pytest.raises(PluginError, match="no_such_package_xyz"):
        read_manifest("no_such_package_xyz", "no_such_package_xyz")


# --- booting with any set of the built-in plugins ---------------------------------------------------


def enabled_names(application) -> list[str]:  # noqa: ANN001
    return [i.name for i in application.extensions["articula.plugins"].enabled]


@pytest.fixture
def migrated(app, database):  # noqa: ANN001, ANN201
    """The shared database's settings, once the shared app has built its schema."""
    return database


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        ("", []),
        ("institutionalization", ["institutionalization"]),
        (",".join(BUILT_IN), ["institutionalization", "diagnosis", "monitoring", "operations"]),
        (",".join(reversed(BUILT_IN)), ["institutionalization", "diagnosis", "monitoring", "operations"]),
    ],
    ids=["none", "one", "all-four", "all-four-reversed"],
)
def test_app_boots_with_plugins(migrated, plugins, expected):
    application = build_app(migrated, PLUGINS=plugins)
    assert enabled_names(application) == expected
    client = application.test_client()
    assert client.get("/health").get_json() == {"status": "ok", "database": "ok"}
    assert client.get("/ingresar").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_enabling_a_plugin_without_its_dependency_stops_start_up(migrated):
    with pytest.raises(PluginError, match="«diagnosis».*«institutionalization»"):
        build_app(migrated, PLUGINS="diagnosis")
    with pytest.raises(PluginError, match="«nonexistent_plugin»"):
        build_app(migrated, PLUGINS="institutionalization,nonexistent_plugin")


def cli_rows(output: str) -> dict[str, list[str]]:
    import re

    lines = [line for line in output.splitlines() if line.strip()]
    assert re.split(r"\s{2,}", lines[0]) == ["NOMBRE", "VERSIÓN", "HABILITADO", "ORDEN", "DEPENDE DE"]
    return {cells[0]: cells for cells in (re.split(r"\s{2,}", line.strip()) for line in lines[1:])}


def test_cli_plugins_list_shows_name_version_enabled_order_depends(migrated):
    application = build_app(migrated, PLUGINS="diagnosis,institutionalization")
    result = application.test_cli_runner().invoke(cli, ["plugins", "list"])
    assert result.exit_code == 0, result.output
    rows = cli_rows(result.output)
    assert rows["institutionalization"] == ["institutionalization", "0.1.0", "sí", "1", "-"]
    assert rows["diagnosis"] == ["diagnosis", "0.2.0", "sí", "2", "institutionalization"]
    assert rows["operations"] == ["operations", "0.1.0", "no", "-", "diagnosis, institutionalization"]
    assert rows["monitoring"] == ["monitoring", "0.1.0", "no", "-", "diagnosis"]
    names = list(rows)
    assert names.index("institutionalization") < names.index("diagnosis") < names.index("monitoring")


# --- a third-party plugin, installed the way pip would ---------------------------------------------

EXT = "articula_demo_ext"
EXT_TABLE = "articula_demo_ext_thing"

EXT_FILES = {
    "manifest.toml": """\
        name = "articula_demo_ext"
        version = "0.1"
        summary = "Extensión de prueba de un tercero"
        depends = ["institutionalization"]
        data = ["data/records.yaml"]
        """,
    "__init__.py": '''\
        """A third-party plugin written for the tests: a page, an admin view, a model, data, translations."""

        from flask import Blueprint, render_template
        from flask_babel import gettext

        from core.hookspecs import hookimpl

        bp = Blueprint("articula_demo_ext", __name__, url_prefix="/demo-ext")


        @bp.route("/")
        def page():
            return render_template("articula_demo_ext/page.html", greeting=gettext("Hello from the extension"))


        @hookimpl
        def register_blueprints(app):
            app.register_blueprint(bp)


        @hookimpl
        def register_admin_views(admin, app):
            from core.admin import ScopedModelView
            from core.extensions import db

            from articula_demo_ext.models import DemoExtThing

            admin.add_view(ScopedModelView(DemoExtThing, db.session, name="Demo ext", endpoint="demo_ext_thing"))
        ''',
    "models.py": '''\
        """The plugin's one table."""

        from sqlalchemy import String
        from sqlalchemy.orm import Mapped, mapped_column

        from core.extensions import db


        class DemoExtThing(db.Model):
            __tablename__ = "articula_demo_ext_thing"

            id: Mapped[int] = mapped_column(primary_key=True)
            key: Mapped[str] = mapped_column(String(40), unique=True)
            name: Mapped[str] = mapped_column(String(120))

            def __str__(self):
                return self.name
        ''',
    "templates/articula_demo_ext/page.html": """\
        {% extends "base.html" %}
        {% block content %}<h1>{{ _("Extension page") }}</h1><p class="greeting">{{ greeting }}</p>{% endblock %}
        """,
    "data/records.yaml": """\
        model: DemoExtThing
        records:
          - {key: uno, name: Uno}
          - {key: dos, name: Dos}
        """,
    "migrations/demo_ext_0001_thing.py": '''\
        """articula_demo_ext: its table"""

        import sqlalchemy as sa
        from alembic import op

        revision = "demo_ext_0001"
        down_revision = None
        branch_labels = ("articula_demo_ext",)
        depends_on = "0001_core"


        def upgrade():
            op.create_table(
                "articula_demo_ext_thing",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("key", sa.String(length=40), nullable=False),
                sa.Column("name", sa.String(length=120), nullable=False),
                sa.PrimaryKeyConstraint("id", name=op.f("pk_articula_demo_ext_thing")),
                sa.UniqueConstraint("key", name=op.f("uq_articula_demo_ext_thing_key")),
            )


        def downgrade():
            op.drop_table("articula_demo_ext_thing")
        ''',
}

EXT_TRANSLATIONS = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Hello from the extension"
msgstr "Hola desde la extensión"

msgid "Extension page"
msgstr "Página de la extensión"
"""


def write_plugin(root: Path) -> Path:
    """The package plus a dist-info folder, as ``pip install`` leaves them in site-packages."""
    package = root / EXT
    for relative, content in EXT_FILES.items():
        target = package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding="utf-8")
    messages = package / "translations" / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "messages.po").write_text(EXT_TRANSLATIONS, encoding="utf-8")
    with (messages / "messages.po").open("rb") as source:
        catalog = pofile.read_po(source, locale="es")
    with (messages / "messages.mo").open("wb") as target:
        mofile.write_mo(target, catalog)
    dist_info = root / f"{EXT}-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: articula-demo-ext\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text(f"[articula.plugins]\n{EXT} = {EXT}\n")
    return package


def dispose(application) -> None:  # noqa: ANN001
    from core.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


class TestThirdPartyPlugin:
    """The plugin lives only in a temporary folder: discovered by its entry point, never by name."""

    @pytest.fixture(scope="class")
    def ext(self, tmp_path_factory, databases):  # noqa: ANN201
        from core.extensions import db

        root = tmp_path_factory.mktemp("site-packages")
        package = write_plugin(root)
        apps = []
        with pytest.MonkeyPatch.context() as patch:
            patch.syspath_prepend(str(root))
            importlib.invalidate_caches()
            database = databases.new()

            def make_app():  # noqa: ANN202
                application = build_app(database, PLUGINS=f"{EXT},institutionalization")
                apps.append(application)
                return application

            application = make_app()
            migrate_and_load(application, territories=False)  # the schema, with the plugin's branch
            with application.app_context(), writing():
                load_all(application)  # core catalogs and the plugin's seed data
            try:
                yield {"app": application, "package": package, "make_app": make_app}
            finally:
                for built in apps:
                    dispose(built)
                # The plugin's table must not linger in the shared metadata (other tests clean by it).
                if EXT_TABLE in db.metadata.tables:
                    db.metadata.remove(db.metadata.tables[EXT_TABLE])
                for name in [m for m in sys.modules if m == EXT or m.startswith(EXT + ".")]:
                    del sys.modules[name]
        importlib.invalidate_caches()

    def test_discovered_through_its_entry_point_and_ordered_after_its_dependency(self, ext):
        registry = ext["app"].extensions["articula.plugins"]
        assert [i.name for i in registry.enabled] == ["institutionalization", EXT]
        plugin = registry.available[EXT]
        assert plugin.version == "0.1" and plugin.path == ext["package"]
        assert plugin.depends == ["institutionalization"]

    def test_page_is_translated_for_a_spanish_browser(self, ext):
        client = ext["app"].test_client()
        spanish = client.get("/demo-ext/", headers={"Accept-Language": "es-PE,es;q=0.9"})
        assert spanish.status_code == 200
        html = spanish.get_data(as_text=True)
        assert "Hola desde la extensión" in html
        assert "Página de la extensión" in html  # from the plugin's own template folder
        english = client.get("/demo-ext/", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Hello from the extension" in english and "Hola" not in english

    def test_table_built_by_its_own_migration(self, ext):
        from core.extensions import db

        with ext["app"].app_context():
            assert inspect(db.engine).has_table(EXT_TABLE)
            heads = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
            assert "demo_ext_0001" in heads

    def test_seed_records_loaded(self, ext):
        from core.extensions import db
        from core.models import PluginState, SeedRecord

        with ext["app"].app_context():
            thing = sys.modules[f"{EXT}.models"].DemoExtThing
            names = dict(db.session.execute(select(thing.key, thing.name)).all())
            assert names == {"uno": "Uno", "dos": "Dos"}
            assert db.session.get(SeedRecord, f"{EXT}.uno").model == "DemoExtThing"
            assert db.session.get(PluginState, EXT).version == "0.1"

    def test_admin_view_lists_the_seeded_record(self, ext):
        from core.extensions import db
        from core.models import Membership, User

        application = ext["app"]
        with application.app_context():
            user = User(email="admin@ext.pe", name="Admin", locale="es", active=True)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, role="admin", government_id=None))
            db.session.commit()
        client = application.test_client()
        assert client.get("/admin/demo_ext_thing/").status_code == 302  # anonymous: to the login page
        token = csrf_from(client)
        response = client.post("/ingresar", data={"email": "admin@ext.pe", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        listing = client.get("/admin/demo_ext_thing/")
        assert listing.status_code == 200
        html = listing.get_data(as_text=True)
        assert "Uno" in html and "Dos" in html

    def test_user_edits_are_kept_and_a_version_bump_updates_untouched_records(self, ext):
        from core.extensions import db
        from core.models import PluginState

        application = ext["app"]
        thing = sys.modules[f"{EXT}.models"].DemoExtThing
        with application.app_context():
            uno = db.session.scalar(select(thing).where(thing.key == "uno"))
            uno.name = "Uno (editado por la región)"
            db.session.commit()
            results = load_all(application, force=True)
            assert results[EXT].kept == [f"{EXT}.uno"]
            assert results[EXT].updated == 0 and results[EXT].created == 0
            assert db.session.scalar(select(thing.name).where(thing.key == "uno")) == "Uno (editado por la región)"

        package = ext["package"]
        manifest = package / "manifest.toml"
        manifest.write_text(manifest.read_text().replace('version = "0.1"', 'version = "0.2"'))
        (package / "data" / "records.yaml").write_text(
            "model: DemoExtThing\nrecords:\n"
            "  - {key: uno, name: Uno v2}\n  - {key: dos, name: Dos v2}\n  - {key: tres, name: Tres}\n"
        )
        bumped = ext["make_app"]()
        with bumped.app_context():
            results = load_all(bumped)  # no force: the version changed
            names = dict(db.session.execute(select(thing.key, thing.name)).all())
            assert names == {"uno": "Uno (editado por la región)", "dos": "Dos v2", "tres": "Tres"}
            assert results[EXT].updated == 1 and results[EXT].created == 1 and results[EXT].kept == [f"{EXT}.uno"]
            assert db.session.get(PluginState, EXT).version == "0.2"
            assert load_all(bumped) == {}  # same version again: nothing to do
