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


# ---------------------------------------------------------------- Medium 3: the CLI writes only regular files

import os  # noqa: E402
import stat  # noqa: E402
from pathlib import Path  # noqa: E402

from planner import cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_catalog.yaml"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_out_refuses_a_symbolic_link_and_leaves_it(tmp_path, capsys):
    """`report --out LINK` replaced the link with a regular file (temp file + rename)."""
    target = tmp_path / "keep.txt"
    target.write_text("mine\n")
    link = tmp_path / "report.pdf"
    link.symlink_to(target)
    code, _, err = run_cli(capsys, "report", "--out", str(link))
    assert code == 1
    assert "is a symbolic link" in err and "nothing was written" in err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "mine\n"


def test_report_out_refuses_a_fifo_and_leaves_it(tmp_path, capsys):
    """A FIFO at `--out` was replaced; as root `--out /dev/null` replaced /dev/null. Tried on a temporary FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "report", "--out", str(fifo))
    assert code == 1
    assert "named pipe (FIFO)" in err and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left beside it


def test_report_out_refuses_a_device(capsys):
    """Checked without writing anything: the path is refused before the report is written (lstat only)."""
    from pricing.safefile import WriteRefused, check_writable_path

    with pytest.raises(WriteRefused, match="is a device"):
        check_writable_path("/dev/null")


def test_report_out_writes_a_new_file_and_replaces_a_regular_one(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    code, stdout, _ = run_cli(capsys, "report", "--out", str(out))
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    out.write_text("old")
    code, stdout, _ = run_cli(capsys, "report", "--out", str(out))
    assert code == 0 and out.read_bytes().startswith(b"%PDF") and f"wrote {out}" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


# ---------------------------------------------------------------- Low 4: bounded reads, no traceback, no hang


def test_the_bounded_reader_refuses_what_is_not_a_regular_file(tmp_path):
    from planner.files import read_regular_file
    from pricing.errors import InputError

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):  # no writer: a plain open would wait forever
        read_regular_file(fifo, 1000)
    with pytest.raises(InputError, match="a device"):  # an endless read until MemoryError before
        read_regular_file("/dev/zero", 1000)
    with pytest.raises(InputError, match="folder"):
        read_regular_file(tmp_path, 1000)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(InputError, match="1,001 bytes, above the 1,000-byte limit"):
        read_regular_file(big, 1000)
    assert read_regular_file(MINI, 1_000_000) == MINI.read_bytes()


def hostile_cases(d: Path) -> dict[str, Path]:
    """The hostile inputs the probe tried, as files: every CLI command is run over each."""
    cases = {}
    os.mkfifo(d / "fifo.yaml")
    cases["fifo"] = d / "fifo.yaml"
    cases["dev-zero"] = Path("/dev/zero")
    cases["folder"] = d
    (d / "dangling.yaml").symlink_to(d / "nowhere")
    cases["dangling link"] = d / "dangling.yaml"
    cases["missing"] = d / "missing.yaml"
    for name, data in {
        "binary": b"\x00\x01\x02" * 100,
        "not utf-8": b"name: caf\xe9\n",
        "huge": b"# " + b"x" * 1_100_000 + b"\n",
        "empty": b"",
        "alias bomb": b"a: &a [1,1]\nb: &b [*a,*a]\nc: [*b,*b]\n",
        "escapes": MINI.read_bytes().replace(b"version:", b'description: "\\e[2J\\e]0;owned\\a"\nversion:', 1),
        "yaml 1.1 numbers": b"workload:\n  queries_per_month: 1:30\n  top_k: 010\n",
        "list": b"- 1\n- 2\n",
        "deep": b"a: " + b"[" * 200 + b"]" * 200 + b"\n",
    }.items():
        p = d / f"{name.replace(' ', '-')}.yaml"
        p.write_bytes(data)
        cases[name] = p
    ro = d / "read-only.yaml"
    ro.write_bytes(MINI.read_bytes())
    ro.chmod(0o444)
    cases["read-only catalog"] = ro
    locked = d / "locked.yaml"
    locked.write_bytes(MINI.read_bytes())
    (d / ".locked.yaml.lock").mkdir()  # the lock path is a folder
    cases["lock is a folder"] = locked
    return cases


def commands(path: Path, out: Path) -> list[list[str]]:
    p = str(path)
    return [
        ["validate", p],
        ["estimate", "--scenario", p],
        ["estimate", "--catalog", p, "--format", "json"],
        ["recommend", "--scenario", p],
        ["recommend", "--catalog", p],
        ["report", "--scenario", p, "--out", str(out)],
        ["prices", "check", "--file", p],
        ["prices", "sync", "--file", p, "--write"],
        ["prices", "add", "openai:gpt-4o", "--key", "added-one", "--file", p],
        ["report", "--out", p],  # last: it replaces a regular file it may write
    ]


def test_no_cli_command_prints_a_traceback_or_hangs_on_any_hostile_input(tmp_path, capsys):
    """Every subcommand over every hostile case: a sentence and exit 1 (or success), never a traceback, an
    internal error or a hang (an alarm stops a hung command). `prices add` on a read-only catalog and with a
    lock path that is a folder let a `SaveError` escape; `validate FIFO` hung; `validate /dev/zero` ran out
    of memory."""
    import signal

    def hung(signum, frame):
        raise TimeoutError("the command hung")

    cases = hostile_cases(tmp_path / "cases" if (tmp_path / "cases").mkdir() is None else tmp_path)
    out = tmp_path / "out.pdf"
    old = signal.signal(signal.SIGALRM, hung)
    seen = []
    try:
        for name, path in cases.items():
            for argv in commands(path, out):
                signal.alarm(20)
                try:
                    code = cli.main(argv)
                finally:
                    signal.alarm(0)
                _, err = capsys.readouterr()
                seen.append((name, argv[:2], code))
                assert code in (0, 1), (name, argv, code, err)
                assert "Traceback" not in err and "internal error" not in err, (name, argv, err)
                assert "\x1b" not in err, (name, argv)  # no terminal escape reaches the terminal
                if code == 1:
                    assert err.strip(), (name, argv)  # a refusal says why
    finally:
        signal.signal(signal.SIGALRM, old)
    assert len(seen) == len(cases) * 10
    assert cases["fifo"].exists() and stat.S_ISFIFO(os.lstat(cases["fifo"]).st_mode)
    assert cases["read-only catalog"].read_bytes() == MINI.read_bytes()


def test_prices_add_on_a_read_only_catalog_is_a_sentence(tmp_path, capsys):
    ro = tmp_path / "cat.yaml"
    ro.write_bytes(MINI.read_bytes())
    ro.chmod(0o444)
    code, _, err = run_cli(capsys, "prices", "add", "openai:gpt-4o", "--key", "new-one", "--file", str(ro))
    assert code == 1 and "read-only, so it was not overwritten" in err
    assert ro.read_bytes() == MINI.read_bytes()


@pytest.mark.parametrize("option", ["--context-window", "--dimensions"])
def test_prices_add_refuses_a_zero_count(tmp_path, option, capsys):
    """`prices add --context-window 0` was silently ignored."""
    cat = tmp_path / "cat.yaml"
    cat.write_bytes(MINI.read_bytes())
    with pytest.raises(SystemExit) as info:
        cli.main(["prices", "add", "openai:gpt-4o", "--key", "x", option, "0", "--file", str(cat)])
    assert info.value.code == 2
    assert f"argument {option}: 0: give a whole number from 1" in capsys.readouterr().err
    assert cat.read_bytes() == MINI.read_bytes()


def test_a_bad_argument_is_named_not_located_at_a_line_that_is_not_on_disk(tmp_path, capsys):
    """`prices add --dimensions 999999999` was reported at `FILE:465:5`, a line of the text built in memory."""
    cat = tmp_path / "cat.yaml"
    cat.write_bytes(MINI.read_bytes())
    code, _, err = run_cli(
        capsys, "prices", "add", "openai:text-embedding-3-small", "--dimensions", "999999999", "--file", str(cat)
    )
    assert code == 1
    assert err.startswith("error: --dimensions: ") and "implausibly large" in err and "nothing was written" in err
    assert f"{cat}:" not in err
    assert cat.read_bytes() == MINI.read_bytes()


def test_the_cli_does_not_hang_on_a_fifo_in_a_real_process(tmp_path):
    import subprocess
    import sys

    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "planner", "estimate", "--scenario", str(fifo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "named pipe (FIFO), not a regular file" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------- Low 5: YAML 1.1 number spellings


@pytest.mark.parametrize(
    "written, yaml11",
    [("1:30", 90), ("010", 8), ("0x10", 16), ("0b11", 3), ("1:30.5", 90.5)],
)
def test_a_yaml_1_1_number_is_refused_with_its_place_in_a_scenario(written, yaml11):
    """`top_k: 010` was read as 8 (and `1:30` as 90): valid, and priced wrong."""
    import yaml

    from planner.files import read_scenario
    from pricing.errors import InputError

    text = f"name: mine\nworkload:\n  top_k: {written}\n"
    assert yaml.safe_load(text)["workload"]["top_k"] == yaml11  # what PyYAML alone makes of it
    with pytest.raises(InputError) as info:
        read_scenario(text, "s.yaml")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column, problem.path) == ("s.yaml", 3, 10, "workload.top_k")
    assert f"`{written}` is a number YAML versions read differently" in problem.message


def test_a_yaml_1_1_number_is_refused_in_a_catalog(default_catalog_text):
    from pricing.errors import InputError
    from pricing.loader import parse_catalog

    lines = default_catalog_text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("value:"))
    indent = lines[at][: lines[at].index("value:")]
    lines[at] = f"{indent}value: 0x10\n"
    with pytest.raises(InputError) as info:
        parse_catalog("".join(lines), "cat.yaml")
    first = info.value.problems[0]
    assert (first.line, first.column) == (at + 1, len(indent) + 8)
    assert "`0x10` is a number YAML versions read differently" in first.message


@pytest.mark.parametrize("written, value", [("90", 90), ("'010'", "010"), ("1e6", 1e6), ("0.05", 0.05), ("0", 0)])
def test_plain_decimal_numbers_and_quoted_text_still_read(written, value):
    from pricing.safeyaml import parse_yaml

    assert parse_yaml(f"a: {written}\n", "f").data == {"a": value}


# ---------------------------------------------------------------- Low 10, 11: control characters, blank names


def test_terminal_escapes_in_catalog_text_are_refused_and_never_printed(tmp_path, capsys):
    r"""`description: "\e[2J\e]0;…\a"` in a catalog reached the terminal through `validate` (which CI runs)."""
    cat = tmp_path / "cat.yaml"
    cat.write_bytes(MINI.read_bytes().replace(b"version:", b'description: "\\e[2J\\e]0;owned\\a"\nversion:', 1))
    code, out, err = run_cli(capsys, "validate", str(cat))
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "the control character U+001B is not allowed in text" in err
    assert err.startswith(f"{cat}:") and ":1:" not in err.split(":", 2)[1]  # located at its line


@pytest.mark.parametrize(
    "name, problem",
    [
        ("   ", "the name is blank"),
        ("\u00a0\u2003", "the name is blank"),
        ("Plan \u202eevil\u202c", r"U\+202E is not allowed"),
        ("Plan \x1b[31mred", r"U\+001B is not allowed"),
    ],
)
def test_a_blank_or_disguised_scenario_name_is_refused(name, problem):
    """`name=%20%20%20` rendered as `****` or a rule; a right-to-left override reversed the headers."""
    from pydantic import ValidationError

    from planner.scenario import Scenario

    with pytest.raises(ValidationError, match=problem):
        Scenario(name=name)


def test_a_blank_url_name_is_ignored_with_a_message_that_shows_no_control_character():
    from planner.scenario import Scenario
    from planner.ui import params

    _, scenario, problems = params.decode({"name": "   "}, {})
    assert scenario.name == Scenario().name and "the name is blank" in problems[0]
    _, scenario, problems = params.decode({"name": "a\u202eb\x1b[2J"}, {})
    assert scenario.name == Scenario().name
    assert "\u202e" not in problems[0] and "\x1b" not in problems[0] and "\\u202e" in problems[0]


def test_a_name_is_kept_on_one_line_without_padding():
    from planner.scenario import Scenario

    assert Scenario(name="  Support   bot \n").name == "Support bot"


def test_a_description_keeps_its_lines_but_no_escapes():
    from pydantic import ValidationError

    from planner.scenario import Scenario

    assert Scenario(description="line one\nline two").description == "line one\nline two"
    with pytest.raises(ValidationError, match=r"U\+0007"):
        Scenario(description="bell\a")


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


# ---------------------------------------------------------------- Low 12


def test_money_at_the_models_maxima_reads_in_trillions():
    """$300,000,000,000,000 showed as `$300000B`."""
    from planner.format import count, usd, usd_tick

    assert usd(3e14) == "$300T"  # 3e14 / 1e12 = 300
    assert usd(1.234e12) == "$1.23T"  # 1.234e12 / 1e12 = 1.234, three figures
    assert usd_tick(2e12) == "$2T"
    assert count(4.5e12) == "4.5T"
    assert usd(3.4e9) == "$3.40B"  # below a trillion: as before


def test_a_choice_in_another_case_is_read_and_full_width_digits_are_refused():
    """`precision=fp8` was refused when written `FP8`, while `q=１２３４` (full-width digits) was read as 1234."""
    from planner.scenario import Scenario
    from planner.ui import params

    _, scenario, problems = params.decode({"serving": "self_hosted", "precision": "FP8"}, {})
    assert scenario.stack.precision == "fp8" and problems == []
    _, scenario, problems = params.decode({"q": "\uff11\uff12\uff13\uff14"}, {})
    assert scenario.workload.queries_per_month == Scenario().workload.queries_per_month
    assert len(problems) == 1 and "ignored" in problems[0]


def test_a_field_given_under_two_names_in_one_url_is_said():
    """`q=1000&workload.queries_per_month=2000` silently kept one of them."""
    from planner.ui import params

    _, scenario, problems = params.decode({"q": "1000", "workload.queries_per_month": "2000"}, {})
    assert scenario.workload.queries_per_month == 1000
    assert problems == ["URL: `workload.queries_per_month` sets the same setting as `q`, given first; ignored"]


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
