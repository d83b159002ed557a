"""Loading a valid pricing catalog: the mini and the shipped catalog load (every family, the schema comment, no
anchors or duplicate keys), the committed JSON Schema equals the generated one, stale figures are listed and
counted (not refused), and override files change, add or remove entries with their errors pointing into the
override file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from pricing import loader
from pricing.errors import InputError
from pricing.loader import DEFAULT_CATALOG_PATH, load_catalog, load_catalog_file, merge_override, parse_catalog, summary
from pricing.safeyaml import parse_yaml
from pricing.schema import SCHEMA_PATH, schema_text
from pricing.units import STALE_AFTER_DAYS, Figure
from tests.catalog_text import BIG_INPUT, BIG_OUTPUT, MINI, assert_well_formed, matching, mutate, where

# ---------------------------------------------------------------- valid catalogs


def test_mini_catalog_loads(mini_catalog_path):
    loaded = load_catalog_file(mini_catalog_path)
    cat = loaded.catalog
    assert not loaded.is_override
    assert loaded.file == str(mini_catalog_path)
    assert loaded.sha256 == loader.fingerprint(mini_catalog_path.read_bytes())
    assert cat.llms["big"].output_usd_per_1m_tokens.value == 4
    assert cat.llms["big"].input_usd_per_1m_tokens.lo == 0.5
    assert cat.family_counts() == {
        "embedding models": 2,
        "vector stores": MINI.count("\n    billing: "),  # one per store (4; each billing shape's test entry adds one)
        "rerankers": 1,
        "LLMs": 2,
        "fine-tuning offers": 3,
        "GPUs": 1,
    }
    # every figure in the file is found by the walker (including nested ones)
    assert len(list(cat.figures())) == MINI.count("value:")


def test_default_catalog_validates_and_has_every_family():
    cat = load_catalog()
    assert cat.currency == "USD"
    for family, n in cat.family_counts().items():
        assert n >= 1, family
    assert load_catalog() is cat  # cached while the file is unchanged
    assert load_catalog_file().catalog == cat


def test_default_catalog_starts_with_the_schema_comment(default_catalog_text):
    assert default_catalog_text.splitlines()[0] == "# yaml-language-server: $schema=./catalog.schema.json"


def test_default_catalog_has_no_anchors_or_duplicate_keys(default_catalog_text):
    # parse_yaml refuses both: parsing the shipped file proves it
    parsed = parse_yaml(default_catalog_text, str(DEFAULT_CATALOG_PATH))
    assert isinstance(parsed.data, dict)


# ---------------------------------------------------------------- JSON Schema


def test_committed_schema_equals_the_generated_one():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "pricing/catalog.schema.json is out of date: run `python -m pricing.schema`"
    )


def test_schema_describes_the_catalog():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    families = {"embedding_models", "vector_stores", "rerankers", "llms", "fine_tune_offers", "gpus"}
    assert families <= set(schema["properties"])
    assert families <= set(schema["required"])
    assert schema.get("additionalProperties") is False
    assert SCHEMA_PATH.parent == DEFAULT_CATALOG_PATH.parent  # `./catalog.schema.json` resolves beside the YAML


# ---------------------------------------------------------------- stale figures


def _figure(checked: date) -> Figure:
    return Figure(value=1.0, source="test", checked=checked)


def test_figure_is_stale_strictly_after_the_given_days():
    checked = date(2026, 1, 1)
    f = _figure(checked)
    assert f.age_days(checked + timedelta(days=10)) == 10
    assert not f.is_stale(checked + timedelta(days=30), after_days=30)
    assert f.is_stale(checked + timedelta(days=31), after_days=30)
    assert not f.is_stale(checked + timedelta(days=STALE_AFTER_DAYS))
    assert f.is_stale(checked + timedelta(days=STALE_AFTER_DAYS + 1))
    assert not f.is_stale(checked - timedelta(days=5), after_days=0)  # "today" before the check


def test_figure_is_stale_defaults_to_today():
    assert _figure(date.today() - timedelta(days=STALE_AFTER_DAYS + 1)).is_stale()
    assert not _figure(date.today()).is_stale()


def test_stale_figures_are_listed_and_counted_not_refused():
    old = BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2020-01-01")
    cat = parse_catalog(mutate(BIG_OUTPUT, old)).catalog  # an old figure is not an error
    today = date(2026, 11, 1)
    stale = cat.stale_figures(today=today, after_days=180)
    assert [path for path, _ in stale] == [("llms", "big", "output_usd_per_1m_tokens")]
    assert stale[0][1].checked == date(2020, 1, 1)
    assert "1 stale (checked over 180 days ago)" in summary(cat, today=today, stale_after_days=180)
    n = len(list(cat.figures()))
    later = today + timedelta(days=400)
    assert len(cat.stale_figures(today=later, after_days=180)) == n
    assert f"{n} figures, {n} stale" in summary(cat, today=later)
    assert "0 stale (checked over 3000 days ago)" in summary(cat, today=today, stale_after_days=3000)


def test_summary_counts_families_figures_and_unverified():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("}", ", verified: false}"))
    cat = parse_catalog(text).catalog
    s = summary(cat, today=date(2026, 11, 1))
    assert s.startswith("catalog test-1 (2026-11-01): ")
    stores = MINI.count("\n    billing: ")  # one per store (4; each billing shape's test entry adds one)
    assert f"2 embedding models, {stores} vector stores, 1 reranker, 2 LLMs, 3 fine-tuning offers, 1 GPU;" in s
    assert f"{MINI.count('value:')} figures" in s
    assert "1 unverified" in s


# ---------------------------------------------------------------- override files


def _override(path: tuple, body: list[str], head: str = "extends: default") -> str:
    lines = [head]
    for depth, key in enumerate(path):
        lines.append("  " * depth + f'"{key}":')
    lines += ["  " * len(path) + b for b in body]
    return "\n".join(lines) + "\n"


def _write(tmp_path, text, name="override.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def default():
    return load_catalog()


def test_override_changes_one_price_and_keeps_the_rest(default, tmp_path):
    key, other = sorted(default.llms)[:2]
    old = default.llms[key].output_usd_per_1m_tokens
    new_value = round(min(old.value + 1.25, 999.0), 4)
    assert new_value != old.value
    f = _write(
        tmp_path,
        _override(
            ("llms", key, "output_usd_per_1m_tokens"),
            [f"value: {new_value}", 'source: "https://example.com/our-contract"', "checked: 2026-11-01"],
        ),
    )
    loaded = load_catalog_file(f)
    assert loaded.is_override and loaded.file == str(f)
    cat = loaded.catalog
    fig = cat.llms[key].output_usd_per_1m_tokens
    assert fig.value == new_value
    assert fig.source == "https://example.com/our-contract"
    assert fig.checked == date(2026, 11, 1)
    # the rest of that entry and every unrelated price keep their default
    assert cat.llms[key].input_usd_per_1m_tokens == default.llms[key].input_usd_per_1m_tokens
    assert cat.llms[other] == default.llms[other]
    assert cat.gpus == default.gpus
    assert cat.version == default.version
    assert load_catalog(f) == cat


def test_override_mappings_merge_key_by_key(default, tmp_path):
    key = sorted(default.llms)[0]
    f = _write(tmp_path, _override(("llms", key), ["name: Renamed by us"]))
    cat = load_catalog_file(f).catalog
    assert cat.llms[key].name == "Renamed by us"
    assert cat.llms[key].model_copy(update={"name": default.llms[key].name}) == default.llms[key]
    assert set(cat.llms) == set(default.llms)


def test_override_replaces_a_figure_whole(default, tmp_path):
    found = next(((p, f) for p, f in default.figures() if f.low is not None or f.high is not None or f.note), None)
    if found is None:
        pytest.skip("no figure in the default catalog has a range or a note")
    path, fig = found
    f = _write(
        tmp_path, _override(path, [f"value: {fig.value}", 'source: "our own measurement"', "checked: 2026-10-01"])
    )
    cat = load_catalog_file(f).catalog
    new = dict(cat.figures())[path]
    assert new.value == fig.value
    assert (new.low, new.high, new.note, new.verified) == (None, None, None, True)
    assert new.source == "our own measurement"


def test_override_adds_an_entry(default, tmp_path):
    body = [
        "name: Our fine model",
        "provider: us",
        "input_usd_per_1m_tokens: {value: 0.3, source: our contract, checked: 2026-10-01}",
        "output_usd_per_1m_tokens: {value: 0.6, source: our contract, checked: 2026-10-01}",
        "context_window_tokens: 32000",
        "ttft_ms: {value: 300, source: our test, checked: 2026-10-01}",
        "output_tokens_per_second: {value: 80, source: our test, checked: 2026-10-01}",
    ]
    cat = load_catalog_file(_write(tmp_path, _override(("llms", "our-model"), body))).catalog
    assert cat.llms["our-model"].output_usd_per_1m_tokens.value == 0.6
    assert set(cat.llms) == set(default.llms) | {"our-model"}


def test_override_null_removes_an_entry(default, tmp_path):
    if len(default.rerankers) < 2:
        pytest.skip("needs two rerankers in the default catalog")
    gone, *kept = sorted(default.rerankers)
    f = _write(tmp_path, f'extends: default\nrerankers:\n  "{gone}": null\n')
    cat = load_catalog_file(f).catalog
    assert sorted(cat.rerankers) == kept
    assert cat.llms == default.llms


def test_override_removing_a_family_is_refused_in_the_override_file(tmp_path):
    f = _write(tmp_path, "extends: default\nrerankers: null\n")
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    p = matching(info.value.problems, "required key `rerankers` is missing")
    assert (p.file, p.line, p.column, p.path) == (str(f), 2, 1, "rerankers")


def test_override_removing_a_referenced_base_model_is_refused(default, tmp_path):
    offer = default.fine_tune_offers[sorted(default.fine_tune_offers)[0]]
    f = _write(tmp_path, f'extends: default\nllms:\n  "{offer.base_llm}": null\n')
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    assert_well_formed(info.value.problems)
    matching(info.value.problems, "is not a key under `llms`")


def test_overridden_price_without_source_and_checked_points_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(("llms", key, "output_usd_per_1m_tokens"), ["value: 5"])
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    problems = info.value.problems
    assert_well_formed(problems)
    line, col = where(text, "output_usd_per_1m_tokens")
    for phrase, field in (
        ("required key `source` is missing", "source"),
        ("required key `checked` is missing", "checked"),
    ):
        p = matching(problems, phrase)
        assert p.path == f"llms.{key}.output_usd_per_1m_tokens.{field}"
        assert (p.file, p.line) == (str(f), line), str(p)


def test_overridden_price_error_points_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(
        ("llms", key, "output_usd_per_1m_tokens"), ["value: -5", "source: our contract", "checked: 2026-10-01"]
    )
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    p = matching(info.value.problems, "negative")
    line, col = where(text, "value: -5")
    assert (p.file, p.line, p.column, p.path) == (str(f), line, col, f"llms.{key}.output_usd_per_1m_tokens.value")


def test_override_unit_mistake_and_typo_point_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(
        ("llms", key),
        [
            "ouput_usd_per_1m_tokens: {value: 1, source: our contract, checked: 2026-10-01}",
        ],
    )
    other = sorted(default.llms)[1]
    text += f'  "{other}":\n    input_usd_per_1m_tokens: {{value: 2500, source: our contract, checked: 2026-10-01}}\n'
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    unit = matching(info.value.problems, "USD per 1M tokens")
    assert (unit.file, unit.line) == (str(f), where(text, "value: 2500")[0])
    typo = matching(info.value.problems, "did you mean `output_usd_per_1m_tokens`?")
    assert (typo.file, typo.line, typo.column) == (str(f), *where(text, "ouput_usd"))


def test_override_file_is_parsed_safely(tmp_path):
    text = "extends: default\nllms: &x {}\nrerankers: *x\n"
    with pytest.raises(InputError) as info:
        load_catalog_file(_write(tmp_path, text))
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 7) and "anchors" in p.message


def test_merge_override_semantics():
    base = {"a": {"x": 1, "y": 2}, "f": {"value": 1, "low": 0, "source": "s"}, "gone": {"k": 1}, "keep": 3}
    over = {"a": {"y": 20, "z": 30}, "f": {"value": 2}, "gone": None, "new": [1]}
    out = merge_override(base, over)
    assert out == {"a": {"x": 1, "y": 20, "z": 30}, "f": {"value": 2}, "keep": 3, "new": [1]}
    assert base["a"] == {"x": 1, "y": 2}  # the base is not modified


def test_a_bad_date_and_an_implausible_price_are_reported_together():
    # the upload of issue 13: a bad date in one figure hid an implausible price in another,
    # and a bad source in a figure hid that same figure's implausible price
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2026-13-45"))
    dear = BIG_INPUT.replace("value: 1, low: 0.5, high: 2", "value: 1500, low: 1500, high: 1500")
    text = mutate(BIG_INPUT, dear, text)
    emb = '    usd_per_1m_tokens: {value: 0.1, low: 0.05, high: 0.2, source: "test", checked: 2026-11-01}'
    text = mutate(emb, '    usd_per_1m_tokens: {value: 20000, source: "x", checked: 2026-11-01}', text)
    with pytest.raises(InputError) as info:
        parse_catalog(text, "f.yaml")
    by_path = {p.path: p.message for p in info.value.problems}
    assert "is not a valid date" in by_path["llms.big.output_usd_per_1m_tokens.checked"]
    assert "above the plausible ceiling" in by_path["llms.big.input_usd_per_1m_tokens"]
    assert "embedding_models.emb.usd_per_1m_tokens.source" in by_path
    assert "ceiling" in by_path["embedding_models.emb.usd_per_1m_tokens"]
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines)
    # the scenario reader (no keep_going) still stops at the first unreadable value
    with pytest.raises(InputError) as info:
        parse_yaml("a: 2026-13-45\n", "s.yaml")
    assert len(info.value.problems) == 1
