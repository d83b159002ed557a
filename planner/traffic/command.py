"""`llm-planner traffic fit|reconcile FILE…`: the command line of bring-your-own-traffic."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.model.scenario import ARCHITECTURES
from pricing.safefile import write_regular_file


def _write(path: str, text: str) -> None:
    """Write atomically (a temporary file, then rename): a failure leaves the old file whole. Only a regular file
    or a new one: a symbolic link, FIFO, device or read-only file is refused and left as it is
    (`pricing.safefile.write_regular_file`)."""
    write_regular_file(Path(path), text.encode("utf-8"))


def cmd_traffic(args, load) -> int:
    """`load(args)` gives (catalog, scenario) as the other commands read them."""
    from planner.traffic import output
    from planner.traffic.analysis import analyze

    catalog, scenario = load(args)
    a = analyze(args.files, catalog, scenario, args.architecture)  # everything read before anything is written
    if args.traffic_command == "fit":
        text = output.json_text(output.fit_dict(a)) if args.format == "json" else output.fit_text(a)
        if args.out:
            _write(args.out, output.fitted_scenario_yaml(a))
            print(f"wrote {args.out} (the fitted scenario)", file=sys.stderr)
        print(text)
        return 0
    if args.write_override:
        from planner.traffic.reprice import override_catalog_yaml

        _write(args.write_override, override_catalog_yaml(a.stats, catalog))
        print(f"wrote {args.write_override} (measured latency, an override catalog)", file=sys.stderr)
    print(output.json_text(output.reconcile_dict(a)) if args.format == "json" else output.reconcile_text(a))
    return 0


def add_parser(sub, common) -> None:
    t = sub.add_parser("traffic", help="fit the scenario to usage logs; reprice and reconcile them with the catalog")
    tsub = t.add_subparsers(dest="traffic_command", required=True)
    for name, helptext in (
        ("fit", "fit the scenario's workload to usage files (--out writes the fitted scenario)"),
        ("reconcile", "the logs' cost beside the catalog's prices, observed latency, every architecture"),
    ):
        sp = tsub.add_parser(name, help=helptext)
        sp.add_argument("files", nargs="+", metavar="FILE", help="usage exports: OTLP JSON, OpenAI, LiteLLM, CSV")
        common(sp)
        sp.add_argument(
            "--architecture",
            choices=ARCHITECTURES,
            default="prompt_only",
            help="the architecture the logs come from (its prefix and retrieved context are not user input)",
        )
        sp.add_argument("--format", choices=("text", "json"), default="text")
        if name == "fit":
            sp.add_argument("--out", help="write the fitted scenario (YAML, a comment on each fitted field)")
        else:
            sp.add_argument("--write-override", metavar="PATH", help="write an override catalog of measured latency")
        sp.set_defaults(func=None, traffic_subcommand=True)
