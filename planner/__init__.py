"""LLM architecture planner: prompt only, RAG, fine-tuned or hybrid — what each costs and how fast it answers.

from planner import load_catalog, load_scenario, estimate, recommend, build_report
est = estimate(load_catalog(), load_scenario("scenarios/support-bot.yaml"))
est.current["rag"].monthly_usd
"""

from planner.engine import Estimate, estimate
from planner.files import ScenarioWarning, load_scenario, parse_scenario, scenario_yaml
from planner.provenance import assumptions, provenance
from planner.scenario import ARCHITECTURES, COLORS, LABELS, Scenario
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
    "assumptions",
    "build_report",
    "estimate",
    "load_catalog",
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
