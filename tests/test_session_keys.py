"""What the app keeps in `st.session_state`: its widgets' values (each under the widget's `key=`) and one typed
`planner.ui.session.Session` under `session.KEY`, nothing else. State a page remembers is a field of `Session`, so
it is named, typed and found in one place (docs/contributing.md, "Add a page"); a loose key set by hand is not.

Read from the source of planner/ui/ and app.py with an ast walk: every read, write, `.get`, `.pop`, `in` and
`sync_widget` of `st.session_state` (or a name bound to it) with a key the code spells (a string, a constant, an
f-string), checked against every widget key declared (`key=...` of any call, or the first argument of
`session.control`)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "planner" / "ui"

#: Accesses whose key is a parameter, by (module, function): each receives a key declared for a widget elsewhere.
PARAMETER_KEYS = {
    ("session", "sync_widget"): "its callers' keys are checked as accesses",
    ("session", "control"): "the key it is given is a widget's (its first argument counts as a widget key)",
    ("session", "_on_control"): "the key `session.control` was given, which declares a widget key",
    ("volume_chart", "_on_change"): "the volume chart component's own key (`key=key` where it is drawn)",
}
STATE_METHODS = {"get", "pop", "setdefault"}


@dataclass(frozen=True)
class Key:
    """A key as the code spells it: `text` exact, or a regex when `pattern` (an f-string), or a parameter's name."""

    text: str
    pattern: bool = False
    parameter: bool = False


@dataclass(frozen=True)
class Use:
    module: str
    function: str
    line: int
    key: Key


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"`."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out |= {t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)}
    return out


class Scan(ast.NodeVisitor):
    """One module's session-state accesses and widget-key declarations."""

    def __init__(self, module: str, tree: ast.Module, constants: dict[str, dict[str, str]]):
        self.module, self.constants, self.function = module, constants, "<module>"
        self.aliases = {
            t.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign) and self._is_state(n.value, set())
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        self.uses: list[Use] = []
        self.widgets: list[Key] = []
        self.visit(tree)

    def _is_state(self, node: ast.AST, aliases: set[str] | None = None) -> bool:
        aliases = self.aliases if aliases is None else aliases
        return (isinstance(node, ast.Attribute) and node.attr == "session_state") or (
            isinstance(node, ast.Name) and node.id in aliases
        )

    def key(self, node: ast.AST, strict: bool = True) -> Key | None:
        """The key `node` spells; a key it cannot read fails the test (`strict`, an access) or is None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return Key(node.value)
        if isinstance(node, ast.Name):
            value = self.constants[self.module].get(node.id)
            return Key(value) if value is not None else Key(node.id, parameter=True)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            value = self.constants.get(node.value.id, {}).get(node.attr)
            if value is not None:
                return Key(value)
        if isinstance(node, ast.JoinedStr):
            parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values]
            return Key("".join(parts), pattern=True)
        if not strict:  # e.g. `sorted(..., key=lambda ...)`: not a widget's key
            return None
        raise AssertionError(f"planner/ui/{self.module}.py:{node.lineno}: a key this test cannot read")

    def use(self, node: ast.AST) -> None:
        key = self.key(node)
        assert key is not None
        self.uses.append(Use(self.module, self.function, node.lineno, key))

    def widget(self, node: ast.AST) -> None:
        if (key := self.key(node, strict=False)) is not None:
            self.widgets.append(key)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self._is_state(node.value):
            self.use(node.slice)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops) and self._is_state(node.comparators[-1]):
            self.use(node.left)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if isinstance(f, ast.Attribute) and self._is_state(f.value) and name in STATE_METHODS and node.args:
            self.use(node.args[0])
        if name == "sync_widget" and node.args:
            self.use(node.args[0])
        if name == "control" and node.args:
            self.widget(node.args[0])
        for kw in node.keywords:
            if kw.arg == "key":
                self.widget(kw.value)
        self.generic_visit(node)


def scan(files: dict[str, str]) -> tuple[list[Use], list[Key]]:
    """All modules' accesses and widget keys; `files`: module name → source."""
    trees = {m: ast.parse(src) for m, src in files.items()}
    constants = {m: _constants(t) for m, t in trees.items()}
    scans = [Scan(m, t, constants) for m, t in trees.items()]
    return [u for s in scans for u in s.uses], [k for s in scans for k in s.widgets]


