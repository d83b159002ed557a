"""The README and docs show what the code does: their examples validate and their figures hold."""

import re
from pathlib import Path

from planner import estimate, load_catalog, parse_scenario
from pricing.loader import load_catalog_file

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _yaml_blocks(text):
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_example_override_file_layers_over_the_default():
    loaded = load_catalog_file(ROOT / "examples" / "override.yaml")
    assert loaded.is_override
    cat = loaded.catalog
    assert cat.llms["gpt-6-luna"].input_usd_per_1m_tokens.value == 0.08
    assert cat.llms["gpt-6-luna"].input_usd_per_1m_tokens.source.startswith("ACME")
    assert "acme-llama-70b" in cat.llms
    assert "chroma-cloud" not in cat.vector_stores
    # untouched entries keep the shipped figures
    assert cat.llms["gpt-4o"].input_usd_per_1m_tokens == load_catalog().llms["gpt-4o"].input_usd_per_1m_tokens


def test_readme_scenario_example_is_a_valid_scenario_that_estimates():
    scenario_blocks = [b for b in _yaml_blocks(README) if b.startswith("name:")]
    assert scenario_blocks, "README should show a scenario example"
    scenario = parse_scenario(scenario_blocks[0], "README.md")
    assert scenario.workload.queries_per_month == 200_000
    assert scenario.monthly_budget_usd == 1500 and scenario.latency_target_p95_ms == 10000
    est = estimate(load_catalog(), scenario)
    assert est.current["rag"].monthly_usd > 0


def test_readme_override_snippet_is_a_valid_override(tmp_path):
    block = next(b for b in _yaml_blocks(README) if b.startswith("extends: default"))
    path = tmp_path / "override.yaml"
    path.write_text(block, encoding="utf-8")
    cat = load_catalog_file(path).catalog
    assert cat.llms["gpt-6-luna"].input_usd_per_1m_tokens.value == 0.08
    assert "chroma-cloud" not in cat.vector_stores


def test_readme_links_point_at_files_that_exist():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if target.startswith("http"):
            continue
        assert (ROOT / target).exists(), f"README links to missing {target}"
