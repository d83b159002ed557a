"""Write requirements.txt and requirements-dev.txt from pyproject.toml, the one place pins live.

    python tools/requirements.py          # rewrite both files
    python tools/requirements.py --check  # exit 1 (naming the file) when either has drifted

`make run` and `make test` install from these files, so a fresh clone needs no build step;
`pip install .` reads the same pins from pyproject.toml.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Generated from pyproject.toml by `make requirements` (tools/requirements.py): edit the pins there.\n"


def expected() -> dict[Path, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = HEADER + "".join(f"{d}\n" for d in project["dependencies"])
    dev = HEADER + "-r requirements.txt\n" + "".join(f"{d}\n" for d in project["optional-dependencies"]["dev"])
    return {ROOT / "requirements.txt": runtime, ROOT / "requirements-dev.txt": dev}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.name}")
    if stale:
        print(f"{', '.join(stale)} differ from pyproject.toml: run `make requirements`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
