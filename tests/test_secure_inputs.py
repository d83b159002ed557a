"""Secure by default, inputs: the CLI writes only regular files, reads bounded regular files, never prints a
traceback or hangs on any hostile input; YAML 1.1 numbers, control characters and blank names refused; the
smaller findings (Low 12).

Each test names the finding it holds to (Medium 3, Low 4-5, 10-12 of the hostile-input probe); each failed
on the code before the fix. Saving and the lock: test_secure_saving.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from planner import cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_catalog.yaml"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- Medium 3: the CLI writes only regular files


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


def test_traffic_fit_out_refuses_a_symbolic_link_and_leaves_it(tmp_path, capsys):
    """`traffic fit --out LINK` replaced the link with a regular file, through a predictable `LINK.tmp`."""
    logs = tmp_path / "usage.csv"
    logs.write_text("timestamp,model,input_tokens,output_tokens\n2026-11-01T00:00:00Z,gpt-4o,100,50\n")
    target = tmp_path / "keep.yaml"
    target.write_text("mine\n")
    link = tmp_path / "fitted.yaml"
    link.symlink_to(target)
    code, _, err = run_cli(capsys, "traffic", "fit", str(logs), "--out", str(link))
    assert code == 1 and "is a symbolic link" in err, err
    assert link.is_symlink() and target.read_text() == "mine\n"


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
    from pricing.errors import InputError
    from pricing.safefile import read_regular_file

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
        ["prices", "add", "openai:gpt-4o", "--key", "added-one", "--checked", "2026-11-30", "--file", p],
        ["quality", "import", p, "--option", "rag"],
        ["traffic", "fit", p],
        ["traffic", "reconcile", p],
        ["estimate", "--preset", "support-bot", "--catalog", p],
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
    assert len(seen) == len(cases) * 14
    assert cases["fifo"].exists() and stat.S_ISFIFO(os.lstat(cases["fifo"]).st_mode)
    assert cases["read-only catalog"].read_bytes() == MINI.read_bytes()


def test_prices_add_on_a_read_only_catalog_is_a_sentence(tmp_path, capsys):
    ro = tmp_path / "cat.yaml"
    ro.write_bytes(MINI.read_bytes())
    ro.chmod(0o444)
    code, _, err = run_cli(
        capsys, "prices", "add", "openai:gpt-4o", "--key", "new-one", "--checked", "2026-11-30", "--file", str(ro)
    )
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
        capsys,
        "prices",
        "add",
        "openai:text-embedding-3-small",
        "--dimensions",
        "999999999",
        "--checked",
        "2026-11-30",
        "--file",
        str(cat),
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

    from planner.model.files import read_scenario
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

    from planner.model.scenario import Scenario

    with pytest.raises(ValidationError, match=problem):
        Scenario(name=name)


def test_a_blank_url_name_is_ignored_with_a_message_that_shows_no_control_character():
    from planner.model.scenario import Scenario
    from planner.ui import params

    _, scenario, problems = params.decode({"name": "   "}, {})
    assert scenario.name == Scenario().name and "the name is blank" in problems[0]
    _, scenario, problems = params.decode({"name": "a\u202eb\x1b[2J"}, {})
    assert scenario.name == Scenario().name
    assert "\u202e" not in problems[0] and "\x1b" not in problems[0] and "\\u202e" in problems[0]


def test_a_name_is_kept_on_one_line_without_padding():
    from planner.model.scenario import Scenario

    assert Scenario(name="  Support   bot \n").name == "Support bot"


def test_a_description_keeps_its_lines_but_no_escapes():
    from pydantic import ValidationError

    from planner.model.scenario import Scenario

    assert Scenario(description="line one\nline two").description == "line one\nline two"
    with pytest.raises(ValidationError, match=r"U\+0007"):
        Scenario(description="bell\a")


# ---------------------------------------------------------------- Low 12


def test_money_at_the_models_maxima_reads_in_trillions():
    """$300,000,000,000,000 showed as `$300000B`."""
    from planner.model.format import count, usd, usd_tick

    assert usd(3e14) == "$300T"  # 3e14 / 1e12 = 300
    assert usd(1.234e12) == "$1.23T"  # 1.234e12 / 1e12 = 1.234, three figures
    assert usd_tick(2e12) == "$2T"
    assert count(4.5e12) == "4.5T"
    assert usd(3.4e9) == "$3.40B"  # below a trillion: as before


def test_a_choice_in_another_case_is_read_and_full_width_digits_are_refused():
    """`precision=fp8` was refused when written `FP8`, while `q=１２３４` (full-width digits) was read as 1234."""
    from planner.model.scenario import Scenario
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
