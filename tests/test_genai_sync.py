"""`python -m planner prices check | sync | add` against the pinned genai-prices package."""

from __future__ import annotations

import re
from datetime import date
from importlib import metadata

from planner.cli import main
from pricing import genai_sync as gs
from pricing.llms import LLM
from pricing.loader import parse_catalog
from pricing.retrieval import EmbeddingModel

# ----------------------------------------------------------------------------- the shipped catalog


def _pinned(requirements: str, name: str) -> str:
    m = re.search(rf"^{re.escape(name)}==(\S+)$", requirements, re.M)
    assert m, f"{name} is not pinned in requirements.txt"
    return m.group(1)


def test_the_installed_genai_prices_is_the_pinned_one_and_the_catalog_records_it(repo_root, default_catalog):
    pinned = _pinned((repo_root / "requirements.txt").read_text(), "genai-prices")
    assert metadata.version("genai-prices") == pinned
    assert default_catalog.genai_prices_version == pinned


def test_shipped_catalog_has_zero_drift_against_the_pinned_genai_prices(default_catalog):
    result = gs.check_catalog(default_catalog)
    assert result.failing == [], "\n".join(f.where + ": " + f.message for f in result.failing)
    # zero drift, not only drift under the threshold: no referenced figure differs at all
    differing = [f for f in result.findings if f.catalog is not None and f.reference is not None]
    assert differing == [], "\n".join(f.where + ": " + f.message for f in differing)
    # every LLM and API embedding model is checked, except the two the package does not know
    assert sorted(result.unreferenced) == ["embedding_models.minilm-l6-self-hosted", "llms.together-qwen2.5-7b"]
    assert len(result.checked_entries) >= 50


def test_every_referenced_figure_of_the_shipped_catalog_names_its_package_version(default_catalog):
    version = gs.package_version()
    checked = set()
    for fam, key, entry in gs.referenced_entries(default_catalog):
        if entry.genai_prices is None:
            continue
        for name in gs.LLM_PRICE_FIELDS + gs.EMBEDDING_PRICE_FIELDS:
            fig = getattr(entry, name, None)
            if fig is not None:
                assert fig.source == f"genai-prices {version} (PyPI), {entry.genai_prices}", (fam, key, name)
                checked.add(fig.checked)
    # `prices sync --write` writes the day it checked: one day, not before the catalog's own date
    assert len(checked) == 1 and min(checked) >= default_catalog.date


def _referenced_paths(entry):
    """(field path, figure) of every price the reference covers, and how to rebuild the entry with a new figure."""
    names = gs.LLM_PRICE_FIELDS if isinstance(entry, LLM) else gs.EMBEDDING_PRICE_FIELDS
    for name in names:
        fig = getattr(entry, name)
        if fig is not None:
            yield name, fig, (lambda f, n=name: entry.model_copy(update={n: f}))
    if isinstance(entry, LLM) and entry.long_context is not None:
        lc = entry.long_context
        for name in gs.TIER_FIELDS:
            fig = getattr(lc, name)
            if fig is not None:
                yield (
                    f"long_context.{name}",
                    fig,
                    lambda f, n=name: entry.model_copy(update={"long_context": lc.model_copy(update={n: f})}),
                )
    if isinstance(entry, LLM):
        for i, change in enumerate(entry.price_changes):
            for name in gs.TIER_FIELDS:
                fig = getattr(change, name)
                if fig is None:
                    continue

                def rebuild(f, i=i, n=name, change=change):
                    changes = list(entry.price_changes)
                    changes[i] = change.model_copy(update={n: f})
                    return entry.model_copy(update={"price_changes": changes})

                yield f"price_changes[{change.effective_on}].{name}", fig, rebuild


