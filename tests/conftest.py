"""Shared fixtures: paths and texts of the test catalogs.

Kept general on purpose (any test module may use them): the tiny hand-checkable
catalog in `tests/fixtures/mini_catalog.yaml` and the shipped `pricing/default.yaml`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project folder (where `python -m planner` runs)."""
    return ROOT


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def mini_catalog_path() -> Path:
    """A tiny valid catalog with round numbers (tests/fixtures/mini_catalog.yaml)."""
    return FIXTURES / "mini_catalog.yaml"


@pytest.fixture(scope="session")
def mini_catalog_text(mini_catalog_path) -> str:
    return mini_catalog_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def default_catalog_path() -> Path:
    """The shipped catalog, pricing/default.yaml."""
    from pricing.loader import DEFAULT_CATALOG_PATH

    return DEFAULT_CATALOG_PATH


@pytest.fixture(scope="session")
def default_catalog_text(default_catalog_path) -> str:
    return default_catalog_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def mini(mini_catalog_path):
    """The mini catalog, loaded (Catalog models are frozen, so one instance serves every test)."""
    from pricing.loader import load_catalog

    return load_catalog(mini_catalog_path)


@pytest.fixture(scope="session")
def default_catalog():
    """The shipped catalog, loaded."""
    from pricing.loader import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def catalog(default_catalog):
    """The shipped catalog, loaded (the catalog most tests price with)."""
    return default_catalog


@pytest.fixture
def catalog_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the default catalog that the app loads (via PLANNER_CATALOG), in its default writability."""
    import shutil

    from pricing.loader import DEFAULT_CATALOG_PATH

    path = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, path)
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    monkeypatch.delenv("PLANNER_READ_ONLY", raising=False)
    monkeypatch.delenv("PLANNER_WRITABLE", raising=False)
    return path


@pytest.fixture
def catalog_file(catalog_copy, writable_local) -> Path:
    """A copy of the default catalog that the app loads and saves (via PLANNER_CATALOG); saving on, for a page
    opened as localhost (tests/test_app_hostile.py tests read-only mode and other hosts)."""
    return catalog_copy


@pytest.fixture
def writable_local(monkeypatch):
    """Saving on, as `make run` starts the app (`PLANNER_WRITABLE=1`), for a page opened as localhost:
    AppTest has no request, so the request's headers are those a browser on this machine sends."""
    from planner.ui import catalog

    monkeypatch.setenv("PLANNER_WRITABLE", "1")
    monkeypatch.delenv("PLANNER_READ_ONLY", raising=False)
    monkeypatch.setattr(
        catalog, "request_headers", lambda: {"Host": "localhost:8501", "Origin": "http://localhost:8501"}
    )
