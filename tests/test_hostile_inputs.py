"""What a visitor can send (a URL, a catalog) is bounded and echoed safely (pure parts; the app's in test_app.py)."""

from __future__ import annotations

import pytest

from planner.model.scenario import Scenario, bounds
from planner.ui import params
from pricing import loader


def test_a_huge_url_value_is_not_echoed_whole():
    """A 100 KB `name=` is refused (names are at most 200 characters) and echoed in at most ~80 characters."""
    _, scenario, problems = params.decode({"name": "A" * 100_000}, {})
    assert scenario.name == Scenario().name
    assert len(problems) == 1
    assert "100,000 characters" in problems[0]
    assert len(problems[0]) < 250, problems[0]


def test_a_huge_url_name_is_not_echoed_whole():
    _, _, problems = params.decode({"x" * 50_000: "1"}, {})
    assert len(problems) == 1 and len(problems[0]) < 200 and "50,000 characters" in problems[0]


def test_many_bad_url_parameters_give_a_bounded_list():
    _, _, problems = params.decode({f"bad{i}": "1" for i in range(5_000)}, {})
    assert len(problems) == params.MAX_PROBLEMS
    assert problems[-1] == "URL: … and 4,991 more parameters ignored"  # 5,000 − 9 shown


def test_shown_keeps_short_text_and_cuts_long_text():
    assert params.shown("abc") == "abc"
    assert params.shown("abcdef", limit=4) == "abc… (6 characters)"


@pytest.mark.parametrize("name", ["chunk", "overlap", "tin", "tout", "sys", "shots", "docs", "doc_tokens"])
def test_fractional_counts_in_the_url_are_refused_with_a_message(name):
    """`/costs?chunk=64.5&overlap=64` gave a scenario no control can show (the chunk slider crashed)."""
    _, scenario, problems = params.decode({name: "64.5"}, {})
    assert scenario == Scenario()
    assert problems == [f"URL: `{name}=64.5` ignored: {params.ALIASES[name]}: must be a whole number"]


def test_chunk_and_overlap_from_the_issue():
    _, scenario, problems = params.decode({"chunk": "64.5", "overlap": "64"}, {})
    assert scenario.workload.chunk_tokens == 512 and scenario.workload.chunk_overlap_tokens == 64
    assert problems == ["URL: `chunk=64.5` ignored: workload.chunk_tokens: must be a whole number"]


def test_a_fractional_count_in_a_scenario_file_is_a_located_problem():
    from planner.model.files import parse_scenario
    from pricing.errors import InputError

    with pytest.raises(InputError) as info:
        parse_scenario("workload:\n  chunk_tokens: 64.5\n", "s.yaml")
    (p,) = info.value.problems
    assert (p.line, p.path, p.message) == (2, "workload.chunk_tokens", "64.5 is not a whole number: give a count")


def test_bounds_are_read_from_the_model():
    b = bounds("workload.top_k")
    assert (b.low, b.high, b.low_open, b.whole) == (1, 1000, False, True)
    b = bounds("workload.chunk_tokens")
    assert (b.low, b.high, b.low_open, b.whole) == (0, 1_000_000, True, True)
    b = bounds("fine_tuning.epochs")
    assert (b.low, b.high, b.low_open, b.whole) == (0, 100, True, False)
    b = bounds("latency_target_p95_ms")
    assert (b.low, b.high, b.low_open, b.whole) == (0, 600_000, True, False)


# ---------------------------------------------------------------- cache keys


def test_the_catalog_key_covers_the_default_an_override_extends(default_catalog_text):
    """The same override over a changed default is a different catalog, so a different cache key."""
    override = "extends: default\n"
    changed = default_catalog_text + "\n# a price changed\n"
    assert loader.catalog_key(override, default_catalog_text) != loader.catalog_key(override, changed)
    assert loader.catalog_key(override, default_catalog_text) == loader.catalog_key(override, default_catalog_text)
    other = override + "# another override\n"
    assert loader.catalog_key(override, default_catalog_text) != loader.catalog_key(other, default_catalog_text)


def test_parse_catalog_layers_over_the_base_text_it_is_given(default_catalog_text, default_catalog):
    key = sorted(default_catalog.rerankers)[0]
    base = default_catalog_text.replace("name: " + default_catalog.rerankers[key].name, "name: Base edit", 1)
    assert base != default_catalog_text
    loaded = loader.parse_catalog("extends: default\n", "o.yaml", base_text=base)
    assert loaded.catalog.rerankers[key].name == "Base edit"


# ---------------------------------------------------------------- write access


@pytest.mark.parametrize(
    "env, address, allowed",
    [
        # writing is the operator's opt-in: no bind address proves that one user is behind a request
        ({}, "127.0.0.1", False),  # e.g. behind a reverse proxy on loopback, every visitor looks local
        ({}, "localhost", False),
        ({}, "", False),  # Streamlit's default: every interface
        ({}, None, False),
        ({"PLANNER_WRITABLE": "1"}, "127.0.0.1", True),
        ({"PLANNER_WRITABLE": "yes"}, "", True),  # the operator's choice (behind their own access control)
        ({"PLANNER_WRITABLE": "0"}, "127.0.0.1", False),
        ({"PLANNER_WRITABLE": "1", "PLANNER_READ_ONLY": "1"}, "127.0.0.1", False),  # read-only wins
        ({"PLANNER_READ_ONLY": "1"}, "127.0.0.1", False),
        ({"PLANNER_READ_ONLY": "0"}, "0.0.0.0", True),  # the older opt-in still works
        ({"PLANNER_READ_ONLY": ""}, "0.0.0.0", False),
    ],
)
def test_write_access_from_the_address_and_the_environment(env, address, allowed):
    from planner.ui.access import write_access

    access = write_access(env, address)
    assert access.allowed is allowed
    assert (access.reason == "") is allowed
    if not allowed:
        assert "read-only" in access.reason


# ---------------------------------------------------------------- user text shown literally


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Title\n===", r"Title \=\=\="),
        ("- one\n- two", r"\- one \- two"),
        (":red[alarm] :material/home:", r"\:red\[alarm\] \:material\/home\:"),
        ("**b** $x$ <b>h</b> &copy;", r"\*\*b\*\* \$x\$ \<b\>h\<\/b\> \&copy\;"),
        ("see https://x.example", "see https\\:\u2060\\/\\/x\\.example"),  # a word joiner: no autolink
        ("www.x.example a@b.example", "www\u2060\\.x\\.example a\\@\u2060b\\.example"),
        ("  padded  ", "padded"),
    ],
)
def test_literal_escapes_every_markdown_construct_on_one_line(text, shown):
    from planner.ui.tables import literal

    assert literal(text) == shown


def test_literal_keeps_lines_and_indentation_when_multiline():
    from planner.ui.tables import literal

    assert literal("# a\n    b", multiline=True) == "\\# a  \n\u00a0\u00a0\u00a0\u00a0b"