def test_any_referenced_price_changed_by_20_percent_fails_naming_entry_and_field(default_catalog):
    on = default_catalog.date
    tried = 0
    for fam, key, entry in gs.referenced_entries(default_catalog):
        if entry.genai_prices is None or (isinstance(entry, EmbeddingModel) and entry.usd_per_1m_tokens is None):
            continue
        for path, fig, rebuild in _referenced_paths(entry):
            changed = rebuild(fig.model_copy(update={"value": fig.value * 1.2, "low": None, "high": None}))
            findings = gs.check_entry(fam, key, changed, on)
            failing = [f for f in findings if f.failing]
            # (1.2 v - v) / v = +20 %, above the 5 % default threshold
            assert [(f.where, "+20.0 %" in f.message) for f in failing] == [(f"{fam}.{key}.{path}", True)], (
                fam,
                key,
                path,
                findings,
            )
            tried += 1
    assert tried >= 200  # every input, output, cached, cache-write, batch, tier and scheduled price


def test_prices_check_cli_exits_0_on_the_shipped_catalog(capsys):
    assert main(["prices", "check"]) == 0
    out = capsys.readouterr().out
    assert "no drift above 5 %" in out


def test_prices_check_cli_exits_1_after_a_20_percent_change_naming_entry_and_field(
    tmp_path, default_catalog_text, capsys
):
    # gpt-6-luna's cached input is $0.01 per 1M in genai-prices 0.2.3; 0.012 is 20 % above
    block = re.search(r"\n  gpt-6-luna:\n(.*?)\n\n", default_catalog_text, re.S).group(0)
    edited = re.sub(r"(cached_input_usd_per_1m_tokens:\n      value: )0\.01\n", r"\g<1>0.012\n", block, count=1)
    assert edited != block
    path = tmp_path / "catalog.yaml"
    path.write_text(default_catalog_text.replace(block, edited), encoding="utf-8")
    assert main(["prices", "check", "--file", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "llms.gpt-6-luna.cached_input_usd_per_1m_tokens: drift: 0.012 in the catalog, 0.01 in genai-prices (+20.0 %)"
        in out
    )
    # a higher threshold lets the same file pass, naming the drift as a note
    assert main(["prices", "check", "--file", str(path), "--threshold", "25"]) == 0
    assert "drift within the 25 % threshold" in capsys.readouterr().out


# ----------------------------------------------------------------------------- references and failures


def test_reference_of_a_tiered_model_gives_base_tier_batch_and_cache_prices():
    ref = gs.reference("anthropic:claude-haiku-5-5", date(2026, 11, 22))
    assert ref.prices == {
        "input_usd_per_1m_tokens": 0.1,
        "output_usd_per_1m_tokens": 0.5,
        "cached_input_usd_per_1m_tokens": 0.01,
        "cache_write_usd_per_1m_tokens": 0.125,
        # Message Batches API: half the standard rates
        "batch_input_usd_per_1m_tokens": 0.05,
        "batch_output_usd_per_1m_tokens": 0.25,
    }
    # 5x above 100K input tokens: 0.1 x 5 = 0.5, 0.5 x 5 = 2.5, 0.01 x 5 = 0.05
    assert ref.long_context == {
        "above_input_tokens": 100000,
        "input_usd_per_1m_tokens": 0.5,
        "output_usd_per_1m_tokens": 2.5,
        "cached_input_usd_per_1m_tokens": 0.05,
    }
    assert ref.context_window == 1_000_000


def test_reference_lists_scheduled_changes_after_the_day_only():
    # Gemini 4 Argon doubles on 2026-12-01: 2 / 10 -> 4 / 20, cached 0.1 -> 0.2, batch 1 / 5 -> 2 / 10 (the
    # package's batch variant dated 2026-12-01): a change carries every price kind in force from that day
    before = gs.reference("google:gemini-4-argon", date(2026, 11, 22))
    assert before.prices["input_usd_per_1m_tokens"] == 2
    assert before.prices["batch_input_usd_per_1m_tokens"] == 1
    assert before.price_changes == [
        {
            "effective_on": date(2026, 12, 1),
            "input_usd_per_1m_tokens": 4,
            "output_usd_per_1m_tokens": 20,
            "cached_input_usd_per_1m_tokens": 0.2,
            "batch_input_usd_per_1m_tokens": 2,
            "batch_output_usd_per_1m_tokens": 10,
        }
    ]
    after = gs.reference("google:gemini-4-argon", date(2026, 12, 1))
    assert after.prices["input_usd_per_1m_tokens"] == 4
    assert after.price_changes == []


def test_reference_ignores_daily_peak_windows():
    # DeepSeek V4 Flash: 0.15 / 0.60 off-peak, 0.30 / 1.20 in the UTC 01-04 and 06-10 peak windows
    ref = gs.reference("deepseek:deepseek-v4-flash", date(2026, 11, 22))
    assert (ref.prices["input_usd_per_1m_tokens"], ref.prices["output_usd_per_1m_tokens"]) == (0.15, 0.6)
    assert ref.price_changes == []


def _llm(**over):
    base = {
        "name": "X",
        "provider": "OpenAI",
        "genai_prices": "openai:gpt-4o",
        "context_window_tokens": 128000,
        "input_usd_per_1m_tokens": {"value": 2.5, "source": "test", "checked": "2026-11-01"},
        "output_usd_per_1m_tokens": {"value": 10, "source": "test", "checked": "2026-11-01"},
        "cached_input_usd_per_1m_tokens": {"value": 1.25, "source": "test", "checked": "2026-11-01"},
        "batch_input_usd_per_1m_tokens": {"value": 1.25, "source": "test", "checked": "2026-11-01"},
        "batch_output_usd_per_1m_tokens": {"value": 5, "source": "test", "checked": "2026-11-01"},
        "ttft_ms": {"value": 500, "source": "test", "checked": "2026-11-01"},
        "output_tokens_per_second": {"value": 100, "source": "test", "checked": "2026-11-01"},
    }
    base.update(over)
    return LLM.model_validate(base)


def test_a_matching_entry_has_no_findings_and_a_missing_model_fails():
    on = date(2026, 11, 22)
    assert gs.check_entry("llms", "x", _llm(), on) == []
    [f] = gs.check_entry("llms", "x", _llm(genai_prices="openai:gpt-4z"), on)
    assert f.failing and f.where == "llms.x.genai_prices"
    assert "`openai:gpt-4z` is not in genai-prices" in f.message and "openai:gpt-4o" in f.message


def test_a_missing_cached_price_and_a_wrong_window_fail():
    on = date(2026, 11, 22)
    entry = _llm(cached_input_usd_per_1m_tokens=None, context_window_tokens=32000)
    failing = {f.field: f for f in gs.check_entry("llms", "x", entry, on) if f.failing}
    assert set(failing) == {"cached_input_usd_per_1m_tokens", "context_window_tokens"}
    # (32,000 - 128,000) / 128,000 = -75 %
    assert "(-75.0 %)" in failing["context_window_tokens"].message


def test_a_window_within_the_threshold_is_not_drift():
    # genai-prices rounds GPT-4.1's 1,047,576-token window to 1,000,000: +4.76 %, under 5 %
    entry = _llm(
        genai_prices="openai:gpt-4.1",
        context_window_tokens=1047576,
        input_usd_per_1m_tokens={"value": 2, "source": "test", "checked": "2026-11-01"},
        output_usd_per_1m_tokens={"value": 8, "source": "test", "checked": "2026-11-01"},
        cached_input_usd_per_1m_tokens={"value": 0.5, "source": "test", "checked": "2026-11-01"},
        batch_input_usd_per_1m_tokens={"value": 1, "source": "test", "checked": "2026-11-01"},
        batch_output_usd_per_1m_tokens={"value": 4, "source": "test", "checked": "2026-11-01"},
    )
    assert gs.check_entry("llms", "x", entry, date(2026, 11, 22)) == []


def test_deprecated_in_the_package_without_a_lifecycle_fails_and_with_one_passes():
    on = date(2026, 11, 22)
    figs = {
        "input_usd_per_1m_tokens": {"value": 0.1, "source": "test", "checked": "2026-11-01"},
        "output_usd_per_1m_tokens": {"value": 0.4, "source": "test", "checked": "2026-11-01"},
        "cached_input_usd_per_1m_tokens": {"value": 0.025, "source": "test", "checked": "2026-11-01"},
        "batch_input_usd_per_1m_tokens": None,
        "batch_output_usd_per_1m_tokens": None,
    }
    entry = _llm(genai_prices="google:gemini-2.0-flash", context_window_tokens=1048576, **figs)
    failing = [f for f in gs.check_entry("llms", "x", entry, on) if f.failing]
    assert [f.where for f in failing] == ["llms.x.lifecycle"]
    life = {"shuts_down_on": "2026-06-01", "source": "test", "checked": "2026-11-30"}
    entry = _llm(genai_prices="google:gemini-2.0-flash", context_window_tokens=1048576, lifecycle=life, **figs)
    assert [f for f in gs.check_entry("llms", "x", entry, on) if f.failing] == []


# ----------------------------------------------------------------------------- sync --write keeps the file


SNIPPET_LLMS = """llms:
  # A hand-written comment above the entry.
  big:
    name: Big model   # trailing comment
    provider: test
    genai_prices: "openai:gpt-4o"
    context_window_tokens: 128000
    input_usd_per_1m_tokens:
      value: 2.00   # stale: the package says 2.5
      low: 1
      high: 2.2
      source: 'an old page'
      checked: 2026-01-01
      verified: false
      note: "Hand-written note kept."
    output_usd_per_1m_tokens:
      value: 10.0
      source: "old"
      checked: 2026-01-01
    ttft_ms: {value: 500, source: "test", checked: 2026-11-01}
    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}

  # Comment before the second entry.
  small:
"""


def _snippet(mini_catalog_text: str) -> str:
    start = mini_catalog_text.index("llms:\n")
    end = mini_catalog_text.index("  small:\n", start) + len("  small:\n")
    return mini_catalog_text[:start] + SNIPPET_LLMS + mini_catalog_text[end:]


def test_sync_write_rewrites_referenced_figures_and_keeps_comments_order_and_other_fields(
    tmp_path, mini_catalog_text, capsys, monkeypatch
):
    monkeypatch.setattr(gs.source, "today", lambda: date(2026, 12, 6))  # checked: the day of the sync
    version = gs.package_version()
    text = _snippet(mini_catalog_text)
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    # dry run: shows the change, writes nothing
    assert main(["prices", "sync", "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "~ llms.big.input_usd_per_1m_tokens: 2 -> 2.5" in out
    assert "+ llms.big.cached_input_usd_per_1m_tokens: 1.25" in out
    assert path.read_text(encoding="utf-8") == text

    assert main(["prices", "sync", "--file", str(path), "--write"]) == 0
    new = path.read_text(encoding="utf-8")
    # every comment survives, entries keep their order
    for comment in (
        "# A tiny catalog with round numbers",
        "# A hand-written comment above the entry.",
        "# trailing comment",
        "# Comment before the second entry.",
    ):
        assert comment in new
    assert new.index("  big:") < new.index("  small:") < new.index("fine_tune_offers:")
    block = new[new.index("  big:") : new.index("  small:")]
    assert block.startswith(
        "  big:\n"
        "    name: Big model   # trailing comment\n"
        "    provider: test\n"
        '    genai_prices: "openai:gpt-4o"\n'
        "    context_window_tokens: 128000\n"
        "    input_usd_per_1m_tokens:\n"
        "      value: 2.5    # stale: the package says 2.5\n"  # the comment keeps its column
        "      low: 1\n"  # the range still brackets 2.5 at the bottom; high 2.2 no longer does and goes
        f'      source: "genai-prices {version} (PyPI), openai:gpt-4o"\n'
        "      checked: 2026-12-06\n"
        '      note: "Hand-written note kept."\n'
        "    output_usd_per_1m_tokens:\n"
        "      value: 10.0\n"  # unchanged value keeps its spelling
        f'      source: "genai-prices {version} (PyPI), openai:gpt-4o"\n'
        "      checked: 2026-12-06\n"
        "    cached_input_usd_per_1m_tokens:\n"
        "      value: 1.25\n"
    )
    assert '    ttft_ms: {value: 500, source: "test", checked: 2026-11-01}\n' in block
    # the rest of the file is untouched, line for line
    tail = text[text.index("  small:") :]
    assert new.endswith(tail)
    # the header gains the version checked against, after `date`; nothing else in it moves
    header = text[: text.index("latency_model:")]
    assert new.startswith(header + f'genai_prices_version: "{version}"\nlatency_model:')
    # the result validates and is now free of drift; the previous file is kept
    loaded = parse_catalog(new, str(path))
    assert gs.check_catalog(loaded.catalog).failing == []
    assert (tmp_path / "catalog.yaml.bak").read_text(encoding="utf-8") == text
    # a second sync changes nothing
    assert main(["prices", "sync", "--file", str(path), "--write"]) == 0
    assert "nothing to write" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == new


def test_sync_never_writes_an_invalid_catalog(tmp_path, mini_catalog_text, capsys):
    # a context window under the package's long-context threshold is fine; a file that fails to
    # validate after the rewrite is refused before anything is written
    text = _snippet(mini_catalog_text).replace("date: 2026-11-01\n", "date: 2026-11-01\nbogus_key: 1\n", 1)
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["prices", "sync", "--file", str(path), "--write"]) == 1
    assert "bogus_key" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == text


def test_sync_runs_with_any_installed_version_and_checks_on_the_day(monkeypatch, mini_catalog_text):
    monkeypatch.setattr(gs.source, "package_version", lambda: "9.9.9")  # every caller reads it from there
    monkeypatch.setattr(gs.source, "today", lambda: date(2026, 12, 6))
    snippet = _snippet(mini_catalog_text)  # names openai:gpt-4o
    catalog = parse_catalog(snippet, "snippet.yaml").catalog
    text, _, _ = gs.sync_text(snippet, catalog)  # no release-date table: no --checked needed
    assert 'genai_prices_version: "9.9.9"' in text
    assert "checked: 2026-12-06" in text and 'source: "genai-prices 9.9.9 (PyPI), openai:gpt-4o"' in text
    text, _, _ = gs.sync_text(snippet, catalog, checked=date(2026, 11, 30))
    assert "checked: 2026-12-06" not in text
    # a check day in the future writes today as the checked date (a figure is never checked in the future)
    text, _, _ = gs.sync_text(snippet, catalog, on=date(2027, 3, 1))
    assert "checked: 2026-12-06" in text


# ----------------------------------------------------------------------------- add


def test_add_writes_a_sourced_entry_that_validates(tmp_path, mini_catalog_text, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(mini_catalog_text, encoding="utf-8")
    assert main(["prices", "add", "openai:gpt-6-luna", "--file", str(path)]) == 0
    assert "added llms.gpt-6-luna" in capsys.readouterr().out
    catalog = parse_catalog(path.read_text(encoding="utf-8"), str(path)).catalog
    e = catalog.llms["gpt-6-luna"]
    assert (e.name, e.provider, e.genai_prices) == ("GPT-6 Luna", "OpenAI", "openai:gpt-6-luna")
    assert (e.input_usd_per_1m_tokens.value, e.output_usd_per_1m_tokens.value) == (0.1, 0.5)
    assert e.input_usd_per_1m_tokens.source == f"genai-prices {gs.package_version()} (PyPI), openai:gpt-6-luna"
    assert e.long_context.above_input_tokens == 272000
    # latency is not in the package: marked placeholders, never a silent invention
    for fig in (e.ttft_ms, e.output_tokens_per_second):
        assert fig.verified is False and "prices add" in fig.note
    assert gs.check_catalog(catalog).failing == []
    # the entry sits at the end of `llms`, before the next family
    text = path.read_text(encoding="utf-8")
    assert text.index("  gpt-6-luna:") < text.index("fine_tune_offers:")
    # adding it again under the same key is refused
    assert main(["prices", "add", "openai:gpt-6-luna", "--file", str(path)]) == 1
    assert "`openai:gpt-6-luna` is already in the catalog as `llms.gpt-6-luna`" in capsys.readouterr().err


def test_add_an_embedding_model_needs_its_dimensions(tmp_path, mini_catalog_text, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(mini_catalog_text, encoding="utf-8")
    assert main(["prices", "add", "google:gemini-embedding-2", "--file", str(path)]) == 1
    assert "--dimensions" in capsys.readouterr().err
    assert main(["prices", "add", "google:gemini-embedding-2", "--file", str(path), "--dimensions", "3072"]) == 0
    e = parse_catalog(path.read_text(encoding="utf-8"), str(path)).catalog.embedding_models["gemini-embedding-2"]
    # $0.20 per 1M, batch half: $0.10
    assert (e.usd_per_1m_tokens.value, e.batch_usd_per_1m_tokens.value, e.max_input_tokens) == (0.2, 0.1, 8192)


def test_add_of_an_unknown_model_names_close_ones(tmp_path, mini_catalog_text, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(mini_catalog_text, encoding="utf-8")
    assert main(["prices", "add", "openai:gpt-6-lun", "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert "not in genai-prices" in err and "openai:gpt-6-luna" in err
    assert "Traceback" not in err


def test_sync_leaves_an_overrides_negotiated_prices_alone(tmp_path, repo_root, capsys):
    # examples/override.yaml sets gpt-6-luna to a negotiated $0.08 / $0.40 (20 % under the list price, $0.10 / $0.50)
    path = tmp_path / "override.yaml"
    text = (repo_root / "examples" / "override.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert main(["prices", "check", "--file", str(path)]) == 1  # check still says they differ
    assert "llms.gpt-6-luna.input_usd_per_1m_tokens: drift: 0.08 in the catalog, 0.1" in capsys.readouterr().out
    assert main(["prices", "sync", "--file", str(path), "--write"]) == 0
    assert "the override's own figures are left as they are" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == text


def test_sync_marks_the_prices_of_a_shut_down_model_as_historical(tmp_path, mini_catalog_text):
    from planner.engine.lifecycle import prices_checked_after_shutdown

    text = _snippet(mini_catalog_text).replace(
        '    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}\n\n  # Comment before',
        '    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}\n'
        "    lifecycle: {shuts_down_on: 2026-10-23, source: test, checked: 2026-11-30}\n\n  # Comment before",
    )
    catalog = parse_catalog(text, "snippet.yaml").catalog
    new, _, _ = gs.sync_text(text, catalog)
    big = parse_catalog(new, "snippet.yaml").catalog.llms["big"]
    # genai-prices 0.2.3 still lists gpt-4o, but the entry says it shut down on 2026-10-23, before
    # the data date 2026-11-01: its prices are kept for old files, unverified
    assert big.input_usd_per_1m_tokens.verified is False
    assert big.input_usd_per_1m_tokens.note == "Hand-written note kept."  # a note of one's own stays
    assert big.cached_input_usd_per_1m_tokens.verified is False
    assert "shut down on 2026-10-23" in big.cached_input_usd_per_1m_tokens.note
    late = prices_checked_after_shutdown(parse_catalog(new, "snippet.yaml").catalog)
    # only the snippet's own hand-written latency figures (checked 2026-11-01) are left to mark by hand
    assert [path for path, _, _ in late] == ["llms.big.ttft_ms", "llms.big.output_tokens_per_second"]
