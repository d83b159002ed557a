"""The app against a hostile or careless visitor (AppTest, no browser): URLs the scenario model accepts
never crash a control nor show another value, user text is shown literally, saving is off on a shared
server, a failed save is a message, and visitors never see the server's paths.

Every test runs against a temporary copy of the default catalog (`PLANNER_CATALOG`).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.model.scenario import bounds
from pricing.loader import DEFAULT_CATALOG_PATH
from tests.apptest import PAGES, metrics

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60
SECTIONS = ("tokens", "knowledge", "retrieval", "tuning", "stack", "assumptions", "targets")


def start(query: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(PAGES[page])
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def open_all(at: AppTest) -> AppTest:
    for name in SECTIONS:
        at.session_state[f"sbx.{name}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at: AppTest, key: str):
    for w in [*at.get("number_input"), *at.get("slider")]:
        if w.key == key:
            return w
    raise AssertionError(f"no widget {key}")


def plain(markdown: str) -> str:
    """Markdown as the reader sees it, for text shown literally (escapes and word joiners removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts, titles), as read."""
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "error", "warning", "success", "info"):
        parts += [plain(str(e.value)) for e in at.get(kind)]
    return "\n".join(parts)


# ------------------------------------------------------------------ controls and the scenario model agree


@pytest.mark.parametrize(
    "query, key, shown",
    [
        ({"overlap": "5000", "chunk": "5001"}, "sb.chunk", 5001),  # the chunk slider's min equalled its max
        ({"overlap": "4095", "chunk": "4096"}, "sb.chunk", 4096),
        ({"overlap": "64", "chunk": "65"}, "sb.chunk", 65),
        ({"chunk": "100000", "overlap": "99999"}, "sb.chunk", 100000),
        ({"k": "1000"}, "sb.k", 1000),
        ({"epochs": "0.25"}, "sb.epochs", 0.25),  # was shown as 0.5, the widget's minimum
        ({"p95": "0.5"}, "sb.p95", 0.5),  # was shown as empty (below the widget's minimum of 1)
        ({"p95": "600000"}, "sb.p95", 600000),
        ({"budget": "1000000000"}, "sb.budget", 1e9),
        ({"months": "120"}, "sb.months", 120),
        ({"docs": "10000000000"}, "sb.docs", 10_000_000_000),
        ({"change": "0.0512"}, "sb.change", 5.12),  # a percentage
    ],
)
def test_a_scenario_the_model_accepts_shows_in_its_control_exactly(catalog_copy, query, key, shown):
    at = open_all(start(query))
    assert widget(at, key).value == pytest.approx(shown, rel=1e-12)


def test_the_chunk_url_of_the_issue_is_refused_with_a_message_and_retrieval_opens(catalog_copy):
    """`/costs?chunk=64.5&overlap=64` then opening "Retrieval" replaced the page with an error."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["chunk"] = "64.5"
    at.query_params["overlap"] = "64"
    at.run()
    assert not at.exception
    assert any("chunk=64.5" in plain(w.value) and "whole number" in w.value for w in at.warning)
    open_all(at)
    assert widget(at, "sb.chunk").value == 512


NUMBER_CONTROLS = {
    # widget key → scenario path
    "sb.tin": "workload.input_tokens_per_query",
    "sb.tout": "workload.output_tokens_per_query",
    "sb.sys": "workload.system_prompt_tokens",
    "sb.shots": "workload.few_shot_tokens",
    "sb.docs": "workload.corpus_documents",
    "sb.doc_tokens": "workload.tokens_per_document",
    "sb.examples": "fine_tuning.training_examples",
    "sb.epochs": "fine_tuning.epochs",
    "sb.budget": "monthly_budget_usd",
    "sb.p95": "latency_target_p95_ms",
    "sb.months": "horizon_months",
    "sb.peak": "workload.peak_to_average_ratio",
    "sb.itw": "stack.input_token_weight",
    "sb.minrep": "stack.min_replicas",
    "sb.hours": "stack.hours_per_month",
    "sb.maxseq": "stack.max_sequences_per_replica",
}


