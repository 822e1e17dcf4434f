"""``articula plugins new NAME``: write a new plugin's folder from the templates in ``plugin/``.

The templates are ``string.Template`` files (``*.tmpl``; ``$name``, ``$Model``… ; ``__name__`` in a
path becomes the plugin's name), so they are neither linted nor scanned for UI strings as code of
the core. The generated plugin uses only relative imports: it works wherever its folder sits, as
``plugins.NAME`` in this project or as a top-level package elsewhere.

Discovery is by entry points (core.plugins), so a new plugin must also be registered: :func:`register`
adds its line to ``[project.entry-points."articula.plugins"]`` in pyproject.toml (``--register``; the
next ``make install``/``make test`` reinstalls), and ``ARTICULA_PLUGINS`` enables it.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.plugins import ENTRY_POINT_GROUP, discover

TEMPLATES = Path(__file__).parent / "plugin"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
ENTRY_POINTS_HEADER = f'[project.entry-points."{ENTRY_POINT_GROUP}"]'
#: Names a plugin may not take: the core's blueprints and URL prefixes (the plugin's blueprint and
#: URL are named after it), and the project's own top-level packages.
RESERVED = frozenset(
    {"api", "admin", "attachments", "audit", "auth", "cases", "core", "deadlines", "documents", "emblems",
     "governments", "main", "plugins", "static", "submissions", "tests"}
)


class ScaffoldError(ValueError):
    """A name or a target the scaffold refuses (message in Spanish, shown by the CLI)."""


def validate_name(name: str, target: Path) -> None:
    """A lowercase Python identifier, not a keyword, not an installed plugin, not an existing folder."""
    if not NAME_RE.match(name) or keyword.iskeyword(name) or not name.isidentifier():
        raise ScaffoldError(
            f"«{name}» no es un nombre de plugin válido: use minúsculas, dígitos y _ (un identificador de Python, "
            "de 2 a 30 caracteres, que empiece con una letra)."
        )
    if name in RESERVED:
        raise ScaffoldError(f"«{name}» es un nombre reservado del núcleo; elija otro.")
    if name in discover():
        raise ScaffoldError(f"Ya existe un plugin instalado con el nombre «{name}».")
    if (target / name).exists():
        raise ScaffoldError(f"{target / name} ya existe: no se sobrescribe.")


def module_name(folder: Path) -> str:
    """The dotted module of a plugin folder: its parents up to the first one that is not a package."""
    parts = [folder.name]
    parent = folder.resolve().parent
    while (parent / "__init__.py").exists():
        parts.insert(0, parent.name)
        parent = parent.parent
    return ".".join(parts)


def variables(name: str) -> dict[str, str]:
    words = name.split("_")
    return {
        "name": name,
        "Model": "".join(w.capitalize() for w in words) + "Record",
        "Title": " ".join(w.capitalize() for w in words),
        "table": f"{name}_record",
        "url": name.replace("_", "-"),
        "prefix": "".join(w[0] for w in words if w).upper()[:4] or "REG",
    }


def generate(name: str, target: Path) -> list[Path]:
    """Write the plugin ``name`` into ``target/name``; returns the files written. Refuses to overwrite."""
    validate_name(name, target)
    values = variables(name)
    root = target / name
    written = []
    for source in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATES).as_posix().replace("__name__", name).removesuffix(".tmpl")
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
        written.append(destination)
    # Compile the Spanish catalog now, so the new plugin speaks Spanish before any `make translations`.
    po = root / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    with po.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return written


def entry_point_line(name: str, module: str) -> str:
    return f'{name} = "{module}"'


def register(pyproject: Path, name: str, module: str) -> bool:
    """Add the plugin's entry point to pyproject.toml; False when it was already there."""
    text = pyproject.read_text(encoding="utf-8")
    if ENTRY_POINTS_HEADER not in text:
        raise ScaffoldError(f"{pyproject} no tiene la sección {ENTRY_POINTS_HEADER}.")
    line = entry_point_line(name, module)
    head, _, rest = text.partition(ENTRY_POINTS_HEADER)
    section, separator, tail = rest.partition("\n\n")
    if re.search(rf"^{re.escape(name)}\s*=", section, re.MULTILINE):
        return False
    pyproject.write_text(head + ENTRY_POINTS_HEADER + section.rstrip("\n") + "\n" + line + separator + tail,
                         encoding="utf-8")
    return True
