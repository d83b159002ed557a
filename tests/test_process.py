"""planner/ui/process.py: the app freezes what outlives a run, so Streamlit's after-run collection walks
only what the run made — and it never freezes garbage."""

from __future__ import annotations

import gc
import sys
import types
import weakref

import pytest

from planner.ui import process


@pytest.fixture()
def thawed(monkeypatch):
    """Each test starts and ends with nothing frozen (the suite's other tests are not affected), and with no
    freeze remembered (an app run by an earlier AppTest test froze the modules loaded then)."""
    gc.unfreeze()
    monkeypatch.setattr(process, "_modules_at_last_freeze", 0)
    yield
    gc.unfreeze()
    sys.modules.pop("planner_test_fake_module", None)


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_freezes_once_per_set_of_loaded_modules(thawed):
    process.freeze_long_lived()  # whatever the suite left: frozen now
    frozen = gc.get_freeze_count()
    assert frozen > 0
    # nothing new loaded: no second collection, nothing more frozen
    assert process.freeze_long_lived() is False
    assert gc.get_freeze_count() == frozen
    # a run that loads a module (a page's first table loads pandas): frozen again, the module included
    sys.modules["planner_test_fake_module"] = types.ModuleType("planner_test_fake_module")
    assert process.freeze_long_lived() is True
    assert gc.get_freeze_count() > frozen


def test_garbage_is_collected_not_frozen(thawed):
    process.freeze_long_lived()
    alive, dead = Node(), Node()
    gone = weakref.ref(dead)
    del dead  # unreachable now, but a cycle: still in memory until a collection
    assert gone() is not None
    sys.modules["planner_test_fake_module"] = types.ModuleType("planner_test_fake_module")
    assert process.freeze_long_lived() is True
    assert gone() is None, "a garbage cycle was frozen instead of freed"
    # what was alive is frozen: a later collection does not walk it
    before = gc.get_freeze_count()
    gc.collect()
    assert gc.get_freeze_count() == before
    assert alive.me is alive


def test_after_freeze_a_runs_own_garbage_is_still_freed(thawed):
    """What Streamlit's after-run collection (`runner.postScriptGC`) still does once the rest is frozen."""
    process.freeze_long_lived()
    made_by_a_run = Node()
    gone = weakref.ref(made_by_a_run)
    del made_by_a_run
    gc.collect()
    assert gone() is None


def test_after_a_run_the_runs_garbage_is_freed_without_a_full_collection(thawed, monkeypatch):
    """The shipped config turns Streamlit's full after-run collection off (its cost grows with the sessions
    alive); `after_run` frees what the run made and dropped by collecting the young generations only."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    process.after_run()  # the first run of the process: modules frozen
    generations: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda generation=2: generations.append(generation) or collect(generation))
    made_by_a_run = Node()
    gone = weakref.ref(made_by_a_run)
    del made_by_a_run
    process.after_run()
    assert gone() is None, "the run's garbage cycle is still in memory"
    assert generations == [1], "a run that loaded no module must not walk the oldest generation"
