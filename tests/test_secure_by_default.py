"""Secure by default: who may save, what the CLI writes and reads, what text and numbers files may hold.

Each test names the finding it holds to (Medium 1-3, Low 4-12 of the hostile-input probe); each
failed on the code before the fix.
"""

from __future__ import annotations

import pytest

from planner.ui import access

WRITABLE = {"PLANNER_WRITABLE": "1"}


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

    from benchmarks.bench_editor import PricingClient
    from benchmarks.bench_server import ROOT, catalog_copy, server

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
