"""What a pure move must leave unchanged: the four presets' PDFs and the command line's outputs, written to a folder.

    .venv/bin/python tools/snapshot.py /tmp/before      # on the commit before the move
    .venv/bin/python tools/snapshot.py /tmp/after       # after it
    diff -r /tmp/before /tmp/after                      # nothing: the move changed no output

For each preset: the PDF (Python API, `invariant=True`, dated `--today`, default 2026-12-06, so two runs are
byte-identical), `llm-planner estimate` as table, JSON and CSV, and `llm-planner recommend` as text and JSON
(the scenario's start date is the day the snapshot is taken: take both on one day). Prints a short digest of
each file.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner import build_report, load_catalog, load_preset  # noqa: E402
from planner.model.files import preset_paths  # noqa: E402

COMMANDS = {"estimate": ("table", "json", "csv"), "recommend": ("text", "json")}


def snapshot(out: Path, today: date) -> list[Path]:
    """Write every output of every preset into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    written = []
    for name in preset_paths():
        pdf = out / f"{name}.pdf"
        pdf.write_bytes(build_report(catalog, load_preset(name), today=today, invariant=True))
        written.append(pdf)
        for command, formats in COMMANDS.items():
            for fmt in formats:
                run = subprocess.run(
                    [sys.executable, "-m", "planner", command, "--preset", name, "--format", fmt],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    timeout=300,
                )
                path = out / f"{name}.{command}.{fmt}"
                path.write_text(f"{run.stdout}{run.stderr}\nexit {run.returncode}\n", encoding="utf-8")
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write into (created when missing)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 6), help="the PDFs' date")
    args = parser.parse_args(argv)
    for path in snapshot(args.out, args.today):
        print(hashlib.sha256(path.read_bytes()).hexdigest()[:12], path.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
