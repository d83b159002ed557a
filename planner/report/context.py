"""What the report is about, computed once before any section is drawn: the catalog, the scenario, its
estimate and recommendation, the date, the traffic it was fitted to, the styles and the page's size, and
every value two sections share (the fitted inputs the scenario still holds, the headings' numbers).

A section reads the context and never writes it (it is frozen): no section depends on another having run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from planner.engine import Estimate
from planner.model.scenario import Scenario
from planner.questionnaire import Recommendation
from planner.report.style import Styles
from pricing.models import Catalog

#: The text frame of an A4 page (the margins of `build._a4_document`), in points.
FRAME_WIDTH = A4[0] - 36 * mm
FRAME_HEIGHT = A4[1] - 37 * mm


@dataclass(frozen=True)
class ReportContext:
    catalog: Catalog
    scenario: Scenario
    est: Estimate
    rec: Recommendation
    today: date
    #: `planner.traffic.analysis.TrafficAnalysis` the scenario was fitted to, or None.
    traffic: Any = None
    styles: Styles = field(default_factory=Styles)
    width: float = FRAME_WIDTH
    height: float = FRAME_HEIGHT
    #: The fitted inputs (`FittedField`s) the scenario still holds: a field changed since is not the traffic's.
    fitted: tuple = ()
    #: Each numbered heading's number by its outline key ("answers" → "1.3"), set from the outline.
    numbers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def number(self, key: str) -> str:
        """The number of the outline entry `key` ("1.2"); KeyError when it is absent from this report."""
        return self.numbers[key]


def fitted_fields(scenario: Scenario, traffic: Any) -> tuple:
    """The fitted fields the scenario still holds (a field changed since is not the traffic's any more)."""
    if traffic is None:
        return ()
    out = []
    for f in traffic.fit.fields:
        node: Any = scenario
        for part in f.path.split("."):
            node = getattr(node, part)
        if node == f.value:
            out.append(f)
    return tuple(out)


def make_context(
    catalog: Catalog,
    scenario: Scenario,
    est: Estimate,
    rec: Recommendation,
    today: date,
    traffic: Any = None,
) -> ReportContext:
    """The context without the headings' numbers (`outline.numbered` adds them)."""
    return ReportContext(catalog, scenario, est, rec, today, traffic=traffic, fitted=fitted_fields(scenario, traffic))
