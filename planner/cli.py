"""Command line: `llm-planner validate|estimate|recommend|report ...` (installed), or `python -m planner ...`.

Errors a user can cause print as `FILE:LINE:COL: message` lines and exit 1;
no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.engine import estimate
from planner.engine.lifecycle import NEAR_DAYS, catalog_notices, prices_checked_after_shutdown
from planner.model.files import load_scenario, preset_path, preset_paths, read_scenario_file
from planner.model.format import visible as plain
from planner.model.scenario import ARCHITECTURES
from planner.presentation import output
from pricing.errors import ConflictError, InputError, SaveError, UnknownEntryError
from pricing.loader import DEFAULT_CATALOG_PATH, load_catalog_file, summary
from pricing.safefile import WriteRefused, check_writable_path, write_regular_file
from pricing.versions import genai_prices_versions


def _volumes(text: str | None):
    if not text:
        return None
    try:
        vals = [float(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UnknownEntryError(
            f"--volumes: `{text}` is not a comma-separated list of numbers (e.g. 1000,10000,100000)"
        ) from None
    if not vals or any(not (v > 0) or v > 1e11 for v in vals):
        raise UnknownEntryError("--volumes: each volume must be a number of queries per month between 1 and 1e11")
    return vals


def _load(args):
    catalog = load_catalog_file(args.catalog).catalog
    if getattr(args, "preset", None):  # a shipped preset, by name: works from any directory once installed
        scenario, notes = read_scenario_file(preset_path(args.preset))
    else:
        scenario, notes = read_scenario_file(args.scenario) if args.scenario else (load_scenario(None), [])
    for note in notes:  # e.g. a word in the other British/US spelling, read as the format's
        print(f"warning: {note}", file=sys.stderr)
    if getattr(args, "eval", None):
        scenario = _with_evals(scenario, args)
    return catalog, scenario


def _eval_map(pairs: list[str] | None) -> dict[str, str]:
    """`--map NAME=ARCH` pairs as a mapping, each checked."""
    out = {}
    for pair in pairs or []:
        name, sep, arch = pair.rpartition("=")
        if not sep or not name or arch not in ARCHITECTURES:
            raise UnknownEntryError(
                f"--map `{pair}`: write OPTION=ARCHITECTURE, the architecture one of {', '.join(ARCHITECTURES)}"
            )
        out[name] = arch
    return out


def _eval_rates(args) -> tuple[list, dict[str, tuple[int, int]]]:
    """Every eval file read and mapped before anything is applied (a bad file changes nothing)."""
    from planner.quality.imports import measured_rates, read_eval_file

    imports = [read_eval_file(f) for f in args.eval]
    return imports, measured_rates(imports, _eval_map(args.map), args.option)


def _with_evals(scenario, args, rates=None):
    """The scenario with the eval files' pass rates, validated whole (a value out of bounds is an error, not a
    traceback)."""
    from pydantic import ValidationError

    from planner.quality.imports import with_measured

    if rates is None:
        _, rates = _eval_rates(args)
    try:
        return with_measured(scenario, rates)
    except ValidationError as e:
        where = ", ".join(".".join(str(p) for p in err["loc"]) + ": " + err["msg"] for err in e.errors())
        raise UnknownEntryError(f"--eval: the measured pass rates do not fit the scenario ({where})") from None


def cmd_quality(args) -> int:
    """`quality import FILE...`: the pass rates and sample sizes the files give, and the `quality:` section."""
    import yaml

    from planner.model import format as fmt

    imports, rates = _eval_rates(args)
    _with_evals(load_scenario(None), args, rates)  # validated as a scenario would take them
    for imp in imports:
        for name, (passed, total) in imp.counts.items():
            print(f"{imp.file} ({imp.format}): {name}: {passed} of {total} passed ({fmt.pct(passed / total)})")
    section = {
        "pass_rate": {a: round(p / n, 6) for a, (p, n) in rates.items()},
        "sample_size": {a: n for a, (_, n) in rates.items()},
    }
    print("\n# paste under `quality:` in the scenario, or pass the files with --eval to estimate/recommend/report")
    print(yaml.safe_dump({"quality": section}, sort_keys=False).rstrip())
    return 0


def cmd_validate(args) -> int:
    path = Path(args.file) if args.file else DEFAULT_CATALOG_PATH
    loaded = load_catalog_file(path)
    layered = " (override over the default)" if loaded.is_override else ""
    print(f"{path}: valid{layered} — {summary(loaded.catalog, stale_after_days=args.stale_days)}")
    versions = genai_prices_versions(loaded.catalog)
    if versions.stamped is not None:
        print(versions.line())
    if versions.differ:
        print(f"warning: {versions.warning()}")
    notices = catalog_notices(loaded.catalog)
    late = prices_checked_after_shutdown(loaded.catalog)
    if notices:
        print(f"Entries shut down, closed to new customers, or ending within {NEAR_DAYS} days:")
        print("\n".join(f"  {n.message()}" for n in notices))
    if late:
        print("Figures marked verified but checked after their entry shut down (mark them `verified: false`):")
        print("\n".join(f"  {p}: checked {c}, shut down {s}" for p, c, s in late))
    return 0


def cmd_estimate(args) -> int:
    catalog, scenario = _load(args)
    est = estimate(catalog, scenario, volumes=_volumes(args.volumes))
    if args.format == "json":
        # a shipped preset's values are the preset's (provenance), not typed
        print(output.json_text(est, catalog, preset=scenario if getattr(args, "preset", None) else None))
    elif args.format == "csv":
        sys.stdout.write(output.csv_text(est))
    else:
        print(output.table_text(est, catalog))
    return 0


def cmd_recommend(args) -> int:
    from planner.questionnaire import recommend, render_text

    catalog, scenario = _load(args)
    rec = recommend(scenario, estimate=estimate(catalog, scenario))
    if args.format == "json":
        print(json.dumps(rec.to_dict(), indent=2))
    else:
        print(render_text(rec))
    return 0


def cmd_presets(args) -> int:
    """The shipped preset scenarios: the name `--preset` takes, the scenario's title and volume."""
    for slug, path in preset_paths().items():
        s = load_scenario(path)
        print(f"{slug:<24} {s.name} ({s.workload.queries_per_month:,.0f} queries/month)")
    return 0


