"""Tables the pages show, as pandas frames of readable strings (no streamlit here)."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from datetime import date
from typing import TYPE_CHECKING

from planner.engine import Estimate
from planner.model import format as fmt
from planner.model.vocabulary import FAMILY_LABELS, LABELS
from planner.presentation import verdict
from planner.presentation.fields import figure_unit
from pricing.models import Catalog
from pricing.units import STALE_AFTER_DAYS

if TYPE_CHECKING:  # pandas (and pyarrow with it, ~1 s) loads on the pages that draw a table, not at start-up
    import pandas as pd


def numbers_frame(est: Estimate, ruled_out: AbstractSet[str] = frozenset()) -> pd.DataFrame:
    """Each architecture at the scenario's volume: monthly spend and range, per 1K queries, latency, one-time, TCO.
    "(cheapest)" marks the cheapest of the options still open (`verdict.cheapest`, as the cards), a ruled-out
    option "(ruled out)"."""
    import pandas as pd

    months = est.scenario.horizon_months
    cheapest = verdict.cheapest({a: est.current[a].monthly_usd for a in est.priced}, ruled_out)
    rows = []
    for a in est.priced:
        c = est.current[a]
        mark = " (ruled out)" if a in ruled_out else " (cheapest)" if a in cheapest else ""
        rows.append(
            {
                "Architecture": LABELS[a] + mark,
                "Monthly spend": fmt.usd(c.monthly_usd),
                "Range (low–high)": f"{fmt.usd(c.monthly_low_usd)}–{fmt.usd(c.monthly_high_usd)}",
                "Per 1,000 queries": fmt.usd(c.usd_per_1k_queries),
                "Latency p50": fmt.ms(c.latency_p50_ms),
                "Latency p95": fmt.ms(c.latency_p95_ms),
                "One-time": fmt.usd(c.one_time_total_usd),
                f"Total over {months} months": fmt.usd(c.tco_usd),
            }
        )
    return pd.DataFrame(rows).set_index("Architecture")


def one_time_frame(est: Estimate) -> pd.DataFrame:
    import pandas as pd

    from planner.model.vocabulary import ONE_TIME_LABELS

    data = {
        LABELS[a]: [fmt.usd(est.current[a].one_time_usd[k]) for k in ONE_TIME_LABELS]
        + [fmt.usd(est.current[a].one_time_total_usd)]
        for a in est.priced
    }
    return pd.DataFrame(data, index=[*ONE_TIME_LABELS.values(), "Total one-time"])


# ------------------------------------------------------------------ the catalog's figures


def figures_frame(
    catalog: Catalog, today: date | None = None, stale_after_days: int = STALE_AFTER_DAYS
) -> pd.DataFrame:
    """One row per figure (price, latency, throughput) of the catalog, with its unit, source and dates."""
    import pandas as pd

    rows = []
    for path, f in catalog.figures():
        family = path[0]
        if family == "latency_model":
            entry, entry_name, field = "", "Latency model", ".".join(path[1:])
        else:
            entry = path[1]
            entry_name = getattr(getattr(catalog, family)[entry], "name", entry)
            field = ".".join(str(p) for p in path[2:])
        is_url = f.source.startswith(("http://", "https://"))
        rows.append(
            {
                "Family": FAMILY_LABELS.get(family, family),
                "Entry": entry_name,
                "Field": field,
                "Value": f.value,
                "Unit": figure_unit(catalog, path),
                "Checked": f.checked,
                "Stale": f.is_stale(today, stale_after_days),
                "Verified": f.verified,
                "Source": f.source if is_url else "",
                "Low": f.lo,
                "High": f.hi,
                "Citation": "" if is_url else f.source,
                "Note": f.note or "",
                "Key": entry,
            }
        )
    return pd.DataFrame(rows)


def filter_frame(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where every word of `text` appears in the family, entry, key, field, unit, source or note."""
    import pandas as pd

    words = [w for w in text.lower().split() if w]
    if not words:
        return df
    hay = (
        df["Family"]
        + " "
        + df["Entry"]
        + " "
        + df["Key"]
        + " "
        + df["Field"]
        + " "
        + df["Unit"]
        + " "
        + df["Source"]
        + " "
        + df["Citation"]
        + " "
        + df["Note"]
    ).str.lower()
    mask = pd.Series(True, index=df.index)
    for w in words:
        mask &= hay.str.contains(w, regex=False)
    return df[mask]


#: Every ASCII punctuation character: CommonMark lets a backslash escape each of them, which
#: turns off every construct they start (emphasis, links, code, HTML, headings, lists, tables,
#: maths, `:red[...]` directives, `:material/...:` icons, `:smile:` emoji, autolinked URLs).
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
#: Where GitHub-flavoured markdown would turn plain text into a link (`https://`, `www.`, `a@b.c`):
#: it does so after parsing, so escapes do not stop it; an invisible WORD JOINER (U+2060) does.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")


def literal(text: object, multiline: bool = False) -> str:
    """User or catalog text to put inside markdown, shown exactly as typed.

    Punctuation is backslash-escaped, a WORD JOINER keeps URLs and addresses from becoming
    links, and line breaks become hard breaks with leading spaces kept as no-break spaces
    (`multiline`), or spaces (a one-line context, such as a heading, a caption or a table cell,
    where a blank line would end the element; outer spaces dropped).
    """
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    s = _AUTOLINK.sub("\u2060", s)
    s = _MD_PUNCTUATION.sub(r"\\\1", s)
    if not multiline:
        return " ".join(s.split("\n")).strip()
    s = _LEADING_SPACE.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), s)
    return "  \n".join(s.split("\n"))


def markdown_table(df: pd.DataFrame, index_label: str = "") -> str:
    """A small frame as one GitHub-flavoured markdown table, every cell escaped (a `$` would
    otherwise start inline maths). One markdown element redraws much faster than a table
    element with a rendered cell per value, which matters on a page redrawn per slider move."""

    def cell(x) -> str:
        return literal(x)

    head = [index_label, *map(str, df.columns)]
    lines = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    for idx, row in df.iterrows():
        lines.append("| " + " | ".join(cell(v) for v in [idx, *row.tolist()]) + " |")
    return "\n".join(lines)