def test_every_number_control_has_its_fields_bounds(catalog_copy):
    """One source: a control's minimum and maximum are the scenario model's (an open lower bound
    such as `> 0` shows as 0; entering it is refused with the model's message)."""
    at = open_all(start())
    for key, path in NUMBER_CONTROLS.items():
        b = bounds(path)
        w = widget(at, key)
        assert (w.min, w.max) == (b.low, b.high), key


def test_decide_number_questions_have_their_fields_bounds(catalog_copy):
    at = start(page="decide")
    for q, path in {
        "queries_per_month": "workload.queries_per_month",
        "labeled_examples": "fine_tuning.training_examples",
        "monthly_budget_usd": "answers.monthly_budget_usd",
        "latency_p95_ms": "answers.latency_p95_ms",
    }.items():
        b = bounds(path)
        w = widget(at, f"dq.{q}")
        assert (w.min, w.max) == (b.low, b.high), q


def test_the_top_k_and_chunk_sliders_cover_the_model(catalog_copy):
    at = open_all(start({"overlap": "10", "chunk": "20"}))
    chunk = widget(at, "sb.chunk")
    assert chunk.min == 11 and chunk.max >= 4096  # overlap + 1: the model needs chunk > overlap
    assert widget(at, "sb.k").min == bounds("workload.top_k").low


def test_an_open_lower_bound_entered_is_refused_with_the_models_message(catalog_copy):
    at = open_all(start())
    widget(at, "sb.epochs").set_value(0.0).run()
    assert not at.exception
    assert any("Training epochs" in e.value and "greater than 0" in e.value for e in at.error)
    assert widget(at, "sb.epochs").value == 3.0  # the scenario's value again


# ------------------------------------------------------------------ user text shown literally


HOSTILE_NAME = "Title https://evil.example :red[x] :material/home:"


def test_the_scenario_name_is_shown_literally_in_every_page_header(catalog_copy):
    at = start({"name": HOSTILE_NAME}, page="costs")
    caption = next(c.value for c in at.caption if c.value.startswith("Scenario:"))
    assert r"Title https\:" + "\u2060" + r"\/\/evil\.example \:red\[x\] \:material\/home\:" in caption


def test_a_scenario_description_is_shown_literally_on_the_report_page(catalog_copy):
    at = start({"description": "Heading\n===\n- item\n    code"}, page="report")
    body = "\n".join(str(m.value) for m in at.markdown)
    assert "Heading  \n\\=\\=\\=  \n\\- item  \n\u00a0\u00a0\u00a0\u00a0code" in body


def test_a_huge_name_in_the_url_is_not_echoed_whole(catalog_copy):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["name"] = "N" * 100_000
    at.run()
    assert not at.exception
    (w,) = [plain(w.value) for w in at.warning if "name" in w.value]
    assert len(w) < 300 and "100,000 characters" in w


# ------------------------------------------------------------------ saving, read-only mode, paths


def test_a_server_on_every_interface_is_read_only(catalog_copy):
    """AppTest has no server address, as `streamlit run` without --server.address: read-only (and without
    `PLANNER_WRITABLE=1` every server is)."""
    before = catalog_copy.read_bytes()
    at = start(page="pricing")
    save = at.button(key="cat_save")
    assert save.disabled
    assert "read-only" in texts(at)
    # edits still apply to this session
    at.text_area(key="cat_editor").set_value(before.decode() + "\n# mine\n")
    at.button(key="cat_apply").click().run()
    assert any("Applied" in s.value for s in at.success)
    assert catalog_copy.read_bytes() == before


def test_read_only_by_the_environment_even_on_localhost(catalog_copy, monkeypatch):
    monkeypatch.setenv("PLANNER_READ_ONLY", "1")
    at = start(page="pricing")
    assert at.button(key="cat_save").disabled
    assert "PLANNER_READ_ONLY=1" in texts(at)


