#!/usr/bin/env bash
# `pip install .` into a new virtualenv, then run every subcommand of `llm-planner` (and
# `python -m planner`) from a directory that is not the repository: what a user gets.
# Usage: tools/install-check.sh [VENV_DIR]   (default: a temporary directory, removed afterwards)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
venv="${1:-$work/venv}"
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "$repo"

cd "$work"
cp "$repo/scenarios/support-bot.yaml" scenario.yaml
run() { echo "+ $*" >&2; "$@"; }
run "$venv/bin/llm-planner" --help >/dev/null
run "$venv/bin/llm-planner" validate
run "$venv/bin/llm-planner" estimate --scenario scenario.yaml --format table
run "$venv/bin/llm-planner" estimate --scenario scenario.yaml --volumes 1000,100000 --format json >/dev/null
run "$venv/bin/llm-planner" estimate --scenario scenario.yaml --format csv >/dev/null
run "$venv/bin/llm-planner" recommend --scenario scenario.yaml >/dev/null
run "$venv/bin/llm-planner" report --scenario scenario.yaml --out report.pdf
test -s report.pdf
if "$venv/bin/llm-planner" --help | grep -q "prices"; then
  run "$venv/bin/llm-planner" prices --help >/dev/null
fi
run "$venv/bin/python" -m planner validate
# the shipped presets and the catalog's schema come with the package
run "$venv/bin/python" -c "
from planner.model.files import presets
from pricing.schema import SCHEMA_PATH
names = presets()
assert len(names) >= 4, names
assert SCHEMA_PATH.is_file(), SCHEMA_PATH
print(len(names), 'presets;', SCHEMA_PATH.name)
"
echo "install check: ok"
