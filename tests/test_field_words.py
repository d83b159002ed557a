"""Field names in words and figure units, one source for the app and the PDF (planner/presentation/fields.py):
the PDF's tables spell a field name out with one word table, and the app's catalog table shows the unit each
figure's type states in pricing/units.py."""

from __future__ import annotations

from planner.presentation.fields import field_words, figure_unit, humanize


def test_field_names_in_words():
    assert humanize("latency_target_p95_ms") == "Latency target p95 ms"
    assert humanize("input_usd_per_1m_tokens") == "Input USD per 1M tokens"
    assert humanize("hosting_usd_per_kw_month") == "Hosting USD per kW month"
    assert field_words("latency_model.ttft_ms") == "Latency model · TTFT ms"


def _path(catalog, family: str, field: str) -> tuple:
    """The first figure path of `family` ending in `field`."""
    return next(p for p, _ in catalog.figures() if p[0] == family and p[-1] == field)


def test_each_figure_shows_the_unit_its_type_states(catalog):
    cases = {
        ("llms", "input_usd_per_1m_tokens"): "USD per 1M tokens",
        # typed as a per-1M-token price before: the unit column said "USD per 1M tokens", not per hour
        ("llms", "cache_storage_usd_per_1m_tokens_per_hour"): "USD per 1M tokens per hour",
        ("llms", "cache_ttl_seconds"): "seconds",  # the name alone gave no unit: the column was empty
        ("latency_model", "ttft_ms_per_1k_input_tokens"): "ms per 1K input tokens",
        ("gpus", "usd_per_kwh"): "USD per kWh",
    }
    for (family, field), unit in cases.items():
        assert figure_unit(catalog, _path(catalog, family, field)) == unit, field


def test_every_figure_of_the_catalog_has_a_unit(catalog):
    """No figure field is typed without a unit: the app's catalog table never shows an empty unit."""
    missing = {p[-1] for p, _ in catalog.figures() if not figure_unit(catalog, p)}
    assert not missing, missing
