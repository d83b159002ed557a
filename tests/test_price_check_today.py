"""`prices check` and `prices sync` look at today: the prices in force on the check day, every scheduled change
from the catalog's date on (every price kind), any installed genai-prices version, deprecation disagreements and
unreferenced entries named — and the README's price commands run as written.

The walk: Gemini 4 Argon's introductory 2 / 10 $ per 1M tokens ended on 2026-12-01 (4 / 20 since); its batch
prices went from 1 / 5 to 2 / 10 the same day (genai-prices' batch variant dated 2026-12-01).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from planner.cli import main
from pricing import genai_sync as gs
from pricing.loader import parse_catalog

TODAY = date(2026, 12, 6)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(gs.source, "today", lambda: TODAY)
    return TODAY


def _without_argon_batch_change(text: str) -> str:
    """The shipped catalog as it was before the sync: Argon's 2026-12-01 change without its batch prices."""
    start = text.index("  gemini-4-argon:\n")
    end = text.index("\n\n", start)
    block = text[start:end]
    change = block[block.index("    price_changes:\n") :]
    cut = re.sub(r"        batch_(input|output)_usd_per_1m_tokens:\n(          .*\n?){3}", "", change)
    assert cut != change
    return text[:start] + block.replace(change, cut) + text[end:]


def test_check_on_today_fails_on_argon_and_sync_fixes_it(tmp_path, default_catalog_text, today, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(_without_argon_batch_change(default_catalog_text), encoding="utf-8")
    assert main(["prices", "check", "--file", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"compared with genai-prices {gs.package_version()} on 2026-12-06" in out
    failing = [ln for ln in out.splitlines() if ln.startswith("  FAIL ")]
    # file:line:col, entry and field: today the batch prices in force are the entry's own 1 / 5, the package's 2 / 10
    assert len(failing) == 2
    # named where `prices sync` writes it: the change of 2026-12-01, which lacks the batch prices the package
    # gives from that day
    where = r"llms\.gemini-4-argon\.price_changes\[2026-12-01\]\.batch_input_usd_per_1m_tokens: "
    assert re.search(rf"FAIL {re.escape(str(path))}:\d+:\d+: {where}", out)
    assert "drift: 1 in the catalog, 2 in genai-prices (-50.0 %) (in force on 2026-12-06)" in out
    assert "drift: 5 in the catalog, 10 in genai-prices (-50.0 %) (in force on 2026-12-06)" in out
    # the catalog's change on 2026-12-01 is in the past: not "no change on that date"
    assert "no change on that date" not in out

    assert main(["prices", "sync", "--file", str(path), "--write"]) == 0
    out = capsys.readouterr().out
    assert "+ llms.gemini-4-argon.price_changes[2026-12-01].batch_input_usd_per_1m_tokens: 2" in out
    assert "+ llms.gemini-4-argon.price_changes[2026-12-01].batch_output_usd_per_1m_tokens: 10" in out
    synced = parse_catalog(path.read_text(encoding="utf-8"), str(path)).catalog  # it validates
    argon = synced.llms["gemini-4-argon"]
    # the history stays: 2 / 10 before the change (an estimate started in November), 4 / 20 and batch 2 / 10 after
    assert (argon.input_usd_per_1m_tokens.value, argon.batch_input_usd_per_1m_tokens.value) == (2, 1)
    now = argon.on(TODAY)
    assert (now.input_usd_per_1m_tokens.value, now.output_usd_per_1m_tokens.value) == (4, 20)
    assert (now.batch_input_usd_per_1m_tokens.value, now.batch_output_usd_per_1m_tokens.value) == (2, 10)
    assert main(["prices", "check", "--file", str(path)]) == 0
    assert "no drift above 5 %" in capsys.readouterr().out


def test_the_shipped_catalog_passes_a_check_on_today_and_on_its_own_date(today, default_catalog):
    assert gs.check_catalog(default_catalog).failing == []
    assert gs.check_catalog(default_catalog, on=default_catalog.date).failing == []


def test_check_on_another_day(tmp_path, default_catalog_text, today, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(_without_argon_batch_change(default_catalog_text), encoding="utf-8")
    # on the catalog's date the batch prices in force are right (1 / 5); the change on 2026-12-01 still lacks them
    assert main(["prices", "check", "--file", str(path), "--on", "2026-11-30"]) == 1
    out = capsys.readouterr().out
    assert "on 2026-11-30" in out and "(in force on 2026-12-01)" in out


def test_unreferenced_entries_are_named(default_catalog, today):
    text = gs.render_check(gs.check_catalog(default_catalog), "default.yaml")
    assert "not checked (no `genai_prices` reference): " in text
    for where in gs.check_catalog(default_catalog).unreferenced:
        assert where in text


def test_deprecation_disagreements_are_named(default_catalog, today):
    # gpt-4o: the catalog's lifecycle (from OpenAI's deprecations page) says deprecated; the package does not flag it
    result = gs.check_catalog(default_catalog)
    notes = {f.where: f.message for f in result.findings if f.field == "lifecycle"}
    assert "genai-prices does not flag the model deprecated" in notes["llms.gpt-4o.lifecycle"]
    assert "says deprecated on 2026-12-06" in notes["llms.gpt-4o.lifecycle"]


def test_a_flag_the_lifecycle_does_not_share_is_named(default_catalog):
    # the package flags a model deprecated; the entry's lifecycle says it is available on the check day
    entry = default_catalog.llms["gpt-4o"]
    ref = gs.reference(entry.genai_prices, TODAY)
    flagged = gs.Reference(**{**ref.__dict__, "deprecated": True})
    life = entry.lifecycle.model_copy(update={"deprecated_on": date(2027, 6, 1), "closed_to_new_on": None})
    life = life.model_copy(update={"shuts_down_on": date(2027, 12, 1)})
    later = entry.model_copy(update={"lifecycle": life})
    findings = gs.compare.entry_findings("llms", "gpt-4o", later, flagged, 0.05)
    said = [f.message for f in findings if f.field == "lifecycle"]
    assert said == [
        "genai-prices flags the model deprecated; the entry's `lifecycle` says available on 2026-12-06 "
        "(its first date is 2027-06-01)"
    ]


def _readme_prices_commands(readme: str) -> list[list[str]]:
    block = readme[readme.index("## Command line") :]
    block = block[block.index("```sh") : block.index("```", block.index("```sh") + 5)]
    out = []
    for line in block.splitlines():
        m = re.match(r"llm-planner (prices [^#]*?)\s*(#|$)", line)
        if m:
            out.append(m.group(1).replace("[--write]", "--write").split())
    return out


def test_every_readme_prices_command_runs_as_written(tmp_path, repo_root, default_catalog_text, capsys, today):
    commands = _readme_prices_commands((repo_root / "README.md").read_text(encoding="utf-8"))
    assert [c[:2] for c in commands] == [["prices", "check"], ["prices", "sync"], ["prices", "add"]]
    path = tmp_path / "catalog.yaml"  # a copy: the commands write the file they are given
    path.write_text(default_catalog_text, encoding="utf-8")
    for command in commands:
        assert main([*command, "--file", str(path)]) == 0, (command, capsys.readouterr())
    out = capsys.readouterr().out
    assert f"added llms.{gs.default_key(commands[2][2])}" in out
    assert parse_catalog(path.read_text(encoding="utf-8"), str(path)).catalog.llms
