"""The scenario format's spellings: the other British/US spelling of a key or a choice is read as the
format's, with a note naming the word and the spelling to use — in Python, the CLI, a URL and the app."""

from __future__ import annotations

import enum
import json
import subprocess
import sys
import typing
import warnings
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from planner import load_scenario, parse_scenario
from planner.model.files import ScenarioWarning, read_scenario
from planner.model.scenario import Scenario
from planner.model.spelling import WORD_PAIRS, respell, respell_choice, respell_path, variants
from planner.ui import params
from pricing.errors import InputError

ROOT = Path(__file__).resolve().parents[1]

BRITISH = "name: Spelled the other way\nanswers:\n  labelled_examples: 800\n  gap: behaviour\n"


@pytest.fixture
def british(tmp_path) -> Path:
    path = tmp_path / "british.yaml"
    path.write_text(BRITISH)
    return path


def _notes_of(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ScenarioWarning)]


def test_the_format_keeps_the_spellings_files_already_carry():
    fields = set(Scenario.model_fields["answers"].annotation.model_fields)  # type: ignore[union-attr]
    assert "labeled_examples" in fields and "labelled_examples" not in fields
    assert Scenario.model_validate({"answers": {"gap": "behavior"}}).answers.gap == "behavior"
    # a canonical file reads with no note and unchanged
    data = Scenario().model_dump(mode="json")
    assert respell(Scenario, data) == (data, [])


