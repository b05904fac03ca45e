"""The layering the README promises, read from the source with `ast` (function-local imports included).

load → score (pure) → render → thin CLI: no import cycles; no `_private` name imported from another module;
the pure cores and `load/` reach no renderer; python-docx's internals stay inside `render/word/`.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# The pure cores and the loaders: they compute and read, they never draw.
CORES = ("cqcdocs.scoring", "cqcdocs.progress", "cqcdocs.journey", "cqcdocs.contract", "cqcdocs.model",
         "cqcdocs.wording")
LOADERS = "cqcdocs.load"
RENDERERS = ("cqcdocs.render", "docx", "xlsxwriter", "matplotlib")
WORD = "cqcdocs.render.word"
# python-docx's element proxies and the XML under them: only render/word/ may reach for these.
DOCX_INTERNALS = {"_element", "_p", "_tbl", "_body", "_r", "_tc", "_tr", "_sectPr", "_parent", "_document_part",
                  "_part", "element"}


@dataclass(frozen=True)
class Import:
    importer: str  # "cqcdocs.progress"
    module: str  # the module named after `from`, or by `import` ("cqcdocs.load.table", "docx.oxml.ns")
    name: str | None  # the name taken from it (`from M import name`), None for `import M`
    target: str  # the module the import loads: `module.name` when that is a module, else `module`
    line: int
    alias: str | None = None  # `as` name

    @property
    def where(self) -> str:
        return f"{self.importer} (line {self.line})"


@functools.cache
def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module under SRC by dotted name; a package by its own name (its __init__.py)."""
    found = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


@functools.cache
def imports(src: Path = SRC) -> tuple[Import, ...]:
    """Every import statement in every module, wherever it stands (a function's body included)."""
    mods = modules(src)
    found = []
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [Import(name, a.name, None, a.name, node.lineno, a.asname) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                for a in node.names:
                    sub = f"{module}.{a.name}"
                    found.append(Import(name, module, a.name, sub if sub in mods else module, node.lineno, a.asname))
    return tuple(found)


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def cycles(src: Path = SRC) -> list[list[str]]:
    """The import cycles between the modules under SRC (Tarjan's strongly connected components), each sorted."""
    mods = modules(src)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for i in imports(src):
        if i.target in mods and i.target != i.importer:
            edges[i.importer].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def private_imports(src: Path = SRC) -> list[str]:
    """`from M import _name` where M is another module (python-docx's own private classes allowed in
    render/word/, the one place that works with its internals)."""
    found = []
    for i in imports(src):
        if i.name and i.name.startswith("_") and not i.name.startswith("__") and i.target != i.importer:
            if _inside(i.module, "docx") and _inside(i.importer, WORD):
                continue
            found.append(f"{i.where}: {i.name} from {i.module}")
    # `module._name` through a module imported whole (`from . import table`, `import cqcdocs.load.table as t`)
    mods = modules(src)
    every = imports(src)
    for name, path in mods.items():
        whole = {i.alias or i.name for i in every if i.importer == name and i.name and i.target == f"{i.module}.{i.name}"}
        whole |= {i.alias for i in every if i.importer == name and not i.name and i.alias and i.target in mods}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in whole
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{name} (line {node.lineno}): {node.value.id}.{node.attr}")
    return found


def renderers_reached(start: str, src: Path = SRC) -> list[str]:
    """Each renderer import reachable from START through the package's own imports, with the path to it."""
    mods = modules(src)
    by_importer: dict[str, list[Import]] = {}
    for i in imports(src):
        by_importer.setdefault(i.importer, []).append(i)
    paths = {start: [start]}
    todo = [start]
    found = []
    while todo:
        m = todo.pop()
        for i in by_importer.get(m, []):
            if any(_inside(i.target, r) for r in RENDERERS):
                found.append(" → ".join(paths[m]) + f" → {i.target} (line {i.line})")
            elif i.target in mods and i.target not in paths:
                paths[i.target] = paths[m] + [i.target]
                todo.append(i.target)
    return found


def docx_internals(src: Path = SRC) -> list[str]:
    """python-docx's XML layer (`docx.oxml`) or element proxies (`._p`, `._element`…) used outside render/word/."""
    found = [f"{i.where}: imports {i.target}" for i in imports(src)
             if not _inside(i.importer, WORD) and (_inside(i.target, "docx.oxml")
                                                   or any(p.startswith("_") for p in i.target.split(".")[1:])
                                                   and _inside(i.target, "docx"))]
    for name, path in modules(src).items():
        if _inside(name, WORD):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in DOCX_INTERNALS:
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    continue  # a class's own attribute of that name, not python-docx's
                found.append(f"{name} (line {node.lineno}): .{node.attr}")
    return found


def test_no_import_cycles():
    assert cycles() == []


def test_no_private_names_imported_from_another_module():
    assert private_imports() == []


@pytest.mark.parametrize("core", [*CORES, *(m for m in modules() if _inside(m, LOADERS))])
def test_cores_and_loaders_reach_no_renderer(core):
    assert renderers_reached(core) == []


def test_python_docx_internals_only_in_render_word():
    assert docx_internals() == []


def test_the_checks_find_what_they_look_for(tmp_path):
    """Each check on a small package that breaks its rule, so a check that quietly finds nothing fails here."""
    pkg = tmp_path / "cqcdocs"
    (pkg / "render" / "word").mkdir(parents=True)
    (pkg / "load").mkdir()
    files = {
        "__init__.py": "",
        "scoring.py": "from .load.table import _spans\nfrom .load import table\n\ntable._spans([])\n",
        "load/__init__.py": "",
        "load/table.py": "def _spans(rows):\n    return ''\n",
        "progress.py": "def f():\n    from .render import charts  # a renderer, hidden in a function\n",
        "render/__init__.py": "",
        "render/charts.py": "from . import glyphs\n",
        "render/glyphs.py": "def f():\n    from .charts import STYLE\n",
        "render/section.py": "from docx.oxml.ns import qn\n\ndef f(w):\n    return w.heading('x', 1)._p\n",
        "render/word/__init__.py": "",
        "render/word/tables.py": "from docx.oxml.ns import qn\nfrom docx.table import _Cell\n\ndef f(c):\n    return c._tc\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    assert cycles(tmp_path) == [["cqcdocs.render.charts", "cqcdocs.render.glyphs"]]
    assert private_imports(tmp_path) == ["cqcdocs.scoring (line 1): _spans from cqcdocs.load.table",
                                         "cqcdocs.scoring (line 4): table._spans"]
    assert renderers_reached("cqcdocs.progress", tmp_path) == [
        "cqcdocs.progress → cqcdocs.render.charts (line 2)"]
    assert renderers_reached("cqcdocs.scoring", tmp_path) == []
    assert docx_internals(tmp_path) == ["cqcdocs.render.section (line 1): imports docx.oxml.ns",
                                        "cqcdocs.render.section (line 4): ._p"]
