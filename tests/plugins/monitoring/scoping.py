"""Classification of the monitoring plugin's routes for the core's route matrix (tests/core/test_scoping.py):
the union of each sub-package's ``scoping.py`` (tests/plugins/monitoring/<sub>/scoping.py: ROUTES, ADMIN_VIEWS),
each checked by that sub-package's own matrix test. A sub-package built later only adds its module."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

#: the root page listing the sub-areas (no records)
ROUTES: dict[str, str] = {"/seguimiento/areas": "plugin: index"}
ADMIN_VIEWS: tuple[str, ...] = ()
REFERENCE_ADMIN_VIEWS: tuple[str, ...] = ()
for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if not _info.ispkg:
        continue
    try:
        _module = importlib.import_module(f"{__name__.rpartition('.')[0]}.{_info.name}.scoping")
    except ModuleNotFoundError:
        continue
    ROUTES.update(_module.ROUTES)
    ADMIN_VIEWS += tuple(_module.ADMIN_VIEWS)
    REFERENCE_ADMIN_VIEWS += tuple(getattr(_module, "REFERENCE_ADMIN_VIEWS", ()))