def _keys(model: type, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for name, f in model.model_fields.items():
        out.add(prefix + name)
        sub = f.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out |= _keys(sub, f"{prefix}{name}.")
    return out


def test_the_format_spells_every_word_one_way_us():
    """One spelling for the whole file format (US, as `target_utilization` and `labeled_examples` already were):
    no key, and no choice of an answer, uses a British spelling of a word with two."""
    british = {gb for gb, _ in WORD_PAIRS}
    words = {w for k in _keys(Scenario) for part in k.split(".") for w in part.split("_")}
    assert words & british == set(), words & british

    def strings(t: Any) -> set[str]:  # the values of the enums and literals in an annotation
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return {str(m.value) for m in t}
        return {a for a in typing.get_args(t) if isinstance(a, str)} | {
            s for a in typing.get_args(t) if not isinstance(a, str) for s in strings(a)
        }

    answers = Scenario.model_fields["answers"].annotation
    choices = {v for f in answers.model_fields.values() for v in strings(f.annotation)}
    assert "behavior" in choices  # the walk sees the choices
    assert choices & british == set(), choices & british


def test_variants_swap_each_word_either_way():
    assert variants("labeled_examples") == {"labelled_examples"}
    assert variants("behaviour_retrains_per_month") == {"behavior_retrains_per_month"}
    assert variants("top_k") == set()


def test_other_spellings_found_in_the_scenario_model_map_to_real_fields():
    assert respell_path(Scenario, "answers.labelled_examples") == "answers.labeled_examples"
    ft = "fine_tuning.behavior_retrains_per_month"
    assert respell_path(Scenario, "fine_tuning.behaviour_retrains_per_month") == ft
    assert respell_path(Scenario, "one_time.labelling_usd_per_example") == "one_time.labeling_usd_per_example"
    assert respell_path(Scenario, "stack.target_utilisation") == "stack.target_utilization"
    assert respell_path(Scenario, "stack.gpu_memory_utilisation") == "stack.gpu_memory_utilization"
    assert respell_path(Scenario, "answers.nonsense") is None
    assert respell_choice(Scenario, "answers.gap", "behaviour") == "behavior"
    assert respell_choice(Scenario, "answers.gap", "knowledge") is None


def test_python_api_reads_the_other_spelling_with_one_warning_each(british):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = load_scenario(british)
    assert s.answers.labeled_examples == 800 and s.answers.gap == "behavior"
    assert s.fine_tuning.training_examples == 800  # the linked number follows, as with the format's spelling
    notes = _notes_of(caught)
    assert len(notes) == 2
    assert notes[0] == (
        f"{british}:3:3: answers.labelled_examples: `labelled_examples` read as `labeled_examples`, "
        "the scenario format's spelling: write `labeled_examples`"
    )
    assert notes[1] == (
        f"{british}:4:3: answers.gap: `behaviour` read as `behavior`, the scenario format's spelling: write `behavior`"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert parse_scenario(BRITISH) == s.model_copy()
    assert len(_notes_of(caught)) == 2


def test_read_scenario_returns_the_notes_and_a_canonical_file_has_none():
    s, notes = read_scenario(BRITISH, "b.yaml")
    assert [(n.line, n.path) for n in notes] == [(3, "answers.labelled_examples"), (4, "answers.gap")]
    same, none = read_scenario(BRITISH.replace("labelled", "labeled").replace("behaviour", "behavior"), "us.yaml")
    assert none == [] and same == s


def test_a_problem_under_a_respelled_key_is_located_at_the_key():
    with pytest.raises(InputError) as e:
        read_scenario("answers:\n  gap: knowledge\n  labelled_examples: -5\n", "neg.yaml")
    assert (3, 3) in [(p.line, p.column) for p in e.value.problems if p.path == "answers.labeled_examples"]


def test_both_spellings_at_once_is_an_error_not_a_guess():
    with pytest.raises(InputError) as e:
        read_scenario("answers:\n  labeled_examples: 10\n  labelled_examples: 800\n", "both.yaml")
    assert any("labelled_examples" in str(p) for p in e.value.problems)


def test_cli_reads_the_other_spelling_and_warns_on_stderr(british):
    done = subprocess.run(
        [sys.executable, "-m", "planner", "recommend", "--scenario", str(british), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rec = json.loads(done.stdout)
    assert {"labeled_examples", "gap"} <= set(rec["answered"])
    fired = {r["rule"] for r in rec["reasons"]}
    assert "gap_behaviour" in fired  # gap == behavior
    assert "enough_examples" in fired and "many_examples" not in fired  # 500 <= 800 < 1,000
    lines = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 2, done.stderr
    assert "`labelled_examples` read as `labeled_examples`" in lines[0] and ":3:3:" in lines[0]
    assert "`behaviour` read as `behavior`" in lines[1] and ":4:3:" in lines[1]


def test_url_reads_the_other_spelling_with_one_note_each():
    _, s, problems = params.decode({"gap": "behaviour", "answers.labelled_examples": "800"}, {})
    assert s.answers.gap == "behavior" and s.answers.labeled_examples == 800
    assert problems == [
        "URL: gap: `behaviour` read as `behavior`, the scenario format's spelling: write `behavior`",
        "URL: `answers.labelled_examples` read as `answers.labeled_examples`, the scenario format's spelling: "
        "write `answers.labeled_examples`",
    ]
    # the link the app writes back uses the format's spelling
    assert params.encode(s, Scenario()) == {"gap": "behavior", "answers.labeled_examples": "800"}


def test_the_app_reads_the_other_spelling_from_a_link_and_an_upload_and_says_so(tmp_path, monkeypatch):
    import re
    import shutil

    from streamlit.testing.v1 import AppTest

    from pricing.loader import DEFAULT_CATALOG_PATH

    catalog = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, catalog)
    monkeypatch.setenv("PLANNER_CATALOG", str(catalog))

    def shown(at: AppTest) -> str:
        return "\n".join(re.sub(r"\\(.)", r"\1", w.value) for w in at.warning)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["gap"] = "behaviour"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["planner"].scenario.answers.gap == "behavior"
    assert "`behaviour` read as `behavior`" in shown(at)

    at.session_state["sbx.file"] = True  # the sidebar's file section runs its controls only while open
    at.run()
    at.file_uploader(key="sb.upload").set_value(("british.yaml", BRITISH.encode(), "application/x-yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    s = at.session_state["planner"].scenario
    assert s.answers.labeled_examples == 800 and s.name == "Spelled the other way"
    text = shown(at)
    assert "british.yaml: read with 2 note(s)." in text
    assert "line 3, column 3 — answers.labelled_examples: 'labelled_examples' read as 'labeled_examples'" in text
    assert "line 4, column 3 — answers.gap: 'behaviour' read as 'behavior'" in text