def installed_package_file(path: Path) -> bool:
    """True when `path` lies inside an installed package (site-packages): a write there is lost on the next
    upgrade and changes every user's defaults, so writing commands need `--file` instead."""
    import sysconfig

    resolved = path.resolve()
    roots = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    return any(part in ("site-packages", "dist-packages") for part in resolved.parts) or any(
        resolved.is_relative_to(r) for r in roots
    )


def cmd_report(args) -> int:
    from planner import report

    check_writable_path(args.out)  # before the work: a link, FIFO or device at --out is refused, left as it is
    catalog, scenario = _load(args)
    traffic = None
    if args.traffic:  # the scenario fitted to these logs, and a section on them
        from planner.traffic.analysis import analyze

        traffic = analyze(args.traffic, catalog, scenario, args.architecture)
        scenario = traffic.fitted
    try:
        pdf = report.build_report(catalog, scenario, traffic=traffic)
    except report.ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    out = Path(args.out)
    write_regular_file(out, pdf)  # a symbolic link, a FIFO or a device (/dev/null) is refused, left as it is
    print(f"wrote {out} ({len(pdf):,} bytes)")
    return 0


def _threshold(text: str) -> float:
    try:
        pct = float(text.rstrip("%").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a percentage (e.g. 5 or 5%)") from None
    if not 0 <= pct <= 1000:
        raise argparse.ArgumentTypeError(f"{text}: a threshold is a percentage between 0 and 1000")
    return pct / 100


def _whole(text: str, low: int) -> int:
    try:
        n = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{plain(text)[:40]}` is not a whole number") from None
    if not low <= n <= 10**9:
        raise argparse.ArgumentTypeError(f"{n}: give a whole number from {low} to 1,000,000,000")
    return n


def _positive(text: str) -> int:
    """A count given on the command line: a whole number above 0 (`--context-window 0` is refused, not ignored)."""
    return _whole(text, 1)


def _days(text: str) -> int:
    return _whole(text, 0)


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date (YYYY-MM-DD)") from None


def cmd_prices(args) -> int:
    from pricing import genai_sync as gs
    from pricing.safeyaml import parse_yaml
    from pricing.store import save_catalog

    path = Path(args.file) if args.file else DEFAULT_CATALOG_PATH
    writes = args.prices_command == "add" or (args.prices_command == "sync" and args.write)
    if writes and not args.file and installed_package_file(path):
        print(
            f"error: the shipped catalog is inside the installed package ({path}): a write there is lost on the next "
            "upgrade. Copy it (e.g. `cp` it to my-prices.yaml) and pass --file my-prices.yaml",
            file=sys.stderr,
        )
        return 1
    loaded = load_catalog_file(path)
    try:
        if args.prices_command == "check":
            result = gs.check_catalog(loaded.catalog, threshold=args.threshold, on=args.on)
            positions = parse_yaml(loaded.text, str(path)).positions
            print(gs.render_check(result, str(path), positions))
            return 0 if result.ok else 1
        if args.prices_command == "sync":
            text, changes, notes = gs.sync_text(
                loaded.text, loaded.catalog, threshold=args.threshold, checked=args.checked, on=args.on
            )
            version = gs.package_version()
            print(f"{path}: {len(changes)} change(s) of value against genai-prices {version}")
            for c in changes:
                print(c)
            for n in notes:
                print(f"  note: {n}")
            if text == loaded.text:
                print("nothing to write: the file already matches")
                return 0
            if not args.write:
                print("dry run: pass --write to rewrite the referenced figures (value, source, checked)")
                return 0
            saved = save_catalog(text, path, loaded.sha256)
            print(f"wrote {path} (previous version kept as {saved.backup})" if saved.backup else f"wrote {path}")
            return 0
        return _add(args, path, loaded)
    except gs.SyncError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


#: The `prices add` option each field of a new entry comes from (named when the field is refused).
_ADD_OPTIONS = {"dimensions": "--dimensions", "context_window": "--context-window", "checked": "--checked"}


def _add(args, path: Path, loaded) -> int:
    """`prices add`: the new entry, validated as part of the file, then saved. A problem in the new entry is
    said of the argument it came from (its line exists only in the text built, not on disk)."""
    from pricing import genai_sync as gs
    from pricing.loader import read_text
    from pricing.store import save_catalog

    text, family, key = gs.add_entry_text(
        read_text(path),
        loaded.catalog,
        args.model,
        key=args.key,
        checked=args.checked,
        dimensions=args.dimensions,
        context_window=args.context_window,
    )
    try:
        save_catalog(text, path, loaded.sha256)
    except InputError as e:
        new = [p for p in e.problems if p.path.split(".")[:2] == [family, key]]
        if not new:
            raise
        for p in new:
            field = p.path.split(".")[-1]
            given = _ADD_OPTIONS.get(field, f"the entry for {args.model} built from genai-prices")
            print(f"error: {plain(given)}: {p.path}: {plain(p.message)}; nothing was written", file=sys.stderr)
        return 1
    print(f"added {family}.{key} ({args.model}) to {path}; its latency figures are placeholders marked unverified")
    return 0


def parser() -> argparse.ArgumentParser:  # long: declarations only, one block per subcommand
    p = argparse.ArgumentParser(
        prog="llm-planner" if Path(sys.argv[0]).name == "llm-planner" else "python -m planner",
        description="Plan an LLM feature: prompt only, RAG, fine-tuned or hybrid — cost and latency.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="validate a pricing catalog (default: the shipped one)")
    v.add_argument("file", nargs="?", help="catalog or override file")
    v.add_argument(
        "--stale-days", type=_days, default=180, help="report figures checked longer ago than this (default 180)"
    )
    v.set_defaults(func=cmd_validate)

    def evals(sp, required=False):
        sp.add_argument(
            "--eval",
            action="append",
            required=required,
            metavar="FILE",
            help="eval results (promptfoo JSON, Inspect AI JSON log, OpenAI evals JSONL, DeepEval JSON, or CSV "
            "option,case_id,passed): measured pass rates and sample sizes, per architecture",
        )
        sp.add_argument("--map", action="append", metavar="OPTION=ARCH", help="the architecture of an option in a file")
        sp.add_argument(
            "--option",
            choices=ARCHITECTURES,
            metavar="ARCH",
            help="the architecture of every one-option file (e.g. an Inspect AI log)",
        )

    def common(sp):
        which = sp.add_mutually_exclusive_group()
        which.add_argument("--scenario", help="scenario YAML (default: the built-in defaults)")
        which.add_argument("--preset", help="a shipped preset scenario by name, e.g. support-bot (see `presets`)")
        sp.add_argument("--catalog", help="catalog or override YAML (default: the shipped catalog)")
        evals(sp)

    e = sub.add_parser("estimate", help="monthly spend, latency and break-evens of the five architectures")
    common(e)
    e.add_argument("--volumes", help="comma-separated queries per month, e.g. 1000,10000,100000")
    e.add_argument("--format", choices=("table", "json", "csv"), default="table")
    e.set_defaults(func=cmd_estimate)

    r = sub.add_parser("recommend", help="ranked, explained recommendation from the scenario's answers")
    common(r)
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.set_defaults(func=cmd_recommend)

    ls = sub.add_parser("presets", help="list the shipped preset scenarios (names for --preset)")
    ls.set_defaults(func=cmd_presets)

    rp = sub.add_parser("report", help="write the PDF recommendation report")
    common(rp)
    rp.add_argument("--out", required=True, help="PDF file to write")
    rp.add_argument("--traffic", nargs="+", metavar="FILE", help="usage logs to fit the scenario to (see `traffic`)")
    rp.add_argument(
        "--architecture", choices=ARCHITECTURES, default="prompt_only", help="with --traffic: the logs' architecture"
    )
    rp.set_defaults(func=cmd_report)

    qi = sub.add_parser("quality", help="import eval results: measured pass rates per architecture")
    qsub = qi.add_subparsers(dest="quality_command", required=True)
    qim = qsub.add_parser("import", help="read eval result files and print the quality: section they give")
    qim.add_argument("eval", nargs="+", metavar="FILE", help="eval result files")
    qim.add_argument("--map", action="append", metavar="OPTION=ARCH", help="the architecture of an option in a file")
    qim.add_argument(
        "--option", choices=ARCHITECTURES, metavar="ARCH", help="the architecture of every one-option file"
    )
    qim.set_defaults(func=cmd_quality)

    pr = sub.add_parser("prices", help="check, sync or add LLM and embedding prices against genai-prices")
    psub = pr.add_subparsers(dest="prices_command", required=True)

    def prices_common(sp):
        sp.add_argument("--file", help="catalog or override file (default: the shipped catalog)")
        sp.add_argument(
            "--threshold",
            type=_threshold,
            default=0.05,
            help="drift above this percentage fails (default 5)",
        )
        sp.add_argument(
            "--on",
            type=_day,
            help="check the prices in force on this day (default: today), and every scheduled change from the "
            "catalog's date on",
        )

    pc = psub.add_parser("check", help="compare every referenced figure with the installed genai-prices data")
    prices_common(pc)
    ps = psub.add_parser("sync", help="show (or --write) the referenced figures genai-prices would change")
    prices_common(ps)
    ps.add_argument("--write", action="store_true", help="rewrite the file (comments, order and other fields kept)")
    ps.add_argument("--checked", type=_day, help="checked date to write (default: the check day, --on or today)")
    pa = psub.add_parser("add", help="add a new, sourced entry for a model genai-prices knows")
    pa.add_argument("model", help='the model as "provider_id:model_id", e.g. openai:gpt-6-luna')
    pa.add_argument("--key", help="key of the new entry (default: derived from the model)")
    pa.add_argument("--file", help="catalog file to add to (default: the shipped catalog)")
    pa.add_argument("--checked", type=_day, help="checked date to write (default: today)")
    pa.add_argument("--dimensions", type=_positive, help="vector dimensions (embedding models; not in genai-prices)")
    pa.add_argument("--context-window", type=_positive, help="context window, when genai-prices has none")
    for sp in (pc, ps, pa):
        sp.set_defaults(func=cmd_prices)

    from planner.traffic.command import add_parser as add_traffic

    add_traffic(sub, common)
    return p


def cmd_traffic(args) -> int:
    from planner.traffic.command import cmd_traffic as run

    return run(args, _load)


def main(argv=None) -> int:
    from planner.traffic.read import TrafficError

    args = parser().parse_args(argv)
    try:
        return (cmd_traffic if getattr(args, "traffic_subcommand", False) else args.func)(args)
    except TrafficError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except InputError as e:
        for problem in e.problems:
            print(plain(str(problem)), file=sys.stderr)
        return 1
    except (UnknownEntryError, ConflictError, SaveError, WriteRefused) as e:
        print(f"error: {plain(str(e))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        print(f"error: {e.strerror or e}: {plain(str(e.filename or ''))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (MemoryError, RecursionError):
        print("error: the input is too large or too deeply nested to process", file=sys.stderr)
        return 1
    except Exception as e:  # a defect, not the user's input: still a sentence, never a traceback
        print(f"error: internal error ({type(e).__name__}: {plain(str(e))[:300]}); please report it", file=sys.stderr)
        return 2
