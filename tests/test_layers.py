"""The house's layers, read from the import statements of planner/ and pricing/ (every import: module level,
inside functions and under TYPE_CHECKING alike):

- no cycle between files;
- no cycle between packages (a package is a folder: `planner` is planner/*.py, `planner.engine` planner/engine/*.py);
- each package imports only from itself and the packages below it in LAYERS, the order
  planner/model/__init__.py states.

A failure names the edge that breaks the rule and the file that makes it."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Bottom to top; packages on one line are peers (neither imports the other).
LAYERS: list[tuple[str, ...]] = [
    ("pricing",),
    ("pricing.genai_sync",),
    ("planner.model",),
    ("planner.quality",),
    ("planner.engine",),
    ("planner.traffic", "planner.questionnaire"),
    ("planner.presentation",),
    ("planner.figures",),
    ("planner.report",),
    ("planner.ui",),
    ("planner",),
]


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → file, for every module of planner/ and pricing/ (a package by its __init__)."""
    out = {}
    for top in ("planner", "pricing"):
        for path in (root / top).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def package_of(name: str, files: dict[str, Path]) -> str:
    """The folder a module lives in, as a dotted name."""
    return name if files[name].name == "__init__.py" else name.rpartition(".")[0]


def _target(name: str, files: dict[str, Path]) -> str | None:
    while name and name not in files:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, source: str, files: dict[str, Path]) -> set[str]:
    """The project modules `name` imports; `from pkg import sub` is an edge to the submodule when `sub` is one."""
    here = package_of(name, files)
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {t for a in node.names if (t := _target(a.name, files))}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if (t := full if full in files else _target(base, files)) is not None:
                    out.add(t)
    out.discard(name)
    return out


def graph(files: dict[str, Path]) -> dict[str, set[str]]:
    return {name: imports_of(name, path.read_text(encoding="utf-8"), files) for name, path in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
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
                member, component = None, []
                while member != node:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def package_edges(edges: dict[str, set[str]], files: dict[str, Path]) -> dict[tuple[str, str], str]:
    """(importing package, imported package) → one file that makes the edge."""
    out: dict[tuple[str, str], str] = {}
    for name, targets in sorted(edges.items()):
        for target in sorted(targets):
            a, b = package_of(name, files), package_of(target, files)
            if a != b:
                out.setdefault((a, b), files[name].relative_to(ROOT).as_posix())
    return out


def layer_breaks(pairs: dict[tuple[str, str], str]) -> list[str]:
    rank = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}
    return [
        f"{where}: {a} imports {b}, which is not below it"
        for (a, b), where in sorted(pairs.items())
        if rank[b] >= rank[a]
    ]


FILES = module_files()
EDGES = graph(FILES)


def test_the_graph_sees_the_whole_code_and_its_real_imports():
    assert {"planner.engine.assemble", "planner.model.scenario", "pricing.models", "planner.ui.sidebar"} <= set(FILES)
    assert "planner.model.scenario" in EDGES["planner.engine.assemble"]
    assert "planner.engine" in EDGES["planner"]  # planner/__init__.py re-exports estimate


def test_every_package_has_a_layer():
    packages = {package_of(name, FILES) for name in FILES}
    placed = {pkg for layer in LAYERS for pkg in layer}
    assert packages == placed, f"unplaced: {sorted(packages - placed)}; gone: {sorted(placed - packages)}"


def test_no_cycle_between_files():
    assert cycles(EDGES) == []


def test_no_cycle_between_packages():
    pairs = package_edges(EDGES, FILES)
    assert cycles({a: {b for (x, b) in pairs if x == a} for (a, _) in pairs}) == []


def test_each_package_imports_only_from_the_layers_below():
    assert layer_breaks(package_edges(EDGES, FILES)) == []


