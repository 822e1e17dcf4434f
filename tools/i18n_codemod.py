"""Re-runnable codemod of issue 8 item 6: puts core/'s hard-coded Spanish messages through gettext.

Why a codemod and not only a diff: other branches move and split the same core files, so the lead
re-runs this on the merged tree. ``tools/i18n_codemod.json`` lists ``{"old", "new", "messages"}``
entries: ``old`` is the exact source text of a literal or f-string as written (line breaks inside
it match any indentation, so moved code still matches), ``new`` its replacement (its continuation
lines are re-indented to where ``old`` starts), ``messages`` the ``[English msgid, Spanish]`` pairs
it needs in the catalogs. Entries without ``messages`` turn developer/operator errors into plain
English (like log messages, not translated).

    .venv/bin/python tools/i18n_codemod.py            # rewrite core/, fix imports, update catalogs
    .venv/bin/python tools/i18n_codemod.py --check    # exit 1 if anything would change

For each changed file it adds ``from flask_babel import gettext as _`` / ``lazy_gettext as _l`` when
the new text uses them and they are missing, then sorts imports with ``ruff check --fix --select I``
and, if the file was ruff-formatted before, formats it again. It prints the entries that matched
nowhere and any function where a local ``_`` (``_, x = ...``) would shadow gettext. Running it twice
changes nothing. Then ``make translations`` compiles the catalogs.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).with_suffix(".json")
RUFF = ROOT / ".venv" / "bin" / "ruff"


def pattern_of(old: str) -> re.Pattern[str]:
    """``old`` as a regex whose line breaks accept any indentation (code moved into or out of a block)."""
    lines = old.split("\n")
    parts = [re.escape(lines[0])] + [re.escape(line.lstrip()) for line in lines[1:]]
    return re.compile(r"\n[ \t]*".join(parts))


def indented(new: str, source: str, start: int) -> str:
    """``new`` with its continuation lines indented by the indentation of the line where ``start`` is."""
    line_start = source.rfind("\n", 0, start) + 1
    indent = re.match(r"[ \t]*", source[line_start:]).group(0)
    lines = new.split("\n")
    if len(lines) == 1:
        return new
    # A call or parenthesised expression opened on the first line: its lines go one level deeper;
    # statement blocks carry their own relative indentation on top of the base.
    opens = lines[0].endswith("(")
    body = [lines[0]]
    for line in lines[1:]:
        deeper = opens and line not in (")", "]", "}")
        body.append(indent + ("    " if deeper else "") + line)
    return "\n".join(body)


def needed_imports(new_text: str) -> set[str]:
    names = set()
    if re.search(r"(?<![\w.])_\(", new_text):
        names.add("_")
    if re.search(r"(?<![\w.])_l\(", new_text):
        names.add("_l")
    return names


def has_import(tree: ast.Module, alias: str) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == alias for a in node.names)
        for node in tree.body
    )


def add_imports(source: str, aliases: set[str], statements: dict[str, str]) -> str:
    """Insert the missing gettext imports after the module's first import (ruff then sorts them)."""
    tree = ast.parse(source)
    missing = [statements[a] for a in sorted(aliases) if not has_import(tree, a)]
    if not missing:
        return source
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    lines = source.split("\n")
    if imports:
        anchor = imports[0]
        if isinstance(anchor, ast.ImportFrom) and anchor.module == "__future__":
            at = anchor.end_lineno
            lines[at:at] = ["", *missing]
        else:
            at = anchor.lineno - 1
            lines[at:at] = missing
    else:  # after the module docstring
        at = tree.body[0].end_lineno if tree.body and isinstance(tree.body[0], ast.Expr) else 0
        lines[at:at] = ["", *missing]
    return "\n".join(lines)


