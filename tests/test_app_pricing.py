"""The Pricing page with `streamlit.testing.v1.AppTest` (no browser): the catalog's figures, and its editor
(apply, save, reset, upload, the problems of an invalid text, a link made with an edited catalog).

Every test runs against a temporary copy of the default catalog (`PLANNER_CATALOG`), so a
save never touches the repository's file.
"""

from __future__ import annotations

import re
from importlib import metadata

import pytest

from planner.ui.tables import literal
from pricing.loader import load_catalog_file
from tests.apptest import (
    captions,
    chart,
    errors,
    go,
    metrics,
    price_line,
    start,
    unescape,
    with_price,
)

# ------------------------------------------------------------------ the catalog editor


@pytest.mark.parametrize(
    "breakage",
    ["negative price", "yaml syntax"],
)
def test_an_invalid_catalog_edit_shows_where_and_changes_nothing(catalog_file, breakage):
    at = start(catalog_file, "costs")
    spec_before, metrics_before = chart(at), metrics(at)
    file_before = catalog_file.read_bytes()
    text = catalog_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    i = price_line(text, "gpt-4o-mini", "input_usd_per_1m_tokens")
    if breakage == "negative price":
        lines[i] = lines[i].replace("value: 0.15", "value: -0.15")
        expect = [f"line {i + 1}", "llms.gpt-4o-mini.input_usd_per_1m_tokens.value", "negative"]
    else:
        lines[i] = lines[i].replace("value: 0.15", "value: [0.15")
        expect = ["line "]
    go(at, "pricing")
    at.text_area(key="cat_editor").set_value("".join(lines))
    at.button(key="cat_apply").click().run()
    assert not at.exception
    shown = "\n".join(errors(at))
    for fragment in expect:
        assert fragment in shown, shown
    assert re.search(r"line \d+, column \d+", shown)
    # nothing changed: not the file, not the charts, not the numbers
    assert catalog_file.read_bytes() == file_before
    go(at, "costs")
    assert chart(at) == spec_before
    assert metrics(at) == metrics_before
    # saving the invalid text refuses too
    go(at, "pricing")
    assert at.text_area(key="cat_editor").value == "".join(lines)  # the draft is kept to fix
    at.button(key="cat_save").click().run()
    assert errors(at)
    assert catalog_file.read_bytes() == file_before
    assert not catalog_file.with_name(catalog_file.name + ".bak").exists()


def test_pricing_page_names_the_genai_prices_version_the_catalog_was_checked_against(catalog_file):
    at = start(catalog_file, "pricing")
    stamped = load_catalog_file(catalog_file).catalog.genai_prices_version
    installed = metadata.version("genai-prices")
    assert "checked against genai-prices " + literal(stamped) in captions(at)
    assert "installed: genai-prices " + literal(installed) in captions(at)
    assert stamped == installed and not [w for w in at.warning if literal("is installed") in w.value]


def test_pricing_page_warns_when_the_installed_genai_prices_is_not_the_stamped_one(catalog_file, monkeypatch):
    monkeypatch.setattr("pricing.versions.installed_version", lambda: "0.1.0")
    at = start(catalog_file, "pricing")
    assert "installed: genai-prices " + literal("0.1.0") in captions(at)
    said = [w.value for w in at.warning if literal("but 0.1.0 is installed") in w.value]
    assert len(said) == 1 and literal("`prices sync --write`") in said[0]


def test_a_valid_edit_changes_every_chart_for_this_session_only(catalog_file):
    at = start(catalog_file, "costs")
    spec_before, metrics_before = chart(at), metrics(at)
    file_before = catalog_file.read_bytes()
    go(at, "pricing")
    text = at.text_area(key="cat_editor").value
    llm = at.session_state["planner"].scenario.stack.llm  # the LLM the page prices
    at.text_area(key="cat_editor").set_value(with_price(text, llm, "input_usd_per_1m_tokens", 2))
    at.button(key="cat_apply").click().run()
    assert not at.exception and errors(at) == []
    assert any("Applied" in s.value for s in at.success)
    go(at, "costs")
    assert chart(at) != spec_before
    prompt_before = next(v for k, v in metrics_before.items() if k.startswith("Prompt only"))
    prompt_after = next(v for k, v in metrics(at).items() if k.startswith("Prompt only"))
    assert prompt_after != prompt_before
    assert catalog_file.read_bytes() == file_before  # applied, not saved

    # another session (a new AppTest) still prices with the file
    other = start(catalog_file, "costs")
    assert chart(other) == spec_before


def test_saving_writes_the_file_and_keeps_a_backup(catalog_file):
    at = start(catalog_file, "pricing")
    original = catalog_file.read_bytes()
    new_text = with_price(original.decode("utf-8"), "gpt-4o-mini", "input_usd_per_1m_tokens", 2)
    at.text_area(key="cat_editor").set_value(new_text)
    at.button(key="cat_save").click().run()
    assert not at.exception and errors(at) == []
    assert any("Saved" in s.value for s in at.success)
    assert catalog_file.read_text(encoding="utf-8") == new_text
    assert catalog_file.with_name(catalog_file.name + ".bak").read_bytes() == original
    # a new session now reads the saved file
    other = start(catalog_file, "pricing")
    assert other.text_area(key="cat_editor").value == new_text


