"""Read and write scenario files (YAML), with the same safety and located errors as catalogs."""

from __future__ import annotations

from pathlib import Path

import yaml

from planner.scenario import Scenario
from pricing.loader import read_text, validate
from pricing.safeyaml import parse_yaml


def _scenarios_dir(package: Path) -> Path:
    """The preset scenarios: `scenarios/` beside the package in a checkout, or inside it once installed
    (the wheel carries them as `planner/scenarios`, see pyproject.toml)."""
    installed = package / "scenarios"
    return installed if installed.is_dir() else package.parent / "scenarios"


SCENARIOS_DIR = _scenarios_dir(Path(__file__).resolve().parent)


def parse_scenario(text: str | bytes, file: str = "<scenario>") -> Scenario:
    """Validate scenario text. An empty mapping (`{}`) is a valid scenario of defaults."""
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if all(not line.strip() or line.lstrip().startswith("#") for line in raw.splitlines()):
        return Scenario()  # empty, or only comments: every field at its default
    parsed = parse_yaml(text, file)
    if parsed.data is None:
        return Scenario()
    return validate(Scenario, parsed)


def load_scenario(path: str | Path | None = None) -> Scenario:
    """The scenario in `path`, or the default scenario. Raises `pricing.errors.InputError`."""
    if path is None:
        return Scenario()
    return parse_scenario(read_text(path), str(path))


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as the YAML file the app downloads and the CLI reads."""
    data = scenario.model_dump(mode="json")
    head = (
        "# LLM architecture planner scenario. Load it in the app (sidebar → Upload) or run\n"
        "#   python -m planner estimate --scenario THIS_FILE\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def presets() -> dict[str, Path]:
    """Shipped scenario files, by scenario name (the app's presets)."""
    out = {}
    for p in sorted(SCENARIOS_DIR.glob("*.yaml")):
        out[load_scenario(p).name] = p
    return out
