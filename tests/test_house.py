"""House rules for the code: no Python module of the repository over 500 lines (planner/, pricing/, tests/,
benchmarks/, tools/ and app.py: every tracked .py file), and in planner/ and pricing/ no function over 60 lines
unless a `# long:` comment on its def line (or the line above) says why splitting it would make it worse, and no
private name imported from another module.

Lengths are measured with an ast walk: a module by its lines, a function from its `def` line to its last line
(nested functions and methods count on their own, and inside their parent)."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("planner", "pricing")
#: Where the module-length rule looks: every Python file of the repository (the function-length and door rules
#: look at PACKAGES only).
CODE_FOLDERS = (*PACKAGES, "tests", "benchmarks", "tools")
CODE_FILES = ("app.py",)
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
LONG_MARK = "# long:"

#: Modules not held to the rules yet, each with the reason. Empty this as they are split.
EXEMPT: dict[str, str] = {}


def modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def all_modules() -> list[Path]:
    """Every Python file the module-length rule holds: PACKAGES, tests, benchmarks, tools and app.py."""
    found = {p for folder in CODE_FOLDERS for p in (ROOT / folder).rglob("*.py")}
    return sorted(found | {ROOT / name for name in CODE_FILES})


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, def line, length) of every function longer than MAX_FUNCTION_LINES without a `# long:` reason."""
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length <= MAX_FUNCTION_LINES:
            continue
        here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
        if LONG_MARK in here or above.strip().startswith(LONG_MARK):
            continue
        out.append((node.name, node.lineno, length))
    return out


def test_the_rules_see_the_whole_code():
    names = {rel(p) for p in modules()}
    assert {"planner/engine/assemble.py", "planner/cli.py", "pricing/models.py"} <= names
    everything = {rel(p) for p in all_modules()}
    assert (
        names | {"app.py", "tests/test_house.py", "tests/e2e/test_browser.py", "benchmarks/bench_engine.py"}
        <= everything
    )
    assert set(EXEMPT) <= everything, "an exempt module no longer exists: remove its exemption"


def test_the_length_rule_sees_every_tracked_python_file():
    """A Python file committed outside the folders the rule walks (a new top-level folder) would escape it."""
    done = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    tracked = set(done.stdout.split())
    assert {"app.py", "tests/test_house.py", "benchmarks/__main__.py", "tools/requirements.py"} <= tracked
    missed = tracked - {rel(p) for p in all_modules()}
    assert not missed, (
        f"not held to the {MAX_MODULE_LINES}-line rule: {sorted(missed)} (add their folder to CODE_FOLDERS)"
    )


@pytest.mark.parametrize("path", all_modules(), ids=rel)
def test_no_module_over_500_lines(path):
    if rel(path) in EXEMPT:
        pytest.skip(EXEMPT[rel(path)])
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{rel(path)} has {n} lines (at most {MAX_MODULE_LINES}): split it along its seams"


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_no_function_over_60_lines_without_a_reason(path):
    if rel(path) in EXEMPT:
        pytest.skip(EXEMPT[rel(path)])
    found = long_functions(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{rel(path)}: "
        + ", ".join(f"{name} (line {line}, {n} lines)" for name, line, n in found)
        + f": split into named steps, or say why not with a `{LONG_MARK} ...` comment on the def line"
    )


# The checker itself, on made-up code: 61 lines fail, 60 pass, a reason on the def line or above passes.
def _function(body_lines: int, before: str = "", on_def: str = "") -> str:
    body = "".join(f"    x{n} = {n}\n" for n in range(body_lines))
    return f"{before}def f():{on_def}\n{body}"


def test_the_checker_flags_a_61_line_function_and_passes_60():
    assert long_functions(_function(60)) == [("f", 1, 61)]  # the def line + 60 body lines
    assert long_functions(_function(59)) == []


def test_a_long_reason_beside_the_def_passes():
    assert long_functions(_function(60, on_def="  # long: a table")) == []
    assert long_functions(_function(60, before="# long: a table\n")) == []
    assert long_functions(_function(60, before="# a comment that gives no reason\n")) == [("f", 2, 61)]


# ------------------------------------------------------------------ public doors
# A name that starts with `_` is its module's own: no other module imports it (a name siblings share is public
# inside their package). ruff's PLC2701 says the same across packages; this says it between siblings too.


def private_imports(path: Path) -> list[str]:
    """`module._name` for every private name `path` takes from another module of planner/ or pricing/ (imported
    by name, or read as an attribute of an imported module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> module, for `import a.b as c` / `from a import b` (a module)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    out.append(f"{node.module}.{a.name}")
                modules[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    modules[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            out.append(f"{modules[node.value.id]}.{node.attr}")
    return out


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_no_private_name_is_imported_from_another_module(path):
    found = private_imports(path)
    assert not found, f"{rel(path)} imports private names: {', '.join(found)} (make them public inside the package)"


def test_the_door_check_sees_a_private_import(tmp_path):
    f = tmp_path / "m.py"
    f.write_text(
        "from planner.engine.costs import _x\nfrom planner.model import format as fmt\nfmt._y\nimport os\nos._exit\n"
    )
    assert private_imports(f) == ["planner.engine.costs._x", "planner.model.format._y"]