def test_a_page_opened_under_another_name_is_told_why_save_is_off(catalog_copy, writable_local, monkeypatch):
    """A writable server (`make run`) reached as `rebind.example` (a DNS-rebound page): Save is off, with why."""
    from planner.ui import catalog

    monkeypatch.setattr(
        catalog, "request_headers", lambda: {"Host": "rebind.example:8501", "Origin": "http://rebind.example:8501"}
    )
    before = catalog_copy.read_bytes()
    at = start(page="pricing")
    assert at.button(key="cat_save").disabled
    shown = texts(at)
    assert "rebind.example:8501" in shown and "localhost" in shown
    assert catalog_copy.read_bytes() == before


def test_the_host_is_checked_again_on_save(catalog_copy, writable_local, monkeypatch):
    """The page was opened as localhost; the save request comes from another name: refused, file intact."""
    from planner.ui import catalog

    before = catalog_copy.read_bytes()
    at = start(page="pricing")
    assert not at.button(key="cat_save").disabled
    at.text_area(key="cat_editor").set_value(before.decode() + "\n# forged\n")
    monkeypatch.setattr(catalog, "request_headers", lambda: {"Host": "rebind.example:8501"})
    at.button(key="cat_save").click().run()
    assert not at.exception
    assert any("Saving is off for this page" in plain(e.value) for e in at.error)
    assert catalog_copy.read_bytes() == before


@pytest.mark.parametrize("name", ["PLANNER_READ_ONLY", "PLANNER_WRITABLE"])
def test_an_unrecognized_flag_stops_the_app_with_a_message(catalog_copy, monkeypatch, name):
    """`PLANNER_READ_ONLY=ro` once left saving on without a word; now nothing runs but the message."""
    monkeypatch.setenv(name, "ro")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert f"{name}='ro' is not a yes/no value" in plain(error.value)
    assert not at.get("plotly_chart") and not at.button


def test_saving_an_override_over_the_default_catalog_is_a_message(monkeypatch, tmp_path, writable_local):
    """The issue's Save: an override saved over the default catalog file. Refused, the file intact."""
    from pricing import loader

    default = tmp_path / "default.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, default)
    monkeypatch.setattr(loader, "DEFAULT_CATALOG_PATH", default)
    monkeypatch.setenv("PLANNER_CATALOG", str(default))
    before = default.read_bytes()
    at = start(page="pricing")
    at.text_area(key="cat_editor").set_value("extends: default\n")
    at.button(key="cat_save").click().run()
    assert not at.exception
    assert any("would extend itself" in plain(e.value) for e in at.error)
    assert default.read_bytes() == before


def test_saving_over_a_read_only_file_is_a_message(catalog_copy, writable_local):
    before = catalog_copy.read_bytes()
    at = start(page="pricing")
    os.chmod(catalog_copy, 0o444)
    at.text_area(key="cat_editor").set_value(before.decode() + "\n# mine\n")
    at.button(key="cat_save").click().run()
    assert not at.exception
    assert any("read-only, so it was not overwritten" in plain(e.value) for e in at.error)
    assert catalog_copy.read_bytes() == before


def test_no_absolute_server_path_is_shown(catalog_copy, writable_local):
    at = start(page="pricing")
    text = catalog_copy.read_text(encoding="utf-8")
    at.text_area(key="cat_editor").set_value(text + "\n# mine\n")
    at.button(key="cat_save").click().run()
    assert any("Saved" in s.value for s in at.success)
    at.button(key="cat_reset").click().run()
    shown = texts(at)
    assert "catalog.yaml" in shown
    assert str(catalog_copy.parent) not in shown


def test_the_page_says_edits_live_in_this_tab_only(catalog_copy):
    at = start(page="pricing")
    assert "reload" in texts(at).lower()


# ------------------------------------------------------------------ memory


