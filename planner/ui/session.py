"""This browser session's state: one typed `Session` under one key of `st.session_state`.

Per browser session, never in `st.cache_resource`:

* `scenario` — the `Scenario` every page draws; `preset` — the preset's slug or "".
  Controls are *controlled*: before a control is drawn its key is set from the
  scenario, and its `on_change` callback writes the new value back through
  `Scenario.with_changes` (which keeps the linked answers in step). So a change
  made anywhere (a preset, an upload, a question on Decide, the URL) shows in
  every control, on every page.
* `cat_text` / `cat_sha` — the catalog YAML this session prices with (the file's,
  or the user's applied edit); `cat_path` / `cat_file_sha` — the catalog file and
  the fingerprint of its text when read (for conflict-safe saving); `cat_custom`
  — whether this session applied its own edit (if not, a save made by someone
  else is picked up on the next rerun). `planner.ui.catalog` changes them.

Widgets keep their own keys (`sb.*` in the sidebar, `dq.*` on Decide, `cat_*` on
Pricing); everything else the app remembers is a field of `Session`.

Caching (`st.cache_data`, shared, keyed on hashable inputs, dropped after an hour unused):
the parsed catalog by `catalog_key` (its text and the default's text; catalogs above
`SHARED_CATALOG_MAX_BYTES` are not shared), the estimate by (that key, scenario JSON). Each session
also keeps its last result, so a rerun with nothing changed unpickles nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import streamlit as st
from pydantic import ValidationError

from planner.engine import Estimate, estimate, with_serving_comparison
from planner.model.files import SCENARIOS_DIR, load_scenario
from planner.model.scenario import Scenario, bounds, corpus_given
from planner.ui import params
from pricing.errors import Problem
from pricing.loader import LoadedCatalog, parse_catalog
from pricing.models import Catalog

if TYPE_CHECKING:
    from planner.questionnaire import Recommendation


@dataclass(frozen=True)
class Context:
    """What a page draws from: the catalog, the scenario, their estimate and recommendation, or the error."""

    catalog: Catalog
    scenario: Scenario
    estimate: Estimate | None
    recommendation: Recommendation | None
    error: str | None
    cat_sha: str


#: Uploads (scenarios and catalogs) are refused above this size, whatever the server allows.
MAX_UPLOAD_BYTES = 1_000_000
#: The catalog editor's cap in characters: a browser counts characters, and a character is at most 4 bytes
#: of UTF-8, so the editor never sends (nor the server holds) more than `MAX_UPLOAD_BYTES` of text.
MAX_EDITOR_CHARS = MAX_UPLOAD_BYTES // 4

#: The one key of `st.session_state` the app's own state lives under.
KEY = "planner"

_MISSING = object()

#: How an alert looks (the name of its streamlit function).
Kind = Literal["error", "warning", "success", "info"]
#: A message waiting to be shown: (kind, text, lines).
Flash = tuple[Kind, str, list[str] | None]
#: What a Pricing-page action did: the problems when the text was invalid, else a sentence's detail.
Outcome = (
    tuple[Literal["invalid"], list[Problem]]
    | tuple[Literal["invalid"], list[Problem], str]  # an upload's problems, with its file name
    | tuple[Literal["applied", "saved", "reset", "conflict", "error"], str]
)


@dataclass
class Session:
    """Everything this browser session remembers (except its widgets' values)."""

    # the scenario
    scenario: Scenario = field(default_factory=Scenario)
    preset: str = ""
    started: bool = False  # the scenario was read from the URL
    link_cat: str = ""  # the catalog fingerprint the opened link was made with (`cat=`), if any
    # the catalog
    cat_text: str = ""
    cat_sha: str = ""
    cat_path: str = ""
    cat_custom: bool = False
    cat_file_sha: str | None = None
    cat_stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the file when read
    default_stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the default catalog an override is over
    cat_draft: str | None = None  # the Pricing page's editor text, kept across page switches
    cat_result: Outcome | None = None  # the Pricing page's last action: (outcome, detail)
    # the Pricing page's last invalid text: (the text, its problems, the uploaded file's name or None), shown
    # until a valid result
    cat_problems: tuple[str, list[Problem], str | None] | None = None
    cat_focus_range: tuple[int, int] | None = None  # the lines (first, last) its focused editor shows
    cat_focus_for: tuple[int, int, int, str] | None = None  # (line, first, last, text) the focused box was filled for
    # the Import page's last read traffic (`planner.traffic.analysis.TrafficAnalysis`: counts and times only)
    traffic: Any = None
    traffic_applied: bool = False  # some of its fit was applied (the PDF then has a section on it)
    # messages for the next page drawn
    flashes: list[Flash] = field(default_factory=list)
    # memos of this session's last results
    catalog_memo: tuple[str, Catalog] | None = None
    context_memo: tuple[tuple[str, str, frozenset[str]], Context] | None = None
    url_memo: tuple[tuple[str, str], dict[str, str]] | None = None
    chart_memo: dict[str, tuple] = field(default_factory=dict)  # planner.ui.volume_chart's last figure per chart


def get() -> Session:
    """This browser session's state (created on first use)."""
    ss = st.session_state
    if KEY not in ss:
        ss[KEY] = Session()
    return ss[KEY]


# ------------------------------------------------------------------ cached pure computations


#: Catalog texts up to this size share one parsed copy between sessions (the shipped catalog is ~80 KB).
#: A bigger one is parsed for its own session only, so visitors applying large catalogs cannot fill the
#: shared cache: what a session keeps is freed with the session.
SHARED_CATALOG_MAX_BYTES = 300_000
#: Shared cache entries are dropped after this long unused, so memory goes back when the visitors leave.
CACHE_TTL_SECONDS = 3600


def parse_catalog_cached(key: str, text: str, base_text: str, file: str) -> LoadedCatalog:
    """`parse_catalog(text)` over the default catalog `base_text`; shared between sessions by `key`
    (`pricing.loader.catalog_key`) when the text is small enough to share."""
    if len(text) > SHARED_CATALOG_MAX_BYTES:
        return parse_catalog(text, file, base_text=base_text)
    return _parse_catalog_shared(key, text, base_text, file)


@st.cache_data(show_spinner=False, max_entries=16, ttl=CACHE_TTL_SECONDS)
def _parse_catalog_shared(key: str, _text: str, _base_text: str, file: str) -> LoadedCatalog:
    return parse_catalog(_text, file, base_text=_base_text)


@st.cache_data(show_spinner=False, max_entries=128, ttl=CACHE_TTL_SECONDS)
def estimate_cached(cat_sha: str, scenario_json: str, _catalog: Catalog, _scenario: Scenario) -> Estimate:
    """The engine's estimate, cached by (catalog sha256, scenario JSON). Its volume grid is the engine's
    (`planner.engine.volume_grid`), the same as the CLI's, the PDF's and the Python API's. API versus
    self-hosted is left out (several times the rest's cost, on every move of the volume): the pages that
    show it ask `serving_comparison_for`."""
    return estimate(_catalog, _scenario, serving_comparison=False)


@st.cache_data(show_spinner=False, max_entries=32, ttl=CACHE_TTL_SECONDS)
def _with_comparison_cached(cat_sha: str, scenario_json: str, _catalog: Catalog, _est: Estimate) -> Estimate:
    return with_serving_comparison(_catalog, _est)


def serving_comparison_for(cat_sha: str, catalog: Catalog, est: Estimate) -> Estimate:
    """`est` with API versus self-hosted (`planner.engine.with_serving_comparison`), cached like the estimate."""
    full = _with_comparison_cached(cat_sha, _priced_key(est.scenario), catalog, est)
    return full if full.scenario == est.scenario else dataclasses.replace(full, scenario=est.scenario)


#: Scenario fields the engine never reads: a change to them (a questionnaire answer that sets no
#: number, the name) reuses the cached estimate instead of running the engine again.
NOT_PRICED = {"answers", "name", "description"}


def _priced_key(scenario: Scenario) -> str:
    """What the engine reads, and whether the knowledge base's size was given beside the answer "it fits"
    (an assumed size never overrules that answer: planner/engine/knowledge.py)."""
    key = scenario.model_dump_json(exclude=NOT_PRICED) + f"|{scenario.answers.knowledge_fits_in_context}"
    return key + f"|{corpus_given(scenario)}"


def estimate_for(cat_sha: str, catalog: Catalog, scenario: Scenario) -> Estimate:
    """`estimate_cached` keyed on what the engine reads; the estimate carries `scenario` itself."""
    est = estimate_cached(cat_sha, _priced_key(scenario), catalog, scenario)
    return est if est.scenario == scenario else dataclasses.replace(est, scenario=scenario)


@st.cache_data(show_spinner=False)
def preset_scenarios() -> dict[str, Scenario]:
    """The shipped scenario files by slug (file stem), in file-name order (each file read once)."""
    return {path.stem: load_scenario(path) for path in sorted(SCENARIOS_DIR.glob("*.yaml"))}


# ------------------------------------------------------------------ messages for the next page


def flash(kind: Kind, text: str, lines: list[str] | None = None) -> None:
    """A message shown once at the top of the next page drawn (kind: error, warning, success, info)."""
    get().flashes.append((kind, text, lines))


# ------------------------------------------------------------------ the scenario


def scenario() -> Scenario:
    return get().scenario


def base_scenario() -> Scenario:
    return preset_scenarios().get(get().preset) or Scenario()


def set_scenario(new: Scenario, preset: str | None = None) -> None:
    s = get()
    s.scenario = new
    if preset is not None:
        s.preset = preset


def change(changes: dict[str, Any], what: str = "") -> bool:
    """Apply dotted-path changes to the scenario; an invalid value is refused with a message."""
    try:
        set_scenario(scenario().with_changes(**changes))
        return True
    except ValidationError as exc:
        flash("error", f"{what or ', '.join(changes)}: {params.validation_message(exc)}")
    except (KeyError, ValueError, TypeError) as exc:
        flash("error", f"{what or ', '.join(changes)}: not a valid value ({exc})")
    return False


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def sync_widget(key: str, desired: Any) -> None:
    """Set a widget's value from the scenario before the widget is drawn (only when it differs)."""
    if st.session_state.get(key, _MISSING) != desired:
        st.session_state[key] = desired


def _on_control(key: str, path: str, from_widget: Callable[[Any], Any], what: str) -> None:
    value = from_widget(st.session_state[key])
    if not change({path: value}, what):
        st.session_state.pop(key, None)  # redrawn from the scenario on this run


def _same(v: Any) -> Any:
    return v


def control(
    key: str,
    path: str,
    what: str,
    to_widget: Callable[[Any], Any] = _same,
    from_widget: Callable[[Any], Any] = _same,
) -> dict[str, Any]:
    """kwargs that bind a widget to a scenario path: `st.slider(..., **control(...))`."""
    sync_widget(key, to_widget(get_path(scenario(), path)))
    return dict(key=key, on_change=_on_control, args=(key, path, from_widget, what))


def limits(path: str) -> dict[str, Any]:
    """`min_value` and `max_value` of the control for the scenario field at `path`: the model's own bounds,
    whole numbers for a whole field (an open bound such as `> 0` shows as 0; entering it is refused with
    the model's message), so every value the model accepts shows as it is."""
    b = bounds(path)
    cast: Callable[[float], Any] = int if b.whole else float
    out: dict[str, Any] = {}
    if b.low is not None:
        out["min_value"] = cast(b.low)
    if b.high is not None:
        out["max_value"] = cast(b.high)
    return out