def covered(key: Key, widgets: list[Key]) -> bool:
    """The key is a widget's: the same text, or an f-string key the widget's pattern matches (or the same f-string)."""
    for w in widgets:
        if w.parameter:
            continue
        if key.pattern == w.pattern and key.text == w.text:
            return True
        if w.pattern and not key.pattern and re.fullmatch(w.text, key.text):
            return True
    return False


def loose_keys(files: dict[str, str], session_key: str) -> list[str]:
    """Every access whose key is neither a widget's nor `session_key`, as "module.py:line function: key"."""
    uses, widgets = scan(files)
    out = []
    for u in uses:
        if u.key.parameter:
            if (u.module, u.function) not in PARAMETER_KEYS:
                out.append(f"{u.module}.py:{u.line} {u.function}: a key from the parameter `{u.key.text}`")
        elif u.key.text != session_key and not covered(u.key, widgets):
            out.append(f"{u.module}.py:{u.line} {u.function}: {u.key.text!r}")
    return out


def ui_sources() -> dict[str, str]:
    files = {p.stem: p.read_text(encoding="utf-8") for p in sorted(UI.glob("*.py"))}
    files["app"] = (ROOT / "app.py").read_text(encoding="utf-8")
    return files


def test_the_app_keeps_no_state_outside_its_widgets_and_its_session():
    from planner.ui.session import KEY

    sources = ui_sources()
    assert {"pricing", "catalog", "sidebar", "session", "app"} <= set(sources)
    found = loose_keys(sources, KEY)
    assert not found, (
        "st.session_state keys that are no widget's: keep that state in planner.ui.session.Session\n" + "\n".join(found)
    )


def test_the_scan_sees_the_widget_keys_and_the_session():
    """The scan reads the app as it is: the session's key, the sidebar's controls and their f-string keys."""
    uses, widgets = scan(ui_sources())
    texts = {w.text for w in widgets}
    assert {"sb.preset", "sb.q", "cat_editor", "cat_focus_text"} <= texts  # key=, control(), a constant
    assert any(w.pattern and re.fullmatch(w.text, "sb.days_rag") for w in widgets)  # f"sb.days_{arch}"
    assert any(u.module == "session" and u.function == "get" and u.key == Key("planner") for u in uses)
    assert any(u.module == "pricing" for u in uses)  # an alias (`ss = st.session_state`) is followed


def test_the_scan_finds_a_loose_key_however_it_is_spelled():
    page = (
        "import streamlit as st\n"
        "from planner.ui import session\n"
        "ss = st.session_state\n"
        "LAST = 'page_last'\n"
        "st.text_input('Name', key='page_name')\n"
        "st.text_input('Row', key=f'page_row_{1}')\n"
        "def f(n, k):\n"
        "    ss['page_name'] = 'ok'\n"  # a widget's key: fine
        "    ss[f'page_row_{n}'] = 'ok'\n"  # a widget's f-string key: fine
        "    st.session_state['planner'] = 1\n"  # the session's own key: fine
        "    ss['page_seen'] = True\n"
        "    st.session_state.get(LAST)\n"
        "    ss.pop('page_open', None)\n"
        "    if 'page_flag' in ss: pass\n"
        "    session.sync_widget('page_other', 1)\n"
        "    ss[k] = 0\n"
    )
    assert loose_keys({"page": page}, "planner") == [
        "page.py:11 f: 'page_seen'",
        "page.py:12 f: 'page_last'",
        "page.py:13 f: 'page_open'",
        "page.py:14 f: 'page_flag'",
        "page.py:15 f: 'page_other'",
        "page.py:16 f: a key from the parameter `k`",
    ]
