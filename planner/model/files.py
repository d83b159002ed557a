"""Read and write scenario files (YAML), with the same safety and located errors as catalogs."""

from __future__ import annotations

import warnings
from pathlib import Path

import yaml

from planner.model.scenario import Scenario
from planner.model.spelling import respell
from pricing.errors import Problem, UnknownEntryError
from pricing.loader import read_text, validate
from pricing.safeyaml import Parsed, parse_yaml

__all__ = [
    "SCENARIOS_DIR",
    "ScenarioWarning",
    "load_scenario",
    "parse_scenario",
    "presets",
    "read_scenario",
    "read_scenario_file",
    "scenario_yaml",
]


def _scenarios_dir(package: Path) -> Path:
    """The preset scenarios: `scenarios/` beside the package in a checkout, or inside it once installed
    (the wheel carries them as `planner/scenarios`, see pyproject.toml)."""
    installed = package / "scenarios"
    return installed if installed.is_dir() else package.parent / "scenarios"


SCENARIOS_DIR = _scenarios_dir(Path(__file__).resolve().parents[1])


class ScenarioWarning(UserWarning):
    """A scenario file was read, with a note (a word in the other British/US spelling, read as the format's)."""


def read_scenario(text: str | bytes, file: str = "<scenario>") -> tuple[Scenario, list[Problem]]:
    """Validate scenario text: the scenario and its notes, located (a key or choice written in the other
    British/US spelling is read as the format's, see `planner.model.spelling`). An empty mapping (`{}`) is a
    valid scenario of defaults. Raises `pricing.errors.InputError`."""
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if all(not line.strip() or line.lstrip().startswith("#") for line in raw.splitlines()):
        return Scenario(), []  # empty, or only comments: every field at its default
    parsed = parse_yaml(text, file)
    if parsed.data is None:
        return Scenario(), []
    notes: list[Problem] = []
    if isinstance(parsed.data, dict):
        parsed, notes = _respelled(parsed, parsed.data)
    return validate(Scenario, parsed), notes


def _respelled(parsed: Parsed, written: dict) -> tuple[Parsed, list[Problem]]:
    """`parsed` with its keys and choices in the format's spelling (positions follow a renamed key)."""
    data, found = respell(Scenario, written)
    positions = dict(parsed.positions)
    notes = []
    for r in found:
        file, line, column = parsed.locate(r.path)
        notes.append(Problem(file, line, column, ".".join(r.path), r.message()))
        if r.kind == "key":
            old, new = r.path, (*r.path[:-1], r.spelling)
            for path, pos in parsed.positions.items():
                if path[: len(old)] == old:
                    positions.setdefault((*new, *path[len(old) :]), pos)
    return Parsed(data, positions, parsed.file, list(parsed.problems)), notes


def parse_scenario(text: str | bytes, file: str = "<scenario>") -> Scenario:
    """Validate scenario text. An empty mapping (`{}`) is a valid scenario of defaults. A note (see
    `read_scenario`) is issued as a `ScenarioWarning`."""
    scenario, notes = read_scenario(text, file)
    for note in notes:
        warnings.warn(str(note), ScenarioWarning, stacklevel=2)
    return scenario


def read_scenario_file(path: str | Path) -> tuple[Scenario, list[Problem]]:
    """The scenario in `path` and its notes (see `read_scenario`). Raises `pricing.errors.InputError`."""
    return read_scenario(read_text(path), str(path))


def load_scenario(path: str | Path | None = None) -> Scenario:
    """The scenario in `path`, or the default scenario. Raises `pricing.errors.InputError`; a note (see
    `read_scenario`) is issued as a `ScenarioWarning`."""
    if path is None:
        return Scenario()
    scenario, notes = read_scenario_file(path)
    for note in notes:
        warnings.warn(str(note), ScenarioWarning, stacklevel=2)
    return scenario


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as the YAML file the app downloads and the CLI reads: the values given, then the
    defaults nobody gave as comments, so that reading the file back keeps them assumed (a default never
    turns into the user's number by a download and an upload)."""
    given = {k: v for k, v in scenario.model_dump(mode="json", exclude_unset=True).items() if v != {}}
    assumed = _missing(scenario.model_dump(mode="json"), given)
    for key in ("name", "description", "answers"):  # not assumptions: a title, and questions not answered
        assumed.pop(key, None)
    head = (
        "# LLM architecture planner scenario. Load it in the app (sidebar → Upload) or run\n"
        "#   python -m planner estimate --scenario THIS_FILE\n"
    )
    text = head + (yaml.safe_dump(given, sort_keys=False, allow_unicode=True, width=100) if given else "{}\n")
    if assumed:
        block = yaml.safe_dump(assumed, sort_keys=False, allow_unicode=True, width=100)
        text += "# Assumed: defaults nobody gave (copy a line into its section above to make it yours)\n"
        text += "".join(f"# {line}\n" for line in block.splitlines())
    return text


def _missing(full: dict, given: dict) -> dict:
    """The keys of `full` that `given` lacks, section by section."""
    out: dict = {}
    for key, value in full.items():
        if key not in given:
            out[key] = value
        elif isinstance(value, dict) and isinstance(given[key], dict):
            rest = _missing(value, given[key])
            if rest:
                out[key] = rest
    return out


def presets() -> dict[str, Path]:
    """Shipped scenario files, by scenario name (the app's presets)."""
    out = {}
    for p in sorted(SCENARIOS_DIR.glob("*.yaml")):
        out[load_scenario(p).name] = p
    return out


def preset_paths() -> dict[str, Path]:
    """The shipped scenario files by slug (the file's stem, as the app's `?preset=` link names them), in name
    order. Found inside the installed package as well as in a clone."""
    return {p.stem: p for p in sorted(SCENARIOS_DIR.glob("*.yaml"))}


def preset_path(name: str) -> Path:
    """The shipped scenario file of a preset slug (`support-bot`); a `.yaml` suffix is accepted. Raises
    `UnknownEntryError` naming the presets there are."""
    slug = name[:-5] if name.endswith(".yaml") else name
    paths = preset_paths()
    if slug not in paths:
        known = ", ".join(paths) or "none"
        raise UnknownEntryError(f"--preset: no preset `{name}`; the presets are: {known} (`llm-planner presets`)")
    return paths[slug]


def load_preset(name: str) -> Scenario:
    """A shipped preset scenario by slug, from any directory: `load_preset("support-bot")`."""
    return load_scenario(preset_path(name))
