"""The front door: every command block of the README runs verbatim, presets by name from any directory, and
writing commands refuse to write inside an installed package."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from planner import cli
from planner.model.files import SCENARIOS_DIR
from pricing.loader import DEFAULT_CATALOG_PATH

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: README lines that are not this program: the setup commands (they install or serve; `make test` runs this).
NOT_RUN = {"make run", "make test-fast", "make test", "pip install ."}


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _commands() -> list[str]:
    """Each command line of the README's sh blocks: continuations joined, comments dropped."""
    out = []
    for block in _blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                out.append(" ".join(words))
    return out


@pytest.fixture
def clone_like(tmp_path, monkeypatch):
    """A working directory with the clone's examples/, and the shipped catalog as a copy the writing
    commands may change (the repository's file is never touched)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    catalog = tmp_path / "pricing" / "default.yaml"
    catalog.parent.mkdir()
    shutil.copyfile(DEFAULT_CATALOG_PATH, catalog)
    monkeypatch.setattr(cli, "DEFAULT_CATALOG_PATH", catalog)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_runs_verbatim_every_command_and_the_python_example(clone_like, capsys):
    commands = _commands()
    skipped = {c for c in commands if not c.startswith(("llm-planner ", ".venv/bin/python -m planner "))}
    assert skipped <= NOT_RUN | {"pip install . or: pipx install ."}, skipped
    ran = 0
    for command in commands:
        if command in skipped:
            continue
        words = shlex.split(command)
        args = words[1:] if words[0] == "llm-planner" else words[3:]
        code = cli.main(args)
        out, err = capsys.readouterr()
        assert code == 0, (command, err)
        ran += 1
    assert ran >= 12
    assert (clone_like / "legal-qa.pdf").read_bytes().startswith(b"%PDF")  # the report example wrote it
    assert "gpt-6.2-sol:" in (clone_like / "pricing" / "default.yaml").read_text(encoding="utf-8")
    (python,) = _blocks("python")
    exec(compile(python, "README.md", "exec"), {})  # from a directory that is not the clone
    assert (clone_like / "report.pdf").read_bytes().startswith(b"%PDF")


def test_the_readme_states_five_options_and_the_test_commands():
    first = README.split("\n\n")[1]
    assert "Prompt only, long context, RAG, fine-tuning, or a hybrid" in first
    flat = " ".join(README.split())
    assert "all five architectures" in flat and "four architectures" not in flat and "all four" not in flat
    assert "make test-fast" in README and "minutes" in README


def test_pdfs_written_in_the_clone_root_are_ignored_by_git():
    assert "/*.pdf" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_presets_are_named_and_a_preset_runs_from_any_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # not the clone: `scenarios/...` paths would not resolve here
    assert cli.main(["presets"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))
    assert cli.main(["recommend", "--preset", "legal-qa", "--format", "json"]) == 0
    by_preset = json.loads(capsys.readouterr().out)
    assert cli.main(["recommend", "--scenario", str(SCENARIOS_DIR / "legal-qa.yaml"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == by_preset  # the same scenario as the file
    assert cli.main(["estimate", "--preset", "no-such"]) == 1
    err = capsys.readouterr().err
    assert "no preset `no-such`" in err and "support-bot" in err


@pytest.mark.parametrize("command", [["prices", "add", "google:gemini-3.7-flash"], ["prices", "sync", "--write"]])
def test_writing_commands_refuse_to_write_inside_an_installed_package_without_file(
    tmp_path, monkeypatch, capsys, command
):
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "pricing" / "default.yaml"
    installed.parent.mkdir(parents=True)
    shutil.copyfile(DEFAULT_CATALOG_PATH, installed)
    before = installed.read_bytes()
    monkeypatch.setattr(cli, "DEFAULT_CATALOG_PATH", installed)
    assert cli.main(command) == 1
    err = capsys.readouterr().err
    assert "inside the installed package" in err and "--file" in err
    assert installed.read_bytes() == before and not installed.with_name("default.yaml.bak").exists()
    # with --file, a copy of its own, the command writes that copy
    mine = tmp_path / "my-prices.yaml"
    shutil.copyfile(installed, mine)
    assert cli.main([*command, "--file", str(mine)]) == 0
    assert installed.read_bytes() == before
