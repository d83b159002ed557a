"""A Streamlit server and a headless Chromium for the browser tests and the benchmarks.

`start_server` runs `streamlit run SCRIPT` on 127.0.0.1 on a free port, in its own process group (so
`stop_server` ends it and everything it started), with its output in a temporary folder; `chromium_path`
finds Debian's Chromium, which `CHROMIUM_ARGS` keeps rendering at full rate with many pages open;
`catalog_copy` gives a server a temporary copy of the default catalog to save into.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Many pages in one browser: keep every one of them rendering at full rate.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


def chromium_path() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    started: float  # time.perf_counter() just before Popen
    health_s: float | None = None  # launch → health ok
    logdir: Path | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        if self.logdir is None:
            return ""
        return (self.logdir / "stderr").read_text(errors="replace")


def start_server(
    script: Path,
    *,
    catalog: Path | None = None,
    wait: bool = True,
    timeout: float = 60,
    cwd: Path = ROOT,
    env_extra: dict[str, str] | None = None,
) -> Server:
    """`streamlit run script` on 127.0.0.1:<free port>, in its own process group, from `cwd` (with `env_extra`
    added to the environment)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    logdir = Path(tempfile.mkdtemp(prefix="bench-streamlit-"))
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env_extra or {}))
    if catalog is not None:
        env["PLANNER_CATALOG"] = str(catalog)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    out = open(logdir / "stdout", "wb")
    err = open(logdir / "stderr", "wb")
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
    out.close()
    err.close()
    srv = Server(proc=proc, url=url, started=t, logdir=logdir)
    if wait:
        wait_health(srv, timeout)
    return srv


def wait_health(srv: Server, timeout: float = 60) -> float:
    deadline = time.perf_counter() + timeout
    while not health_ok(srv.url):
        if srv.proc.poll() is not None or time.perf_counter() > deadline:
            stop_server(srv)
            raise RuntimeError(f"streamlit never became healthy at {srv.url}:\n{srv.stderr()[-3000:]}")
        time.sleep(0.05)
    srv.health_s = time.perf_counter() - srv.started
    return srv.health_s


def stop_server(srv: Server) -> None:
    proc = srv.proc
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
    if srv.logdir is not None:
        shutil.rmtree(srv.logdir, ignore_errors=True)


@contextmanager
def server(script: Path, **kw):
    srv = start_server(script, **kw)
    try:
        yield srv
    finally:
        stop_server(srv)


@contextmanager
def catalog_copy():
    """A temporary copy of the default catalog, so nothing here can touch the repository's file."""
    d = Path(tempfile.mkdtemp(prefix="planner-catalog-"))
    try:
        dst = d / "catalog.yaml"
        shutil.copyfile(ROOT / "pricing" / "default.yaml", dst)
        yield dst
    finally:
        shutil.rmtree(d, ignore_errors=True)
