"""Real-browser test infrastructure: one `streamlit run app.py` per session, one headless Chromium.

The server runs on 127.0.0.1 on a free port, in its own process group, against a *copy* of the
default catalog (env `PLANNER_CATALOG`) so tests that save never touch the repository's file.
Chromium is Debian's (`/usr/bin/chromium`); without it every browser test is skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from contextlib import contextmanager
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A rerun is finished when the app says so and no placeholder is left.
IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"

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


def find_chromium() -> str | None:
    """Debian's chromium, or whatever `chromium` is on PATH; None when there is none."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = find_chromium()
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str  # base URL, no trailing slash
    catalog: Path  # the catalog file the server reads and saves (a copy)
    pid: int


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Server:
    """`streamlit run app.py` on a free port, with PLANNER_CATALOG pointing at a copy of the default catalog."""
    if not BROWSER_AVAILABLE:
        pytest.skip(SKIP_REASON)
    if not (ROOT / "app.py").exists():
        pytest.fail("app.py is missing: nothing to serve")
    tmp = tmp_path_factory.mktemp("e2e")
    catalog = tmp / "catalog.yaml"
    shutil.copyfile(ROOT / "pricing" / "default.yaml", catalog)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PLANNER_CATALOG=str(catalog), PYTHONUNBUFFERED="1")
    out = open(tmp / "server.stdout", "wb")
    err = open(tmp / "server.stderr", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py",
         "--server.headless", "true",
         "--server.address", "127.0.0.1",
         "--server.port", str(port),
         "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _health(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                err.flush()
                out.flush()
                why = "exited with code %s" % proc.returncode if proc.returncode is not None else "timed out (60 s)"
                pytest.fail(
                    f"streamlit server {why} before /_stcore/health answered ok.\n"
                    f"--- stderr ---\n{(tmp / 'server.stderr').read_text(errors='replace')[-4000:]}\n"
                    f"--- stdout ---\n{(tmp / 'server.stdout').read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.2)
        yield Server(url=url, catalog=catalog, pid=proc.pid)
    finally:
        _stop(proc)
        out.close()
        err.close()


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
    """`with rerun(page): <action>` waits until the action's rerun(s) have finished and the page is idle."""
    before = page.evaluate("() => window.__stRuns || 0")
    yield
    page.wait_for_function("(n) => (window.__stRuns || 0) >= n", arg=before + runs, timeout=timeout)
    wait_idle(page, timeout)


@pytest.fixture()
def idle():
    """`wait_idle` as a fixture, so test modules need not import this conftest by name."""
    return wait_idle


@pytest.fixture(name="rerun")
def rerun_fixture():
    """`rerun` as a fixture: `with rerun(page): page.keyboard.press(...)`."""
    return rerun
