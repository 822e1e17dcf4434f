"""Tests for seed data: the CRECER catalogs as loaded, references between records, and reloading that
updates untouched records while keeping what a user edited or deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from core import seed
from core.database import writing
from core.extensions import db
from core.models import (
    Institution,
    InterventionLine,
    KeyIndicator,
    Membership,
    PluginState,
    SeedRecord,
    SocialInfoItem,
    SocialProgram,
    StrategicProgram,
    User,
)
from core.seed import CORE_DATA_DIR, load_all, load_file, load_records
from tests.conftest import PASSWORD, build_app, login, migrate_and_load
from tests.core.test_admin import form_fields

# --- the catalogs as loaded in every database ----------------------------------------------------------


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_catalog_counts(ctx):
    assert count(StrategicProgram) == 5
    assert count(KeyIndicator) == 9
    assert count(SocialInfoItem) == 11
    assert count(InterventionLine) == 11
    assert count(SocialProgram) == 22
    assert count(Institution) == 36


def test_strategic_programs(ctx):
    programs = db.session.scalars(select(StrategicProgram).order_by(StrategicProgram.position)).all()
    assert programs[0].name == "Programa Articulado Nutricional" and programs[0].acronym == "PAN"
    assert programs[0].crecer_priority is True and programs[0].fiscal_year == 2008
    assert [p.position for p in programs] == [1, 2, 3, 4, 5]
    assert {p.name for p in programs if p.crecer_priority} == {
        "Programa Articulado Nutricional",
        "Salud Materno Neonatal",
    }


def test_social_info_items_a_to_k_with_only_g_personal(ctx):
    items = db.session.scalars(select(SocialInfoItem).order_by(SocialInfoItem.letter)).all()
    assert [i.letter for i in items] == list("abcdefghijk")
    assert [i.letter for i in items if i.personal_data] == ["g"]


def test_seed_keys_and_core_version(ctx):
    assert db.session.get(PluginState, "core").version == seed.CORE_DATA_VERSION
    record = db.session.get(SeedRecord, "core.strategic_programs.pan")
    assert record.model == "StrategicProgram"
    assert db.session.get(StrategicProgram, record.record_id).name == "Programa Articulado Nutricional"
    core_records = select(func.count()).select_from(SeedRecord).where(SeedRecord.key.like("core.%"))
    # … + the year names 2007–2026; plugins seed their own keys
    assert db.session.scalar(core_records) == 5 + 9 + 11 + 11 + 22 + 36 + 20


def test_references_between_records_become_ids(ctx):
    children = db.session.scalars(select(Institution).where(Institution.parent_id.is_not(None))).all()
    assert children
    pcm = db.session.get(Institution, db.session.get(SeedRecord, "core.institutions.pcm").record_id)
    assert any(child.parent_id == pcm.id for child in children)


def test_unknown_reference_is_refused(ctx):
    with pytest.raises(LookupError, match="«no_existe»"):
        load_records("core.institutions", Institution, [{"key": "hija", "name": "Hija", "parent": "no_existe"}])
    db.session.rollback()


def test_same_version_loads_nothing(ctx, app):
    with writing():
        assert load_all(app) == {}


# --- reloading, on a database of its own (catalogs are shared reference data elsewhere) --------------


@pytest.fixture
def fresh(databases):  # noqa: ANN001, ANN201
    application = build_app(databases.new(), PLUGINS="")
    migrate_and_load(application, territories=False)
    with application.app_context(), writing():
        load_all(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def by_key(model: type, key: str):  # noqa: ANN201
    return db.session.get(model, db.session.get(SeedRecord, key).record_id)


def edited_yaml(tmp_path: Path, name: str, changes: dict[str, dict]) -> Path:
    records = yaml.safe_load((CORE_DATA_DIR / name).read_text(encoding="utf-8"))
    for record in records:
        record.update(changes.get(record["key"], {}))
    records += [r for key, r in changes.items() if key not in {x["key"] for x in records}]
    target = tmp_path / name
    target.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return target


def test_reloading_keeps_what_users_edited_or_deleted(fresh, monkeypatch):
    with fresh.app_context():
        user = User(email="admin@articula.pe", name="Admin", locale="es", active=True)
        user.password_hash = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
        user.memberships = [Membership(role="admin")]
        db.session.add(user)
        db.session.commit()
        pan_id = by_key(StrategicProgram, "core.strategic_programs.pan").id
        neonatal_id = by_key(KeyIndicator, "core.key_indicators.ind_mortalidad_neonatal").id
    client = fresh.test_client()
    login(client, "admin@articula.pe")
    # an administrator renames a catalog record…
    path = f"/admin/catalog_strategic_program/edit/?id={pan_id}"
    form = form_fields(client.get(path).get_data(as_text=True))
    assert form["name"] == "Programa Articulado Nutricional" and form["csrf_token"]
    form["name"] = "Programa Articulado Nutricional (PAN) — nombre regional"
    assert client.post(path, data=form).status_code == 302
    # …and deletes another
    token = form["csrf_token"]
    deleted = client.post("/admin/catalog_key_indicator/delete/", data={"id": neonatal_id, "csrf_token": token})
    assert deleted.status_code == 302
    kept = {"core.strategic_programs.pan", "core.key_indicators.ind_mortalidad_neonatal"}
    with fresh.app_context(), writing():
        results = load_all(fresh, force=True)
        assert set(results["core"].kept) == kept
        assert results["core"].updated == 0 and results["core"].created == 0
        assert by_key(StrategicProgram, "core.strategic_programs.pan").name.endswith("nombre regional")
        assert count(KeyIndicator) == 8 and db.session.get(KeyIndicator, neonatal_id) is None

    monkeypatch.setattr(seed, "CORE_DATA_VERSION", "999")  # a new release of the core catalogs
    with fresh.app_context(), writing():
        results = load_all(fresh)  # no force: the version changed
        assert set(results["core"].kept) == kept
        assert db.session.get(PluginState, "core").version == "999"
        assert by_key(StrategicProgram, "core.strategic_programs.pan").name.endswith("nombre regional")
        assert load_all(fresh) == {}  # and only once


def test_changed_seed_updates_untouched_records_and_keeps_edited_ones(fresh, tmp_path):
    with fresh.app_context(), writing():
        by_key(StrategicProgram, "core.strategic_programs.pan").name = "PAN, editado en la región"
        db.session.commit()
        checksum_before = db.session.get(SeedRecord, "core.strategic_programs.smn").checksum
        changed = edited_yaml(
            tmp_path,
            "strategic_programs.yaml",
            {
                "pan": {"name": "Programa Articulado Nutricional 2009"},
                "smn": {"name": "Salud Materno Neonatal (2009)", "position": 7},
                "nuevo": {"key": "nuevo", "name": "Programa Estratégico Nuevo", "position": 6},
            },
        )
        stats = load_file("core.strategic_programs", changed, StrategicProgram)
        db.session.commit()
        assert (stats.created, stats.updated, stats.kept) == (1, 1, ["core.strategic_programs.pan"])
        smn = by_key(StrategicProgram, "core.strategic_programs.smn")
        assert (smn.name, smn.position) == ("Salud Materno Neonatal (2009)", 7)
        assert db.session.get(SeedRecord, "core.strategic_programs.smn").checksum != checksum_before
        assert by_key(StrategicProgram, "core.strategic_programs.pan").name == "PAN, editado en la región"
        assert by_key(StrategicProgram, "core.strategic_programs.nuevo").name == "Programa Estratégico Nuevo"
        # the same file again: nothing to do, and the updated record is still "untouched"
        again = load_file("core.strategic_programs", changed, StrategicProgram)
        assert (again.created, again.updated, again.kept) == (0, 0, ["core.strategic_programs.pan"])


def test_a_field_added_by_a_later_version_updates_untouched_records_only(ctx):
    from core.models import InterventionLine

    namespace = "test.lines"
    try:
        seed.load_records(namespace, InterventionLine, [{"key": "a", "name": "Uno"}, {"key": "b", "name": "Dos"}])
        edited = db.session.get(InterventionLine, db.session.get(SeedRecord, f"{namespace}.b").record_id)
        edited.name = "Dos (editado)"
        db.session.flush()
        stats = seed.load_records(
            namespace,
            InterventionLine,
            [{"key": "a", "name": "Uno", "description": "Nueva"}, {"key": "b", "name": "Dos", "description": "Nueva"}],
        )
        untouched = db.session.get(InterventionLine, db.session.get(SeedRecord, f"{namespace}.a").record_id)
        assert untouched.description == "Nueva" and stats.updated == 1
        assert edited.description is None and edited.name == "Dos (editado)" and stats.kept == [f"{namespace}.b"]
    finally:
        db.session.rollback()
