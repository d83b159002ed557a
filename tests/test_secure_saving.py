"""Secure by default, saving: who may save (the operator's opt-in, a request whose Host names this machine,
a forged save from a DNS-rebound page against a real server), what a save keeps (.bak) and the lock.

Each test names the finding it holds to (Medium 1-2, Low 7-9 of the hostile-input probe); each failed on
the code before the fix. The CLI's reads and writes and what text files may hold: test_secure_inputs.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner import cli
from planner.ui import access

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_catalog.yaml"
WRITABLE = {"PLANNER_WRITABLE": "1"}


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- Medium 1: a forged save from a rebound page


@pytest.mark.parametrize(
    "headers, address, allowed",
    [
        ({"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}, "127.0.0.1", True),
        ({"Host": "localhost:8501", "Origin": "http://localhost:8501"}, "127.0.0.1", True),
        ({"Host": "[::1]:8501"}, "::1", True),
        ({"Host": "127.0.0.2:8501"}, "127.0.0.1", True),  # all of 127.0.0.0/8 is this machine
        # the rebinding attack: Host and Origin agree with each other, not with this machine
        ({"Host": "rebind.example:8501", "Origin": "http://rebind.example:8501"}, "127.0.0.1", False),
        ({"Host": "127.evil.example:8501"}, "127.0.0.1", False),
        ({"Host": "localhost.evil.example"}, "127.0.0.1", False),
        ({"Host": "localhost:8501", "Origin": "http://rebind.example:8501"}, "127.0.0.1", False),
        ({}, "127.0.0.1", False),  # no Host at all: nothing proves where the page came from
        ({"Host": "planner.team.internal"}, "planner.team.internal", True),  # the configured address
        ({"Host": "10.1.2.3:8501"}, "0.0.0.0", False),
    ],
)
def test_a_save_needs_a_request_whose_host_names_this_machine(headers, address, allowed):
    got = access.write_access(WRITABLE, address, headers)
    assert got.allowed is allowed, got
    if not allowed:
        assert "Saving is off for this page" in got.reason
        assert "localhost" in got.reason  # the way to save: open the app as localhost


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host"])
def test_a_request_relayed_by_a_proxy_on_loopback_does_not_save(header):
    """Medium 2a: behind a reverse proxy on loopback (nginx's default passes `Host: 127.0.0.1:8501`) every visitor
    looked local. A relayed request saves only under a name the operator listed."""
    relayed = {"Host": "127.0.0.1:8501", header: "203.0.113.7"}
    got = access.write_access(WRITABLE, "127.0.0.1", relayed)
    assert not got.allowed and "through a proxy" in got.reason and "PLANNER_HOSTS" in got.reason
    env = {**WRITABLE, "PLANNER_HOSTS": "planner.example"}
    assert access.write_access(env, "127.0.0.1", {"Host": "planner.example", header: "203.0.113.7"}).allowed


def test_a_name_the_operator_lists_may_save():
    env = {**WRITABLE, "PLANNER_HOSTS": "planner.example, other.example"}
    assert access.write_access(env, "0.0.0.0", {"Host": "Planner.Example:443"}).allowed
    assert not access.write_access(env, "0.0.0.0", {"Host": "third.example"}).allowed


def test_the_reason_names_the_host_the_page_was_opened_as():
    got = access.write_access(WRITABLE, "127.0.0.1", {"Host": "rebind.example:8501"})
    assert "'rebind.example:8501'" in got.reason and "DNS rebinding" in got.reason


# ---------------------------------------------------------------- Medium 2: read-only cannot fail open


@pytest.mark.parametrize("value", ["readonly", "read-only", "ro", "y", "enabled", "2", "1.0"])
def test_an_unrecognized_flag_value_refuses_to_start(value):
    """`PLANNER_READ_ONLY=ro` once left saving on without a word."""
    for name in ("PLANNER_READ_ONLY", "PLANNER_WRITABLE"):
        with pytest.raises(access.FlagError, match=name):
            access.check_environment({name: value})
        with pytest.raises(access.FlagError):
            access.write_access({name: value}, "::1")


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("0.0.0.0", False),
        ("128.0.0.1", False),
        ("", False),
    ],
)
def test_loopback_is_parsed_exactly(host, loopback):
    assert access.is_loopback(host) is loopback


def test_the_address_127_evil_example_does_not_make_a_server_local():
    """`--server.address 127.evil.example` counted as loopback (`startswith("127.")`)."""
    got = access.write_access(WRITABLE, "127.evil.example", {"Host": "127.evil.example:8501"})
    assert got.allowed  # the operator named that address: a request for it is this server's own
    got = access.write_access(WRITABLE, "127.evil.example", {"Host": "rebind.example:8501"})
    assert not got.allowed
    assert access.write_access({}, "127.evil.example", {"Host": "127.evil.example:8501"}).allowed is False


def test_make_run_opts_in_on_loopback_only():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def dry(*args: str) -> str:
        env = {"PATH": "/usr/bin:/bin"}
        out = subprocess.run(["make", "-n", "-s", "run", *args], cwd=root, env=env, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    assert dry().startswith("PLANNER_WRITABLE=1 ")
    assert dry("ADDRESS=0.0.0.0").startswith("PLANNER_WRITABLE=0 ")


def in_a_thread(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` in a thread of its own (Playwright's sync API may hold this thread's event loop)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def test_a_forged_save_from_a_rebound_page_leaves_the_catalog_file_unchanged():
    """The attack on a real `make run` server (127.0.0.1, `PLANNER_WRITABLE=1`): a page of `rebind.example`
    re-resolved to 127.0.0.1 opens the app with its own `Host` and `Origin` (they agree, which is all Streamlit
    checks) and presses Save with its prices. The file is unchanged; the same messages from a page opened as
    127.0.0.1 do save (so the rig really presses Save)."""
    import asyncio

    from tools.pricing_client import PricingClient
    from tools.streamlit_server import ROOT, catalog_copy, server

    async def save_as(port: int, name: str, text: str) -> tuple[bool, str]:
        c = PricingClient(port, host=f"{name}:{port}", origin=f"http://{name}:{port}")
        await c.connect()
        try:
            await c.run()
            return c.save_disabled, await c.press("Save to catalog file", text)
        finally:
            await c.close()

    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat, env_extra={"PLANNER_WRITABLE": "1"}) as srv:
        port = int(srv.url.rsplit(":", 1)[1])
        before = cat.read_bytes()
        forged = before.decode() + "\n# the attacker's prices\n"
        disabled, page = in_a_thread(asyncio.run, save_as(port, "rebind.example", forged))
        assert cat.read_bytes() == before
        assert disabled
        shown = page.replace("\\", "")  # the page's markdown, its escapes dropped
        assert "Saving is off for this page" in shown and "rebind.example" in shown
        disabled, page = in_a_thread(asyncio.run, save_as(port, "127.0.0.1", forged))
        assert not disabled
        assert cat.read_text(encoding="utf-8") == forged


# ---------------------------------------------------------------- Low 7, 8: .bak and the lock


def edited(text: str) -> str:
    return text + "# edited\n"


@pytest.fixture
def cat(tmp_path) -> Path:
    p = tmp_path / "cat.yaml"
    p.write_bytes(MINI.read_bytes())
    return p


def test_a_double_save_keeps_the_real_previous_version(cat):
    """A second Save of the same text made the .bak a copy of the text just saved: the real previous version lost."""
    from pricing.loader import load_catalog_file
    from pricing.store import backup_path, save_catalog

    original = cat.read_bytes()
    loaded = load_catalog_file(cat)
    first = save_catalog(edited(loaded.text), cat, loaded.sha256)
    second = save_catalog(edited(loaded.text), cat, first.sha256)  # Save pressed again, nothing changed
    assert backup_path(cat).read_bytes() == original
    assert not second.written and second.backup is None
    assert first.written and first.backup == backup_path(cat)


def test_the_bak_named_is_the_real_one(tmp_path):
    """A symlinked catalog's .bak is beside the real file; a new file has none (messages named one that did
    not exist)."""
    from planner.ui.catalog import saved_detail
    from pricing.loader import load_catalog_file
    from pricing.store import save_catalog

    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "prices.yaml"
    real.write_bytes(MINI.read_bytes())
    link = tmp_path / "catalog.yaml"
    link.symlink_to(real)
    loaded = load_catalog_file(link)
    saved = save_catalog(edited(loaded.text), link, loaded.sha256, shown_as="catalog.yaml")
    assert saved.backup == real_dir / "prices.yaml.bak" and saved.backup.read_bytes() == MINI.read_bytes()
    assert not (tmp_path / "catalog.yaml.bak").exists()
    said = saved_detail(saved, link)
    assert "prices.yaml.bak" in said and "catalog.yaml.bak" not in said

    new = tmp_path / "new.yaml"
    fresh = save_catalog(MINI.read_text(), new, None)
    assert fresh.backup is None and not (tmp_path / "new.yaml.bak").exists()
    assert "no previous version" in saved_detail(fresh, new)


def test_the_cli_names_the_real_bak(tmp_path, capsys, monkeypatch):
    from pricing import genai_sync as gs

    real = tmp_path / "prices.yaml"
    real.write_bytes(MINI.read_bytes())
    link = tmp_path / "catalog.yaml"
    link.symlink_to(real)
    monkeypatch.setattr(gs, "sync_text", lambda text, *a, **k: (edited(text), [], []))
    code, out, _ = run_cli(capsys, "prices", "sync", "--file", str(link), "--write")
    assert code == 0
    assert f"previous version kept as {tmp_path / 'prices.yaml.bak'}" in out


def test_a_lock_left_by_root_does_not_block_saves(cat, monkeypatch):
    """A root-owned `.cat.yaml.lock` (0644) left by one `sudo … prices sync --write` blocked every later save:
    the lock was opened for writing. It is opened read-only now; tried here as a lock without write permission."""
    from pricing.loader import load_catalog_file
    from pricing.store import lock_path, save_catalog

    lock = lock_path(cat)
    lock.write_bytes(b"")
    lock.chmod(0o444)
    real_open = os.open

    def as_another_user(path, flags, *a):  # root may open anything: deny what a non-owner would be denied
        if str(path) == str(lock) and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *a)

    monkeypatch.setattr(os, "open", as_another_user)
    loaded = load_catalog_file(cat)
    save_catalog(edited(loaded.text), cat, loaded.sha256)
    assert cat.read_text() == edited(loaded.text)


def test_the_lock_is_never_opened_through_a_link(cat, tmp_path):
    """The lock open followed a dangling symbolic link (and created its target)."""
    from pricing.errors import SaveError
    from pricing.loader import load_catalog_file
    from pricing.store import lock_path, save_catalog

    elsewhere = tmp_path / "elsewhere"
    lock_path(cat).symlink_to(elsewhere)
    loaded = load_catalog_file(cat)
    with pytest.raises(SaveError, match="symbolic link"):
        save_catalog(edited(loaded.text), cat, loaded.sha256)
    assert not elsewhere.exists()
    assert cat.read_bytes() == MINI.read_bytes()


def test_the_lock_file_is_ignored_by_git():
    import subprocess

    done = subprocess.run(
        ["git", "check-ignore", "-q", "pricing/.default.yaml.lock"], cwd=ROOT, capture_output=True, timeout=30
    )
    assert done.returncode == 0


def test_the_app_waits_for_a_held_lock_about_a_second_not_ten():
    """A hung holder blocked the page's script thread for 10 s (`LOCK_TIMEOUT_SECONDS`)."""
    from planner.ui import catalog
    from pricing import store

    assert catalog.SAVE_LOCK_WAIT_SECONDS <= 1.0 < store.LOCK_TIMEOUT_SECONDS


