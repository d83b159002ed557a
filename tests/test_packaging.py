"""The manifest: pins in one place, derived requirements files in step, an installed package that
finds its data. (`make install-check` does the real `pip install .` in a new virtualenv.)"""

import subprocess
import sys
import tomllib
from pathlib import Path

from planner import cli
from planner.model import files
from pricing import loader, schema

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_requirements_files_are_derived_from_pyproject():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "requirements.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_pin_is_exact_and_stated_once():
    deps = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["dev"]
    names = [d.split("==")[0].lower() for d in deps]
    assert all("==" in d for d in deps), deps
    assert len(names) == len(set(names)), names


def test_the_command_runs_the_cli():
    assert PYPROJECT["project"]["scripts"]["llm-planner"] == "planner.cli:main"
    assert callable(cli.main)


def test_package_data_lives_inside_the_packages():
    packages = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert {"planner", "pricing"} <= set(packages)
    for path in (loader.DEFAULT_CATALOG_PATH, schema.SCHEMA_PATH):
        assert path.is_file() and path.parent.name == "pricing", path
    force = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force == {"scenarios": "planner/scenarios"}


def test_presets_are_found_in_a_checkout_and_when_installed(tmp_path):
    # a checkout: scenarios/ beside the package
    assert files._scenarios_dir(ROOT / "planner") == ROOT / "scenarios"
    # installed: the wheel puts them inside the package (force-include above)
    package = tmp_path / "site-packages" / "planner"
    (package / "scenarios").mkdir(parents=True)
    assert files._scenarios_dir(package) == package / "scenarios"