def shadowing(source: str) -> list[str]:
    """Functions that bind ``_`` locally and call ``_(...)``: the call would hit the local name."""
    found = []
    comprehensions = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)

    def own_nodes(node: ast.AST) -> Iterator[ast.AST]:  # the function's nodes, not its nested scopes'
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (*comprehensions, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield child
                yield from own_nodes(child)

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        names = [n for n in own_nodes(node) if isinstance(n, ast.Name) and n.id == "_"]
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_"]
        if calls and any(isinstance(n.ctx, ast.Store) for n in names):
            found.append(f"{node.name} (line {node.lineno})")
    return found


def ruff_clean_format(path: Path) -> bool:
    result = subprocess.run([str(RUFF), "format", "--check", "--quiet", str(path)], capture_output=True)
    return result.returncode == 0


def rewrite(paths: list[Path], entries: list[dict], statements: dict[str, str], check: bool) -> tuple[list[Path], list]:
    # Longest first: an entry's ``new`` may contain a shorter entry's ``old`` (a message inside a message).
    ordered = sorted(entries, key=lambda e: len(e["old"]), reverse=True)
    patterns = [(e, pattern_of(e["old"])) for e in ordered]
    used: set[int] = set()
    changed = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        text = source
        aliases: set[str] = set()
        for entry, pattern in patterns:
            while match := pattern.search(text):
                new = indented(entry["new"], text, match.start())
                text = text[: match.start()] + new + text[match.end() :]
                used.add(id(entry))
                aliases |= needed_imports(new)
        if text == source:
            continue
        changed.append(path)
        if check:
            continue
        formatted_before = ruff_clean_format(path)
        path.write_text(add_imports(text, aliases, statements), encoding="utf-8")
        subprocess.run([str(RUFF), "check", "--fix", "--quiet", "--select", "I", str(path)], check=False)
        if formatted_before:
            subprocess.run([str(RUFF), "format", "--quiet", str(path)], check=False)
        for where in shadowing(path.read_text(encoding="utf-8")):
            print(f"WARNING {path.relative_to(ROOT)}: a local _ shadows gettext in {where}")
    everything = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    unmatched = [e for e in entries if id(e) not in used and not applied(e, everything)]
    return changed, unmatched


def applied(entry: dict, text: str) -> bool:
    """Whether an entry was applied on an earlier run (its message, or its new text, is in the code)."""
    if entry.get("messages"):
        return json.dumps(entry["messages"][0][0][:40], ensure_ascii=False)[:-1] in text
    return entry["new"].split("\n")[0][:40] in text


def update_catalogs(entries: list[dict], check: bool) -> list[str]:
    """Add every entry's msgid: Spanish catalog with its translation, English with an empty string."""
    changes = []
    for locale in ("es", "en"):
        po_path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        added = 0
        for entry in entries:
            for msgid, spanish in entry.get("messages", []):
                existing = catalog.get(msgid)
                if existing is not None:
                    if locale == "es" and existing.string != spanish:
                        print(f"NOTE es catalog keeps its own translation of {msgid!r}: {existing.string!r}")
                    continue
                catalog.add(msgid, spanish if locale == "es" else "")
                added += 1
        if added:
            changes.append(f"{po_path.relative_to(ROOT)}: +{added}")
            if not check:
                out = io.BytesIO()
                write_po(out, catalog, width=76, include_previous=False)
                po_path.write_bytes(out.getvalue())
    return changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report what would change; change nothing")
    parser.add_argument("--root", default="core", help="folder to rewrite (default: core)")
    args = parser.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    entries = data["entries"]
    paths = sorted((ROOT / args.root).rglob("*.py"))
    changed, unmatched = rewrite(paths, entries, data["imports"], args.check)
    catalog_changes = update_catalogs(entries, args.check)
    for path in changed:
        print(("would change " if args.check else "changed ") + str(path.relative_to(ROOT)))
    for line in catalog_changes:
        print(("would update " if args.check else "updated ") + line)
    for entry in unmatched:
        print("UNMATCHED " + entry["old"].split("\n")[0][:100])
    print(f"{len(entries) - len(unmatched)}/{len(entries)} entries matched; {len(changed)} files changed")
    return 1 if args.check and (changed or catalog_changes) else 0


if __name__ == "__main__":
    sys.exit(main())
