"""One volume grid (planner/engine/analysis.py `volume_grid`) for the app, the CLI, the PDF and the Python API.

The grid used to be widened around an off-chart volume in the app only (planner/ui/session.py), so the app drew
a different grid from the CLI and the PDF; the engine now widens it for every caller."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

import planner
import planner.engine
from planner.cli import main
from planner.engine import estimate
from planner.engine.analysis import volume_grid
from planner.model.files import scenario_yaml
from planner.model.scenario import Scenario
from planner.report import build_report
from planner.ui import session


def scenario(q: float, lo: float, hi: float, points: int = 3) -> Scenario:
    return Scenario().with_changes(
        **{
            "workload.queries_per_month": q,
            "volumes.min_queries_per_month": lo,
            "volumes.max_queries_per_month": hi,
            "volumes.points": points,
        }
    )


# By hand: a log-spaced grid of 3 points over [lo, hi] is lo, √(lo·hi), hi.
#   q = 30M above a range of 1,000–10M: widened to [1,000, 30M × 3 = 90M]; √(1,000 × 90M) = √(9e10) = 300,000.
ABOVE = (scenario(30_000_000, 1_000, 10_000_000), [1_000.0, 300_000.0, 90_000_000.0])
#   q = 300 below a range of 1,000–9M: widened to [300 ÷ 3 = 100, 9M]; √(100 × 9M) = √(9e8) = 30,000.
BELOW = (scenario(300, 1_000, 9_000_000), [100.0, 30_000.0, 9_000_000.0])
#   q = 50,000 inside 1,000–10M: not widened; √(1,000 × 10M) = √(1e10) = 100,000.
INSIDE = (scenario(50_000, 1_000, 10_000_000), [1_000.0, 100_000.0, 10_000_000.0])
CASES = {"above": ABOVE, "below": BELOW, "inside": INSIDE}


@pytest.mark.parametrize("case", CASES)
def test_the_grid_is_widened_around_an_off_chart_volume(case):
    s, by_hand = CASES[case]
    np.testing.assert_allclose(volume_grid(s), by_hand, rtol=1e-12)


def test_given_volumes_are_kept_as_given_sorted_without_duplicates():
    s, _ = ABOVE  # an off-chart volume does not widen volumes the caller chose
    assert volume_grid(s, [10_000, 1_000, 10_000]).tolist() == [1_000.0, 10_000.0]


@pytest.mark.parametrize("case", CASES)
def test_app_cli_api_and_pdf_use_the_same_grid(case, catalog, tmp_path, capsys, monkeypatch):
    s, by_hand = CASES[case]
    session.estimate_cached.clear()
    app = session.estimate_for("grid-test", catalog, s).volumes
    session.estimate_cached.clear()
    api = planner.estimate(catalog, s).volumes

    path = tmp_path / "s.yaml"
    path.write_text(scenario_yaml(s))
    capsys.readouterr()
    assert main(["estimate", "--scenario", str(path), "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)["volumes_queries_per_month"]  # rounded to 6 significant digits

    seen = []

    def recording(*args, **kwargs):
        est = estimate(*args, **kwargs)
        seen.append(est.volumes)
        return est

    monkeypatch.setattr(planner.engine, "estimate", recording)  # the PDF estimates through planner.engine
    build_report(catalog, s, today=date(2026, 11, 30), invariant=True)
    (pdf,) = seen

    np.testing.assert_allclose(app, by_hand, rtol=1e-12)
    assert app.tolist() == api.tolist() == pdf.tolist()
    np.testing.assert_allclose(cli, by_hand, rtol=1e-6)