def test_saving_over_a_file_changed_on_disk_is_refused(catalog_file):
    at = start(catalog_file, "pricing")
    text = at.text_area(key="cat_editor").value
    theirs = with_price(text, "gpt-4o-mini", "output_usd_per_1m_tokens", 3)
    catalog_file.write_text(theirs, encoding="utf-8")  # someone else saved in between
    mine = with_price(text, "gpt-4o-mini", "input_usd_per_1m_tokens", 2)
    at.text_area(key="cat_editor").set_value(mine)
    at.button(key="cat_save").click().run()
    assert not at.exception
    assert any("changed on disk" in e for e in errors(at))
    assert catalog_file.read_text(encoding="utf-8") == theirs


def test_reset_drops_the_session_edit(catalog_file):
    at = start(catalog_file, "pricing")
    text = at.text_area(key="cat_editor").value
    at.text_area(key="cat_editor").set_value(with_price(text, "gpt-4o-mini", "input_usd_per_1m_tokens", 2))
    at.button(key="cat_apply").click().run()
    assert at.session_state["planner"].cat_custom is True
    at.button(key="cat_reset").click().run()
    assert not at.exception
    assert at.text_area(key="cat_editor").value == text
    assert at.session_state["planner"].cat_custom is False


def test_catalog_uploads_are_validated_and_capped(catalog_file):
    at = start(catalog_file, "pricing")
    at.file_uploader(key="cat_upload").set_value(("bad.yaml", b"version: [1\n", "application/x-yaml")).run()
    assert not at.exception
    assert any("line" in e for e in errors(at))
    at.file_uploader(key="cat_upload").set_value(("big.yaml", b"#" * 1_000_001, "application/x-yaml")).run()
    assert not at.exception
    assert any("limited to" in e for e in errors(at))
    good = with_price(catalog_file.read_text(encoding="utf-8"), "gpt-4o-mini", "input_usd_per_1m_tokens", 2)
    at.file_uploader(key="cat_upload").set_value(("mine.yaml", good.encode(), "application/x-yaml")).run()
    assert not at.exception and errors(at) == []
    assert at.session_state["planner"].cat_text == good


def test_pricing_table_filters_and_warns_about_stale_prices(catalog_file):
    at = start(catalog_file, "pricing")
    assert any("checked more than 180 days ago" in w.value for w in at.warning)
    total = len(at.dataframe[0].value)
    at.text_input(key="cat_filter").set_value("gpt-4o-mini input").run()
    rows = at.dataframe[0].value
    assert 0 < len(rows) < total
    assert all("GPT-4o mini" in e for e in rows["Entry"])
    assert all("input" in f for f in rows["Field"])
    assert "USD per 1M tokens" in set(rows["Unit"])


def test_price_editor_reports_every_problem_with_its_line_and_takes_you_there(catalog_file):
    at = start(catalog_file, "pricing")
    text = catalog_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    i = price_line(text, "gpt-4o-mini", "input_usd_per_1m_tokens")
    j = next(n for n in range(i, len(lines)) if lines[n].strip().startswith("checked:"))
    lines[i] = lines[i].replace("value: 0.15", "value: 150000")  # a unit mistake: far above the ceiling
    lines[j] = lines[j].split("checked:")[0] + "checked: 2026-13-45\n"  # no 13th month
    at.text_area(key="cat_editor").set_value("".join(lines))
    at.button(key="cat_apply").click().run()
    assert not at.exception
    shown = "\n".join(errors(at))
    assert "2 problems" in shown
    # the price is located at its key (`input_usd_per_1m_tokens:`, the line above its value)
    assert f"line {i}, column" in shown and "plausible ceiling" in shown
    assert f"line {j + 1}, column" in shown and "not a valid date" in shown
    assert f"`{i}: input_usd_per_1m_tokens:`" in shown  # each problem with its line's text
    assert f"`{j + 1}: checked: 2026-13-45`" in shown
    # the way to the line: pick it, edit the lines around it, put them back
    at.session_state["cat_focus"] = j + 1  # what clicking the "line N" pill does
    at.run()
    box = at.text_area(key="cat_focus_text")
    assert lines[j] in box.value and f"(line {j + 1} is the problem)" in box.label
    box.set_value(box.value.replace("2026-13-45", "2026-11-01")).run()
    at.button(key="cat_focus_back").click().run()
    fixed = at.text_area(key="cat_editor").value
    assert "2026-13-45" not in fixed and "value: 150000" in fixed
    at.button(key="cat_apply").click().run()
    shown = "\n".join(errors(at))
    assert "1 problem," in shown and "plausible ceiling" in shown and "not a valid date" not in shown


def test_a_link_carries_the_edited_catalog_fingerprint_and_both_ends_are_warned(catalog_file):
    at = start(catalog_file, "pricing")
    text = at.text_area(key="cat_editor").value
    edited = with_price(text, "gpt-4o-mini", "input_usd_per_1m_tokens", 2)
    at.text_area(key="cat_editor").set_value(edited)
    at.button(key="cat_apply").click().run()
    go(at, "costs")
    sha = at.session_state["planner"].cat_sha
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}
    assert qp["cat"] == sha[:12]
    said = unescape("\n".join(i.value for i in at.info))
    assert f"catalog fingerprint {sha[:12]}" in said and "not the edit" in said  # the sending end
    # the opening end prices with the file: warned, with both fingerprints
    other = start(catalog_file, "costs", query=qp)
    warned = unescape("\n".join(w.value for w in other.warning))
    file_sha = other.session_state["planner"].cat_sha
    assert f"fingerprint {sha[:12]}" in warned and f"({file_sha[:12]})" in warned
    # once it applies the same catalog, the warning goes
    go(other, "pricing")
    other.text_area(key="cat_editor").set_value(edited)
    other.button(key="cat_apply").click().run()
    go(other, "costs")
    assert not any("This link was made" in w.value for w in other.warning)
