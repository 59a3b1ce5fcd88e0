"""The import contract: apps depend one way, and no module imports itself back through others.

Layers, lowest first (an app may import its own layer's peers and any lower layer, never a higher one):

    core (and formats) ← areas ← accounts ← registry ← plans, scoring, tasks, imports ← reports, privacy
    ← demo and the project modules (urls.py, api_urls.py, settings.py, wsgi.py)

Every `import` counts, wherever it stands: at the top of a module, inside a function (a lazy import hides
a dependency, it does not remove it) or under `if TYPE_CHECKING:` (a type is a dependency too). Only the
cycle check leaves the `TYPE_CHECKING` imports out, since they never run. Tests, conftest files and
migrations are outside the contract.

Today's violations are listed below (KNOWN_BACK_ARROWS, KNOWN_CYCLES) and must match exactly: a new
violation fails, and so does a fixed one that is still listed, so the lists can only shrink. When you remove
a back-arrow or break a cycle, delete its entry here in the same commit.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]  # …/hoptac

LAYERS: list[set[str]] = [
    {"core", "formats"},
    {"areas"},
    {"accounts", "notifications"},
    {"registry"},
    {"plans", "scoring", "tasks", "imports"},
    {"reports", "privacy", "desk"},
    {"demo", "urls", "api_urls", "settings", "wsgi"},
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# (importing module, imported module): remove an entry when the import is gone.
KNOWN_BACK_ARROWS: set[tuple[str, str]] = set()

# Each cycle as the sorted modules of one strongly connected group: remove an entry when it is broken.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int
    type_checking: bool

    def describe(self) -> str:
        where = self.path.relative_to(PACKAGE.parent)
        guard = " (under TYPE_CHECKING)" if self.type_checking else ""
        return f"{where}:{self.line} imports {self.imported}{guard}"


def _excluded(relative: Path) -> bool:
    parts = relative.parts
    return "tests" in parts or "migrations" in parts or relative.name == "conftest.py"


def project_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        if _excluded(relative):
            continue
        name = ".".join(relative.with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Every import statement with whether it sits under `if TYPE_CHECKING:`."""

    def visit(node: ast.AST, guarded: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, guarded
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    yield from visit_statement(statement, True)
                for statement in child.orelse:
                    yield from visit_statement(statement, guarded)
            else:
                yield from visit(child, guarded)

    def visit_statement(statement: ast.stmt, guarded: bool):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            yield statement, guarded
        else:
            yield from visit(statement, guarded)

    yield from visit(tree, False)


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The project module `name` refers to (a module, or the package holding a name)."""
    while name not in modules:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def project_imports(modules: dict[str, Path]) -> list[Import]:
    found = []
    for importer, path in modules.items():
        package = importer if path.name == "__init__.py" else importer.rsplit(".", 1)[0]
        for node, guarded in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                # `from package import module` imports the module; `from module import name` the module.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                owner = _owner(target, modules) if target.split(".")[0] == "hoptac" else None
                if owner and owner != importer and owner != "hoptac":
                    found.append(Import(importer, owner, path, node.lineno, guarded))
    return found


def app_of(module: str) -> str:
    return module.split(".")[1]


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, Path], list[Import]]:
    modules = project_modules()
    return modules, project_imports(modules)


def test_every_app_has_a_layer(graph):
    modules, _imports = graph
    unknown = sorted({app_of(m) for m in modules if m != "hoptac"} - set(LAYER_OF))
    assert not unknown, (
        f"New app(s) or top-level module(s) {unknown}: give each a layer in LAYERS "
        "(hoptac/tests/test_import_contract.py) and in CONTRIBUTING.md."
    )


def _back_arrows(imports: list[Import]) -> dict[tuple[str, str], list[Import]]:
    found: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for item in imports:
        low, high = app_of(item.importer), app_of(item.imported)
        if LAYER_OF.get(high, -1) > LAYER_OF.get(low, -1):
            found[(item.importer, item.imported)].append(item)
    return found


def test_apps_import_only_their_own_layer_and_lower_ones(graph):
    _modules, imports = graph
    found = _back_arrows(imports)
    new = sorted(set(found) - KNOWN_BACK_ARROWS)
    gone = sorted(KNOWN_BACK_ARROWS - set(found))
    problems = []
    for key in new:
        low, high = app_of(key[0]), app_of(key[1])
        for item in found[key]:
            problems.append(f"back-arrow {low} → {high}: {item.describe()}")
    for importer, imported in gone:
        problems.append(f"fixed: {importer} no longer imports {imported}; remove it from KNOWN_BACK_ARROWS")
    assert not problems, "\n".join(problems)


def _cycles(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_import_cycles(graph):
    modules, imports = graph
    edges: dict[str, set[str]] = defaultdict(set)
    lines: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for item in imports:
        if not item.type_checking:
            edges[item.importer].add(item.imported)
            lines[(item.importer, item.imported)].append(item)
    found = {tuple(group) for group in _cycles(set(modules), edges)}
    problems = []
    for group in sorted(found - KNOWN_CYCLES):
        members = set(group)
        detail = [
            "    " + item.describe()
            for (importer, imported), items in sorted(lines.items())
            if importer in members and imported in members
            for item in items
        ]
        problems.append("import cycle between " + ", ".join(group) + ":\n" + "\n".join(detail))
    for group in sorted(KNOWN_CYCLES - found):
        problems.append(f"fixed: no cycle {group} any more; remove it from KNOWN_CYCLES")
    assert not problems, "\n".join(problems)


def test_peer_apps_do_not_import_each_other_both_ways(graph):
    """Apps of one layer may use each other (tasks uses plans), but in one direction only."""
    _modules, imports = graph
    edges: dict[str, set[str]] = defaultdict(set)
    for item in imports:
        low, high = app_of(item.importer), app_of(item.imported)
        if low != high and LAYER_OF.get(low) == LAYER_OF.get(high):
            edges[low].add(high)
    cycles = _cycles(set(edges) | {a for targets in edges.values() for a in targets}, edges)
    assert not cycles, "apps of one layer import each other in a circle: " + "; ".join(
        " ↔ ".join(group) for group in cycles
    )


def test_the_checker_sees_lazy_relative_and_type_checking_imports(tmp_path, monkeypatch):
    """The contract would be worthless if the parser missed an import: check it on a small package."""
    root = tmp_path / "hoptac"
    for name in ("core", "registry"):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "core" / "helpers.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from hoptac.registry.models import Thing\n"
        "def f():\n"
        "    from hoptac.registry import models\n"
    )
    (root / "registry" / "models.py").write_text("from . import services\n")
    (root / "registry" / "services.py").write_text("def g():\n    from .models import Thing\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", root)
    modules = project_modules()
    imports = project_imports(modules)
    seen = {(i.importer, i.imported, i.line, i.type_checking) for i in imports}
    assert seen == {
        ("hoptac.core.helpers", "hoptac.registry.models", 3, True),
        ("hoptac.core.helpers", "hoptac.registry.models", 5, False),
        ("hoptac.registry.models", "hoptac.registry.services", 1, False),
        ("hoptac.registry.services", "hoptac.registry.models", 2, False),
    }
    assert set(_back_arrows(imports)) == {("hoptac.core.helpers", "hoptac.registry.models")}
    edges: dict[str, set[str]] = defaultdict(set)
    for item in imports:
        if not item.type_checking:
            edges[item.importer].add(item.imported)
    assert _cycles(set(modules), edges) == [["hoptac.registry.models", "hoptac.registry.services"]]