def big_catalog(target_bytes: int, salt: str) -> str:
    """The default catalog with copies of its first LLM under new keys, about `target_bytes` long."""
    import copy

    import yaml

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    data = yaml.safe_load(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))
    llms = data["llms"]
    first = llms[next(iter(llms))]
    one = len(yaml.dump({"copy-x-0": first}, Dumper=NoAliases, allow_unicode=True).encode())
    base = len(DEFAULT_CATALOG_PATH.read_bytes())
    for i in range(max(0, (target_bytes - base) // one + 1)):
        entry = copy.deepcopy(first)
        entry["name"] = f"Copy {salt} {i}"
        llms[f"copy-{salt}-{i}"] = entry
    return yaml.dump(data, Dumper=NoAliases, sort_keys=False, allow_unicode=True)


def shared_cache_bytes() -> int:
    from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider

    return sum(stat.byte_length for stats in get_data_cache_stats_provider().get_stats().values() for stat in stats)


def test_large_catalogs_applied_by_visitors_stay_out_of_the_shared_cache(catalog_copy):
    """Each session applying a distinct large catalog kept ~14 MB in the shared caches after it left;
    now a catalog above `SHARED_CATALOG_MAX_BYTES` lives in its session only (freed with it)."""
    from planner.ui.session import SHARED_CATALOG_MAX_BYTES

    warm = start(page="pricing")  # the file's catalog, estimate and figures table are cached
    del warm
    before = shared_cache_bytes()
    for salt in ("a", "b"):
        text = big_catalog(SHARED_CATALOG_MAX_BYTES + 50_000, salt)
        at = start(page="pricing")  # uploaded: 350 KB is more than the editor holds (250,000 characters)
        at.file_uploader(key="cat_upload").set_value((f"{salt}.yaml", text.encode(), "application/x-yaml"))
        at.run(timeout=120)
        assert not at.exception and any("Applied" in s.value for s in at.success)
        assert f"Copy {salt} 0" in " ".join(at.dataframe[0].value["Entry"].astype(str))
    grown = shared_cache_bytes() - before
    # what may be added: two estimates (a few hundred KB each), not two parsed 350 KB catalogs and their tables
    assert grown < 1_500_000, f"the shared caches grew by {grown:,} bytes"


def test_the_editor_refuses_more_than_an_upload(catalog_copy):
    """The editor's cap counted characters (1,000,000 emoji = 4 MB sent); now its characters at 4 bytes each at
    most fit an upload's 1,000,000 bytes: 250,000 characters."""
    from planner.ui.session import MAX_UPLOAD_BYTES

    at = start(page="pricing")
    assert at.text_area(key="cat_editor").max_chars * 4 <= MAX_UPLOAD_BYTES
    assert at.text_area(key="cat_editor").max_chars == 250_000  # 1,000,000 bytes ÷ 4 bytes a character


# ------------------------------------------------------------------ cached numbers on a changed default


def test_an_override_applied_after_the_default_changed_is_priced_on_the_new_default(monkeypatch, tmp_path):
    """The parsed catalog was cached by the override's own text: applied after the default file changed,
    it was priced on the old default ($42.00 on screen, $204 from the CLI)."""
    from pricing import loader

    default = tmp_path / "default.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, default)
    monkeypatch.setattr(loader, "DEFAULT_CATALOG_PATH", default)
    monkeypatch.setenv("PLANNER_CATALOG", str(default))
    override = "extends: default\n# our negotiated prices: none yet\n"

    def prompt_only_monthly() -> str:
        at = start(page="pricing")
        at.text_area(key="cat_editor").set_value(override)
        at.button(key="cat_apply").click().run()
        assert any("Applied" in s.value for s in at.success)
        at.switch_page("planner/ui/costs.py")
        at.run()
        return next(v for label, v in metrics(at).items() if label.startswith("Prompt only"))

    before = prompt_only_monthly()
    # the default file changes: the default LLM's input price is 10 times higher
    from planner.model.scenario import Scenario

    lines = default.read_text(encoding="utf-8").splitlines(keepends=True)
    entry_at = lines.index(f"  {Scenario().stack.llm}:\n")
    field_at = next(i for i in range(entry_at, len(lines)) if lines[i].strip() == "input_usd_per_1m_tokens:")
    value_at = next(i for i in range(field_at, len(lines)) if lines[i].strip().startswith("value:"))
    indent, value = lines[value_at].split("value:")
    lines[value_at] = f"{indent}value: {float(value) * 10:g}\n"
    default.write_text("".join(lines), encoding="utf-8")

    after = prompt_only_monthly()
    assert after != before


def test_an_open_session_on_an_override_follows_a_changed_default(monkeypatch, tmp_path):
    """Only the override's own stamp was watched: an open session kept pricing on the old default after
    `pricing/default.yaml` changed, though the README promises the next rerun picks it up."""
    from planner.model.scenario import Scenario
    from pricing import loader

    default = tmp_path / "default.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, default)
    monkeypatch.setattr(loader, "DEFAULT_CATALOG_PATH", default)
    override = tmp_path / "ours.yaml"
    override.write_text("extends: default\n# our negotiated prices: none yet\n", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CATALOG", str(override))

    def prompt_only(at: AppTest) -> str:
        return next(v for label, v in metrics(at).items() if label.startswith("Prompt only"))

    at = start(page="costs")
    before = prompt_only(at)
    lines = default.read_text(encoding="utf-8").splitlines(keepends=True)
    entry_at = lines.index(f"  {Scenario().stack.llm}:\n")
    field_at = next(i for i in range(entry_at, len(lines)) if lines[i].strip() == "input_usd_per_1m_tokens:")
    value_at = next(i for i in range(field_at, len(lines)) if lines[i].strip().startswith("value:"))
    indent, value = lines[value_at].split("value:")
    lines[value_at] = f"{indent}value: {float(value) * 10:g}\n"
    default.write_text("".join(lines), encoding="utf-8")
    at.run()  # the next rerun of the open session
    after = prompt_only(at)
    assert after != before
    assert after == prompt_only(start(page="costs"))  # what a new session shows


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_a_catalog_path_that_is_not_a_file_is_a_message_not_a_hang(monkeypatch, tmp_path, kind):
    """`PLANNER_CATALOG=/dev/zero` read until MemoryError at start; a FIFO would wait for a writer forever."""
    path = "/dev/zero"
    if kind == "fifo":
        path = str(tmp_path / "catalog.yaml")
        os.mkfifo(path)
    monkeypatch.setenv("PLANNER_CATALOG", path)
    at = start()  # the message shows once, on the first page
    assert any("cannot be read; using the shipped default" in plain(e.value) for e in at.error)
    assert "not a regular file" in texts(at)
    at.switch_page("planner/ui/pricing.py").run()
    assert not at.exception and len(at.dataframe[0].value) > 100  # the app runs on the shipped default


def test_a_client_that_sends_more_than_the_editor_holds_is_cut_at_1_mb(catalog_copy):
    """A client that ignores the editor's cap: 300,000 four-byte characters (1.2 MB) sent. The server holds at
    most 250,000 of them (1,000,000 bytes, the cap in bytes), once: the draft and the problems share it."""
    from planner.ui import session

    at = start(page="pricing")
    at.session_state["cat_editor"] = "\U0001f600" * 300_000  # 300,000 × 4 bytes = 1,200,000 bytes
    at.button(key="cat_apply").click().run()
    assert not at.exception
    assert any("not valid" in plain(e.value) for e in at.error)
    held = at.session_state["cat_editor"]
    assert len(held.encode("utf-8")) == 1_000_000  # 250,000 characters × 4 bytes
    s = at.session_state[session.KEY]
    assert s.cat_draft == held
    assert s.cat_text != held  # refused: the session still prices with its last good catalog
