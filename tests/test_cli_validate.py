"""`python -m planner validate [FILE]`: exit 0 and a one-line summary for a valid catalog; exit 1 and one
`FILE:LINE:COL: message` line per problem on stderr for an invalid one — never a traceback, and quickly
even for hostile input.

Most cases call `planner.cli.main([...])` in-process (fast); a few run the real command in a subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from importlib import metadata

import pytest

from planner.cli import main
from planner.engine.lifecycle import catalog_notices, prices_checked_after_shutdown
from pricing.loader import DEFAULT_CATALOG_PATH, load_catalog_file, summary
from pricing.safeyaml import MAX_BYTES

BIG_OUTPUT = '    output_usd_per_1m_tokens: {value: 4, source: "test", checked: 2026-11-01}'


def problem_lines(stderr: str, file) -> list[re.Match]:
    """Every stderr line must be `FILE:LINE:COL: message`, LINE and COL ≥ 1."""
    lines = stderr.splitlines()
    assert lines, "an invalid catalog must print at least one problem"
    pattern = re.compile(rf"^{re.escape(str(file))}:(\d+):(\d+): (.+)$")
    matches = []
    for line in lines:
        m = pattern.match(line)
        assert m, f"not a FILE:LINE:COL: message line: {line!r}"
        assert int(m.group(1)) >= 1 and int(m.group(2)) >= 1
        matches.append(m)
    return matches


def assert_no_internals(text: str) -> None:
    for word in ("Traceback", "pydantic", "<class", "NoneType"):
        assert word not in text, f"{word!r} in the output:\n{text}"


def run_cli(repo_root, *args, timeout=20) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", "validate", *map(str, args)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write(tmp_path, content, name="catalog.yaml"):
    f = tmp_path / name
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return f


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) == 1, needle
    return hits[0]


# ---------------------------------------------------------------- valid catalogs


def test_validate_without_file_checks_the_shipped_catalog(capsys):
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    cat = load_catalog_file(DEFAULT_CATALOG_PATH).catalog
    # one summary line, then one line per entry shut down, closed or ending soon (planner/engine/lifecycle.py)
    # the genai-prices version the catalog was checked against, beside the installed one (the same here)
    installed = metadata.version("genai-prices")
    assert lines[1] == f"genai-prices: catalog checked against {cat.genai_prices_version}; installed {installed}"
    notices = catalog_notices(cat)
    assert lines[3 : 3 + len(notices)] == [f"  {n.message()}" for n in notices]
    late = prices_checked_after_shutdown(cat)  # then the figures claimed live after a shutdown, if any
    assert len(lines) == 2 + (1 + len(notices) if notices else 0) + (1 + len(late) if late else 0)
    assert lines[0].startswith(f"{DEFAULT_CATALOG_PATH}: valid — ")
    for family, n in cat.family_counts().items():
        assert f"{n} {family}" in lines[0]
    assert f"{len(cat.stale_figures())} stale" in lines[0]


def test_validate_file_prints_the_loader_summary(capsys, mini_catalog_path, mini_catalog_text):
    assert main(["validate", str(mini_catalog_path)]) == 0
    out, err = capsys.readouterr()
    cat = load_catalog_file(mini_catalog_path).catalog
    assert err == ""
    assert out == f"{mini_catalog_path}: valid — {summary(cat)}\n"
    stores = mini_catalog_text.count("\n    billing: ")  # one per store (4; each billing shape's test entry adds one)
    assert f"2 embedding models, {stores} vector stores, 1 reranker, 2 LLMs, 3 fine-tuning offers, 1 GPU" in out


@pytest.mark.parametrize("days", [0, 100_000])
def test_stale_days_option_sets_the_stale_threshold(capsys, mini_catalog_path, days):
    cat = load_catalog_file(mini_catalog_path).catalog
    expected = len(cat.stale_figures(today=date.today(), after_days=days))
    assert main(["validate", str(mini_catalog_path), "--stale-days", str(days)]) == 0
    out = capsys.readouterr().out
    assert f"{expected} stale (checked over {days} days ago)" in out


def test_stale_figures_do_not_make_a_catalog_invalid(capsys, tmp_path, mini_catalog_text):
    old = BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2001-01-01")
    f = write(tmp_path, mutate(mini_catalog_text, BIG_OUTPUT, old))
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\b[1-9]\d* stale\b", out)


def test_validate_override_file_says_so(capsys, tmp_path):
    key = sorted(load_catalog_file().catalog.rerankers)[0]
    f = write(tmp_path, f'extends: default\nrerankers:\n  "{key}":\n    name: Our reranker\n', "override.yaml")
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{f}: valid (override over the default) — catalog ")


# ---------------------------------------------------------------- invalid catalogs, in-process

INVALID = {
    "negative-price": (
        lambda t: mutate(t, BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: -4")),
        "value: -4",
        "negative",
    ),
    "nan-price": (lambda t: mutate(t, BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: .nan")), "value: .nan", "NaN"),
    "unit-mistake": (
        lambda t: mutate(t, BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: 15000")),
        "value: 15000",
        "USD per 1M tokens",
    ),
    "typo": (
        lambda t: mutate(t, BIG_OUTPUT, BIG_OUTPUT.replace("output_usd", "ouput_usd")),
        "ouput_usd",
        "did you mean `output_usd_per_1m_tokens`?",
    ),
    "duplicate-key": (
        lambda t: mutate(t, "currency: USD\n", "currency: USD\ncurrency: EUR\n"),
        "currency: EUR",
        "duplicate key `currency`",
    ),
    "anchor": (lambda t: mutate(t, "currency: USD\n", "currency: &c USD\n"), "&c", "anchors"),
    "python-tag": (
        lambda t: mutate(t, 'version: "test-1"', 'version: !!python/object/apply:os.system ["echo pwned"]'),
        "!!python",
        "not allowed",
    ),
    "tab": (
        lambda t: mutate(t, "name: Test embedding\n    provider", "name: Test embedding\n\tprovider"),
        "\tprovider",
        "YAML syntax error",
    ),
}


@pytest.mark.parametrize("mutation, needle, phrase", INVALID.values(), ids=INVALID.keys())
def test_invalid_catalog_prints_located_problems(capsys, tmp_path, mini_catalog_text, mutation, needle, phrase):
    text = mutation(mini_catalog_text)
    f = write(tmp_path, text)
    assert main(["validate", str(f)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert_no_internals(err)
    matches = problem_lines(err, f)
    hits = [m for m in matches if phrase in m.group(3)]
    assert hits, err
    assert int(hits[0].group(1)) == line_of(text, needle)


def test_every_problem_gets_its_own_line(capsys, tmp_path, mini_catalog_text):
    text = mutate(mini_catalog_text, BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: -4"))
    text = mutate(text, "dimensions: 1000", "dimensions: lots")
    text = mutate(text, "memory_gb_per_instance: 4", "memory_gb_per_instance: .inf")
    f = write(tmp_path, text)
    assert main(["validate", str(f)]) == 1
    _, err = capsys.readouterr()
    matches = problem_lines(err, f)
    assert [int(m.group(1)) for m in matches] == [
        line_of(text, "dimensions: lots"),
        line_of(text, "memory_gb_per_instance"),
        line_of(text, "value: -4"),
    ]
    assert matches[0].group(3).startswith("embedding_models.emb.dimensions: ")


@pytest.mark.parametrize(
    "content, phrase",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"# only a comment\n", "no YAML document", id="only-comments"),
        pytest.param(b"- a\n- b\n", "top level must be a mapping", id="top-level-list"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="png"),
        pytest.param("version: café\n".encode("latin-1"), "not UTF-8", id="latin-1"),
        pytest.param(b"a: b\n" + b"#" * MAX_BYTES, "limit", id="oversize"),
    ],
)
def test_not_a_catalog_at_all(capsys, tmp_path, content, phrase):
    f = write(tmp_path, content)
    assert main(["validate", str(f)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert_no_internals(err)
    (m,) = problem_lines(err, f)
    assert phrase in m.group(3)


def test_missing_file(capsys, tmp_path):
    f = tmp_path / "nope.yaml"
    assert main(["validate", str(f)]) == 1
    _, err = capsys.readouterr()
    (m,) = problem_lines(err, f)
    assert "no such file" in m.group(3)


def test_folder_instead_of_file(capsys, tmp_path):
    assert main(["validate", str(tmp_path)]) == 1
    _, err = capsys.readouterr()
    (m,) = problem_lines(err, tmp_path)
    assert "folder" in m.group(3)
    assert_no_internals(err)


def test_override_problem_points_into_the_override(capsys, tmp_path):
    key = sorted(load_catalog_file().catalog.llms)[0]
    text = (
        "extends: default\n"
        "llms:\n"
        f'  "{key}":\n'
        "    input_usd_per_1m_tokens: {value: 2500, source: our contract, checked: 2026-10-01}\n"
    )
    f = write(tmp_path, text, "override.yaml")
    assert main(["validate", str(f)]) == 1
    _, err = capsys.readouterr()
    (m,) = problem_lines(err, f)
    assert int(m.group(1)) == 4 and "USD per 1M tokens" in m.group(3)


def test_control_character_is_a_located_problem_in_process(capsys, tmp_path, mini_catalog_text):
    text = mutate(mini_catalog_text, "name: Big model", "name: Big \x1b[1mmodel")
    f = write(tmp_path, text)
    assert main(["validate", str(f)]) == 1
    _, err = capsys.readouterr()
    (m,) = problem_lines(err, f)
    assert int(m.group(1)) == line_of(text, "\x1b")


# ---------------------------------------------------------------- the real command


def test_command_validates_the_shipped_catalog(repo_root):
    r = run_cli(repo_root)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    first, *rest = r.stdout.splitlines()
    assert ": valid — catalog " in first and " stale " in first
    assert all(line.startswith(("Entries ", "Figures ", "  ", "genai-prices: ")) for line in rest), rest


def _billion_laughs() -> str:
    lines = ['lol: &lol "lol"']
    for i in range(1, 10):
        prev = f"lol{i - 1}" if i > 1 else "lol"
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "content, line, phrase",
    [
        pytest.param(_billion_laughs(), 1, "anchors", id="billion-laughs"),
        pytest.param("version: " + "[" * 900_000, 1, "nesting deeper than", id="deep-nesting"),
        pytest.param("version: !!python/object/apply:os.system ['echo pwned']\n", 1, "not allowed", id="python-tag"),
        pytest.param("a: b\n" + "#" * (MAX_BYTES + 10), 1, "limit", id="oversize"),
    ],
)
def test_command_refuses_hostile_input_quickly_without_traceback(repo_root, tmp_path, content, line, phrase):
    f = write(tmp_path, content)
    r = run_cli(repo_root, f)  # timeout=20: a hang fails the test
    assert r.returncode == 1
    assert r.stdout == ""
    assert "pwned" not in r.stdout + r.stderr
    assert_no_internals(r.stderr)
    (m,) = problem_lines(r.stderr, f)
    assert int(m.group(1)) == line
    assert phrase in m.group(3)


def test_command_control_character_gives_a_located_line_not_a_traceback(repo_root, tmp_path, mini_catalog_text):
    text = mutate(mini_catalog_text, "name: Big model", "name: Big \x1b[1mmodel")
    f = write(tmp_path, text)
    r = run_cli(repo_root, f)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    (m,) = problem_lines(r.stderr, f)
    assert int(m.group(1)) == line_of(text, "\x1b")


def test_validate_warns_when_the_installed_genai_prices_is_not_the_stamped_one(capsys, monkeypatch):
    monkeypatch.setattr("pricing.versions.installed_version", lambda: "0.1.0")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    stamped = load_catalog_file(DEFAULT_CATALOG_PATH).catalog.genai_prices_version
    assert f"genai-prices: catalog checked against {stamped}; installed 0.1.0" in out
    assert f"warning: the catalog was checked against genai-prices {stamped}, but 0.1.0 is installed" in out
