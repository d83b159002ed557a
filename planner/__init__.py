"""LLM architecture planner: prompt only, long context, RAG, fine-tuned or hybrid — cost and speed of each.

from planner import load_catalog, load_preset, estimate, recommend, build_report
est = estimate(load_catalog(), load_preset("support-bot"))
est.current["rag"].monthly_usd
a = analyze_traffic(["spans.jsonl"], load_catalog())   # your usage logs: a.fitted, a.reconciliation
"""

from planner.engine import Estimate, estimate
from planner.engine.provenance import assumptions, provenance
from planner.model.files import ScenarioWarning, load_preset, load_scenario, parse_scenario, scenario_yaml
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.model.vocabulary import COLORS, LABELS
from pricing.errors import ConflictError, InputError, UnknownEntryError
from pricing.loader import load_catalog
from pricing.models import Catalog

__all__ = [
    "ARCHITECTURES",
    "COLORS",
    "LABELS",
    "Catalog",
    "ConflictError",
    "Estimate",
    "InputError",
    "Scenario",
    "ScenarioWarning",
    "UnknownEntryError",
    "analyze_traffic",
    "assumptions",
    "build_report",
    "estimate",
    "load_catalog",
    "load_preset",
    "load_scenario",
    "parse_scenario",
    "provenance",
    "recommend",
    "scenario_yaml",
]


def recommend(scenario, catalog=None, estimate=None):
    """Ranked, explained recommendation; checked against the numbers when a catalog or estimate is given."""
    from planner import questionnaire
    from planner.engine import estimate as _estimate

    if estimate is None and catalog is not None:
        estimate = _estimate(catalog, scenario)
    return questionnaire.recommend(scenario, estimate=estimate)


def build_report(catalog, scenario, **kwargs) -> bytes:
    """The PDF recommendation report, as bytes."""
    from planner.report import build_report as _build

    return _build(catalog, scenario, **kwargs)


def analyze_traffic(paths, catalog, scenario=None, architecture: str = "prompt_only"):
    """Usage logs (OTLP JSON, OpenAI usage/costs, LiteLLM, Langfuse, CSV) read, fitted, repriced and
    reconciled: `.fit.fields`, `.fitted` (the scenario with the fit applied), `.reconciliation`, `.latency`,
    `.round_trip`. Raises `planner.traffic.read.TrafficError` (located)."""
    from planner.traffic.analysis import analyze

    return analyze(paths, catalog, scenario if scenario is not None else Scenario(), architecture)
