"""The scenario in the URL: compact query parameters, both ways. Pure (no streamlit).

A link reproduces the view: `?preset=support-bot&q=500000&k=8` is the support-bot
preset with 500K queries a month and top-k 8. Only what differs from the preset
(or from the defaults, when there is no preset) is written, and a value that
another one implies (a linked answer, the re-embedding share that the
knowledge-change answer sets) is left out.

Names: the short aliases in `ALIASES` for the sidebar's controls and the
questionnaire's answers; any other scenario field by its dotted path
(`one_time.usd_per_engineering_day=1000`), so the whole scenario round-trips.
Values: numbers as written (`500000`, `0.05`), booleans `yes`/`no`, an
unanswered question `none`, text as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from planner.model.format import visible
from planner.model.scenario import CORPUS_FIELDS, Scenario, corpus_given, given_paths
from planner.model.spelling import Respelled, choices_at, respell_choice, respell_path

PRESET = "preset"
#: The fingerprint (first 12 hex digits of the sha256) of an edited catalog the link was made with:
#: a link carries the scenario, not the catalog, so the opening end can warn when its catalog differs.
CATALOG = "cat"
CATALOG_DIGITS = 12

#: URL name → scenario path. The reverse mapping is built below.
ALIASES: dict[str, str] = {
    "q": "workload.queries_per_month",
    "tin": "workload.input_tokens_per_query",
    "tout": "workload.output_tokens_per_query",
    "sys": "workload.system_prompt_tokens",
    "shots": "workload.few_shot_tokens",
    "docs": "workload.corpus_documents",
    "doc_tokens": "workload.tokens_per_document",
    "chunk": "workload.chunk_tokens",
    "overlap": "workload.chunk_overlap_tokens",
    "k": "workload.top_k",
    "rerank": "workload.rerank",
    "cands": "workload.rerank_candidates_per_query",
    "route": "workload.retrieval_query_share",
    "batch": "workload.batch_query_share",
    "cache": "workload.cache_hit_share",
    "change": "workload.corpus_change_share_per_month",
    "peak": "workload.peak_to_average_ratio",
    "examples": "fine_tuning.training_examples",
    "epochs": "fine_tuning.epochs",
    "serving": "stack.serving",
    "llm": "stack.llm",
    "ft": "stack.fine_tune",
    "emb": "stack.embedding_model",
    "vs": "stack.vector_store",
    "rr": "stack.reranker",
    "gpu": "stack.gpu",
    "budget": "monthly_budget_usd",
    "p95": "latency_target_p95_ms",
    "ttft": "first_token_target_p95_ms",
    "p95_to": "latency_limit_applies_to",  # older links: `first_token` is read as the first-token limit
    "precision": "stack.precision",
    "months": "horizon_months",
    "start": "start_date",
    # questionnaire answers (the linked numbers travel as q, budget, p95, examples)
    "knowledge": "answers.knowledge_change",
    "gap": "answers.gap",
    "format": "answers.strict_output_format",
    "voice": "answers.consistent_voice",
    "cite": "answers.citations_required",
    "stable": "answers.use_case_stable",
    "fits": "answers.knowledge_fits_in_context",
    "prompt_ok": "answers.prompting_good_enough",
    "external": "answers.data_must_stay_external",
    "ml_team": "answers.ml_team_capacity",
    "in_house": "answers.data_in_house",
}
NAMES: dict[str, str] = {path: name for name, path in ALIASES.items()}


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"workload": {"top_k": 5}} → {"workload.top_k": 5}."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def scenario_paths(scenario: Scenario) -> dict[str, Any]:
    return flatten(scenario.model_dump(mode="json"))


def format_value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def parse_value(text: str, like: Any) -> Any:
    """A URL value, read as the type of `like` (the base scenario's value at that path)."""
    if isinstance(like, str):
        return text
    low = text.strip().lower()
    if not low.isascii():  # `１２` (full-width digits) is text to refuse, not the number 12
        return text
    if low in ("none", "null", ""):
        return None
    if low in ("yes", "true"):
        return True
    if low in ("no", "false"):
        return False
    try:
        return int(low)
    except ValueError:
        pass
    try:
        return float(low)
    except ValueError:
        return text


def apply(base: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """`base` with dotted-path changes (raises pydantic's ValidationError, KeyError or ValueError)."""
    return base.with_changes(**dict(changes)) if changes else base


def encode(scenario: Scenario, base: Scenario, preset: str = "") -> dict[str, str]:
    """Query parameters that rebuild `scenario` from `base` (the preset's scenario, or the defaults)."""
    now, was = scenario_paths(scenario), scenario_paths(base)
    # the knowledge base's size, given (even at the default's value), stays given: it settles "does it fit?"
    typed = {p for p in CORPUS_FIELDS if p in given_paths(scenario) and p not in given_paths(base)}
    diff = {p: v for p, v in now.items() if was.get(p, object()) != v or p in typed}
    # leave out what the others imply (linked answers, knowledge-change defaults, ...)
    for path in sorted(diff, key=lambda p: (p.startswith("answers."), p in NAMES), reverse=True):
        trial = {p: v for p, v in diff.items() if p != path}
        try:
            rebuilt = apply(base, trial)
            if rebuilt == scenario and corpus_given(rebuilt) == corpus_given(scenario):
                diff = trial
        except (ValidationError, KeyError, ValueError, TypeError):
            pass
    out = {PRESET: preset} if preset else {}
    for path, value in diff.items():
        out[NAMES.get(path, path)] = format_value(value)
    return out


#: At most this many characters of a URL name or value are echoed in a message (a link can carry 100 KB).
MAX_ECHO_CHARS = 60
#: At most this many problems are reported for one URL (the rest are counted).
MAX_PROBLEMS = 10


def shown(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """`text` as echoed in a message: control characters made visible (`planner.model.format.visible`), cut to `limit`
    characters, saying how long it was."""
    text = visible(str(text))
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


def decode(params: Mapping[str, str], presets: Mapping[str, Scenario]) -> tuple[str, Scenario, list[str]]:
    """(preset slug, scenario, problems) from query parameters. Bad parameters are skipped, each with a sentence."""
    preset, scenario, problems = _decode(params, presets)
    if len(problems) > MAX_PROBLEMS:
        problems = problems[: MAX_PROBLEMS - 1] + [
            f"URL: … and {len(problems) - MAX_PROBLEMS + 1:,} more parameters ignored"
        ]
    return preset, scenario, problems


def _decode(params: Mapping[str, str], presets: Mapping[str, Scenario]) -> tuple[str, Scenario, list[str]]:
    problems: list[str] = []
    preset = params.get(PRESET, "") or ""
    if preset and preset not in presets:
        slugs = ", ".join(sorted(presets))
        problems.append(f"URL: there is no preset `{shown(preset)}` (known: {slugs}); using the defaults")
        preset = ""
    base = presets[preset] if preset else Scenario()
    known = scenario_paths(base)
    changes: dict[str, Any] = {}
    given_as: dict[str, str] = {}  # path → the URL name that set it
    for name, text in params.items():
        if name in (PRESET, CATALOG):
            continue
        path = ALIASES.get(name, name)
        if path not in known and (spelled := respell_path(Scenario, path)) in known:
            problems.append(f"URL: {_respelled(name, spelled)}")  # the other British/US spelling of a word
            path = spelled
        if path not in known:
            problems.append(f"URL: `{shown(name)}` is not a scenario setting; ignored")
            continue
        if path in given_as:  # `q=` and `workload.queries_per_month=` in one link: the first is kept, said
            problems.append(
                f"URL: `{shown(name)}` sets the same setting as `{shown(given_as[path])}`, given first; ignored"
            )
            continue
        given_as[path] = name
        value = parse_value(text, known[path])
        if isinstance(value, str) and (choice := respell_choice(Scenario, path, value)) is not None:
            problems.append(f"URL: {NAMES.get(path, path)}: {_respelled(value, choice)}")
            value = choice
        changes[path] = _choice_case(path, value)
    try:
        return preset, apply(base, changes), problems
    except (ValidationError, KeyError, ValueError, TypeError):
        pass
    scenario = base  # apply what can be applied, one at a time
    for path, value in changes.items():
        what = f"{NAMES.get(path, path)}={shown(format_value(value))}"
        try:
            scenario = apply(scenario, {path: value})
        except ValidationError as exc:
            problems.append(f"URL: `{what}` ignored: {validation_message(exc)}")
        except (KeyError, ValueError, TypeError):
            problems.append(f"URL: `{what}` ignored: not a valid value")
    return preset, scenario, problems


def _choice_case(path: str, value: Any) -> Any:
    """A choice written in another case (`precision=BF16`) read as the choice (`bf16`); anything else as given."""
    if not isinstance(value, str):
        return value
    choices = choices_at(Scenario, path)
    if value in choices:
        return value
    same = [c for c in choices if c.lower() == value.strip().lower()]
    return same[0] if len(same) == 1 else value


def _respelled(written: str, spelling: str) -> str:
    return Respelled((), shown(written), spelling, "").message()


def validation_message(exc: ValidationError) -> str:
    """pydantic's errors as one readable sentence: `field: message; field: message`."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ()) if not str(p).startswith("function-"))
        msg = err.get("msg", "invalid value")
        msg = msg.removeprefix("Value error, ")
        if err.get("type") == "multiple_of" and (err.get("ctx") or {}).get("multiple_of") == 1:
            msg = "must be a whole number"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid value"
