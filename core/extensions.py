"""The Flask extensions, created unbound here and initialised by the app factory."""

from __future__ import annotations

from functools import cached_property

from flask import current_app
from flask_babel import Babel, Domain
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppDomain(Domain):
    """Translations cached per application: each app has its own plugins, hence its own catalogs.

    Flask-Babel keeps one cache on the (global) Babel object; a second app in the same process
    (tests, the CLI) would otherwise be served the first app's catalogs.
    """

    def get_translations_cache(self, ctx):  # noqa: ANN001, ANN201
        return current_app.extensions.setdefault("articula.translations", {})


class AppBabel(Babel):
    @cached_property
    def domain_instance(self) -> AppDomain:
        return AppDomain(domain=self.domain)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = AppBabel()