def test_the_app_passes_its_wait_to_the_save(tmp_path, monkeypatch):
    from planner.ui import catalog, session
    from pricing import store

    seen = {}

    def fake_save(text, path, sha, *, shown_as=None, lock_timeout_seconds=None):
        seen["wait"] = lock_timeout_seconds
        raise store.ConflictError("held")

    monkeypatch.setattr(catalog, "save_catalog", fake_save)
    monkeypatch.setattr(catalog, "write_access", lambda: access.WriteAccess(True, ""))
    s = session.Session(cat_path=str(tmp_path / "cat.yaml"))
    monkeypatch.setattr(session, "get", lambda: s)
    assert catalog.save_catalog_text("x")[0] == "conflict"
    assert seen["wait"] == catalog.SAVE_LOCK_WAIT_SECONDS


def test_a_crlf_file_with_a_bom_keeps_both_when_a_line_is_rewritten(cat):
    """`prices sync --write` on a CRLF file with a BOM wrote mixed line endings and dropped the BOM."""
    import codecs

    from pricing.loader import load_catalog_file
    from pricing.store import save_catalog

    cat.write_bytes(codecs.BOM_UTF8 + MINI.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_catalog_file(cat)
    assert "\r\n" in loaded.text
    rewritten = loaded.text.replace("\r\n", "\n", 1) + "# one line edited the LF way\n"  # as sync's edits do
    saved = save_catalog(rewritten, cat, loaded.sha256)
    data = cat.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(b"\n") == data.count(b"\r\n")  # every line end is CRLF
    assert load_catalog_file(cat).sha256 == saved.sha256  # the next save is not a conflict


def test_the_editor_memory_benchmark_runs():
    """`benchmarks/bench_editor.py` end to end (2 sessions): each 1 MB four-byte text is refused with a message
    (asserted inside the run), and the server's memory is sampled before, after and 10 s after."""
    from benchmarks import bench_editor

    res = in_a_thread(bench_editor.run, sessions=2)
    assert res["sessions"] == 2
    assert {"before", "after 2 sessions", "10 s after the last", "peak"} <= set(res)
    assert res["peak"] >= res["before"] > 0


def test_a_blank_catalog_entry_name_is_refused_with_its_place(default_catalog_text):
    from pricing.errors import InputError
    from pricing.loader import parse_catalog

    lines = default_catalog_text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    name: "))
    lines[at] = '    name: "   "\n'
    with pytest.raises(InputError) as info:
        parse_catalog("".join(lines), "cat.yaml")
    (problem,) = info.value.problems
    assert problem.line == at + 1 and problem.path.endswith(".name") and "the name is blank" in problem.message
