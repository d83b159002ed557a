"""Real-browser test infrastructure: one `streamlit run app.py` per session, one headless Chromium.

The server runs on 127.0.0.1 on a free port, in its own process group, against a *copy* of the
default catalog (env `PLANNER_CATALOG`) so tests that save never touch the repository's file.
Chromium is Debian's (`/usr/bin/chromium`); without it every browser test is skipped.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.streamlit_server import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parents[2]

# A rerun is finished when the app says so and no placeholder is left.
IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"

# How long an action may leave the app idle without the run counter moving before `rerun` accepts that
# its run finished unseen (see there).
QUIET_RUN_MS = 3_000

# Counts finished script runs (stApp's data-test-script-state turning to notRunning), so a test
# can wait for *the* rerun its action caused instead of guessing whether it has started yet.
RUN_COUNTER_JS = """
(() => {
  window.__stRuns = 0;
  const start = () => new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.getAttribute('data-test-script-state') === 'notRunning' && r.oldValue !== 'notRunning') {
        window.__stRuns += 1;
      }
    }
  }).observe(document.documentElement, {subtree: true, attributes: true, attributeOldValue: true,
                                         attributeFilter: ['data-test-script-state']});
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""


CHROMIUM = chromium_path()  # Debian's chromium, or `chromium` on PATH; None when there is none
try:
    import playwright.sync_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_PLAYWRIGHT = False

SKIP_REASON = (
    "chromium not found (/usr/bin/chromium or `chromium` on PATH): install it with "
    "`apt-get install -y chromium` (or `make chromium`) to run the browser tests"
    if CHROMIUM is None
    else "the playwright python package is not installed (pip install -r requirements-dev.txt)"
)
BROWSER_AVAILABLE = CHROMIUM is not None and HAVE_PLAYWRIGHT


@dataclass(frozen=True)
class Server:
    url: str  # base URL, no trailing slash
    catalog: Path  # the catalog file the server reads and saves (a copy)
    pid: int


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Server:
    """`streamlit run app.py` on a free port, with PLANNER_CATALOG pointing at a copy of the default catalog."""
    if not BROWSER_AVAILABLE:
        pytest.skip(SKIP_REASON)
    if not (ROOT / "app.py").exists():
        pytest.fail("app.py is missing: nothing to serve")
    from tools.streamlit_server import start_server, stop_server

    tmp = tmp_path_factory.mktemp("e2e")
    catalog = tmp / "catalog.yaml"
    shutil.copyfile(ROOT / "pricing" / "default.yaml", catalog)
    try:
        # saving on, as `make run` starts it (PLANNER_WRITABLE=1); the browser opens it as 127.0.0.1
        srv = start_server(ROOT / "app.py", catalog=catalog, timeout=60, env_extra={"PLANNER_WRITABLE": "1"})
    except RuntimeError as exc:
        pytest.fail(f"the app's server did not start: {exc}")
    try:
        yield Server(url=srv.url, catalog=catalog, pid=srv.pid)
    finally:
        stop_server(srv)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not BROWSER_AVAILABLE:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    ctx.add_init_script(RUN_COUNTER_JS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture()
def page(context):
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors  # uncaught JS exceptions, for tests that want them
    return pg


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished its run and no skeleton placeholder is left.

    A short settle first: right after an input the state can still read `notRunning` for a few
    milliseconds before the rerun request goes out.
    """
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE_SELECTOR, state="attached", timeout=timeout)
    page.wait_for_function(
        """(sel) => document.querySelector(sel) !== null
                 && document.querySelectorAll("[data-testid='stSkeleton']").length === 0""",
        arg=IDLE_SELECTOR,
        timeout=timeout,
    )
    # Once more: a rerun may have started between the two waits (e.g. a query-param sync).
    page.wait_for_selector(IDLE_SELECTOR, state="attached", timeout=timeout)


@contextmanager
def rerun(page, timeout: float = 30_000, runs: int = 1):
    """`with rerun(page): <action>` waits until the action's rerun(s) have finished and the page is idle.

    The counter sees a run only if the page rendered its running state. On a loaded machine React can
    batch a short run's start and finish into one render, so the attribute never leaves `notRunning`
    and the counter stays put although the run happened. After QUIET_RUN_MS with the app idle the
    helper stops waiting for the counter; the test's own assertions then check what the run did.
    """
    before = page.evaluate("() => window.__stRuns || 0")
    yield
    page.evaluate("() => { window.__stActionAt = performance.now(); }")
    page.wait_for_function(
        """([n, quietMs, sel]) => (window.__stRuns || 0) >= n
              || (performance.now() - window.__stActionAt > quietMs && document.querySelector(sel) !== null)""",
        arg=[before + runs, QUIET_RUN_MS, IDLE_SELECTOR],
        timeout=timeout,
    )
    wait_idle(page, timeout)


@pytest.fixture()
def idle():
    """`wait_idle` as a fixture, so test modules need not import this conftest by name."""
    return wait_idle


@pytest.fixture(name="rerun")
def rerun_fixture():
    """`rerun` as a fixture: `with rerun(page): page.keyboard.press(...)`."""
    return rerun