# The checker itself, on made-up code.
def test_a_cycle_through_three_files_is_found_and_a_chain_is_not(tmp_path):
    (tmp_path / "planner").mkdir()
    (tmp_path / "pricing").mkdir()
    for name, body in {
        "a": "from planner import b\n",
        "b": "from planner.c import x\n",
        "c": "import planner.a\n",
    }.items():
        (tmp_path / "planner" / f"{name}.py").write_text(body)
    files = module_files(tmp_path)
    assert cycles(graph(files)) == [["planner.a", "planner.b", "planner.c"]]
    (tmp_path / "planner" / "c.py").write_text("def f():\n    import os\n")
    assert cycles(graph(module_files(tmp_path))) == []


def test_a_lazy_import_inside_a_function_counts_and_a_relative_one_resolves(tmp_path):
    pkg = tmp_path / "planner" / "engine"
    pkg.mkdir(parents=True)
    (tmp_path / "pricing").mkdir()
    (tmp_path / "planner" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("from .costs import total\n")
    (pkg / "costs.py").write_text("def total():\n    from planner.engine import total as t\n")
    files = module_files(tmp_path)
    edges = graph(files)
    assert edges["planner.engine"] == {"planner.engine.costs"}
    assert cycles(edges) == [["planner.engine", "planner.engine.costs"]]


def test_an_import_upward_is_named_with_its_file():
    pairs = {("planner.engine", "planner.presentation"): "planner/engine/x.py", ("planner.ui", "planner.engine"): "u"}
    assert layer_breaks(pairs) == [
        "planner/engine/x.py: planner.engine imports planner.presentation, which is not below it"
    ]


@pytest.mark.parametrize("peer", ["planner.questionnaire"])
def test_peers_on_one_layer_may_not_import_each_other(peer):
    assert layer_breaks({("planner.traffic", peer): "t.py"}) == [
        f"t.py: planner.traffic imports {peer}, which is not below it"
    ]


# ------------------------------------------------------------------ public doors


def defined_names(source: str) -> set[str]:
    """The names a module defines at its top level (functions, classes, assignments), not the ones it imports."""
    out = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return out


def doors(source: str) -> set[str]:
    """A package's `__all__`: the names it offers callers outside it."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return {e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)}
    return set()


@functools.cache
def _offered(path: Path) -> frozenset[str]:
    source = path.read_text(encoding="utf-8")
    return frozenset(defined_names(source) | doors(source))


def borrowed_imports(path: Path, files: dict[str, Path]) -> list[str]:
    """`from M import N` where M is a project module that neither defines N nor offers it in `__all__`, and N is
    not a submodule: a name taken through a module that only imported it."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module in files):
            continue
        allowed = _offered(files[node.module])
        out += [
            f"{node.module}.{a.name}"
            for a in node.names
            if a.name not in allowed and f"{node.module}.{a.name}" not in files
        ]
    return out


def test_every_name_is_imported_from_the_module_that_defines_it_or_from_a_package_door():
    code = [
        *ROOT.glob("*.py"),
        *(p for d in ("planner", "pricing", "tests", "benchmarks", "tools") for p in (ROOT / d).rglob("*.py")),
    ]
    found = {p.relative_to(ROOT).as_posix(): b for p in code if (b := borrowed_imports(p, FILES))}
    assert found == {}


def test_the_door_check_sees_a_borrowed_name_and_lets_a_door_and_a_submodule_through(tmp_path):
    (tmp_path / "planner" / "engine").mkdir(parents=True)
    (tmp_path / "pricing").mkdir()
    (tmp_path / "planner" / "engine" / "__init__.py").write_text(
        'from planner.engine.costs import total\n__all__ = ["total"]\n'
    )
    (tmp_path / "planner" / "engine" / "costs.py").write_text("from math import floor\ndef total():\n    pass\n")
    files = module_files(tmp_path)
    user = tmp_path / "user.py"
    user.write_text("from planner.engine import total, costs\nfrom planner.engine.costs import floor, total\n")
    assert borrowed_imports(user, files) == ["planner.engine.costs.floor"]
