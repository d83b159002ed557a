"""Comparing a catalog with genai-prices: the findings of each referenced entry and the `check` report."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pricing.genai_sync import source as _package
from pricing.genai_sync.source import (
    DEFAULT_THRESHOLD,
    EMBEDDING_PRICE_FIELDS,
    LLM_PRICE_FIELDS,
    TIER_FIELDS,
    Reference,
    SyncError,
    reference,
)
from pricing.llms import LLM
from pricing.models import Catalog
from pricing.units import Figure


@dataclass(frozen=True)
class Finding:
    """One difference between an entry and its reference."""

    family: str
    key: str
    field: str  # dotted field path inside the entry ("" for the entry as a whole)
    message: str
    failing: bool
    catalog: Any = None
    reference: Any = None

    @property
    def where(self) -> str:
        return ".".join(p for p in (self.family, self.key, self.field) if p)


@dataclass
class CheckResult:
    version: str
    on: date
    threshold: float
    findings: list[Finding] = field(default_factory=list)
    checked_entries: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.failing]

    @property
    def ok(self) -> bool:
        return not self.failing


def relative_difference(ours: float, theirs: float) -> float:
    if theirs == 0:
        return 0.0 if ours == 0 else math.inf
    return abs(ours - theirs) / abs(theirs)


def pct(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "reference is 0"
    return f"{(ours - theirs) / theirs * 100:+.1f} %"


def fmt(v) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:,}" if isinstance(v, int) else f"{v:g}"
    return str(v)


def compare_value(out: list, fam: str, key: str, path: str, ours, theirs, threshold: float, what: str = "") -> None:
    if ours is None and theirs is None:
        return
    if ours is None:
        out.append(
            Finding(fam, key, path, f"missing in the catalog; genai-prices gives {fmt(theirs)}", True, None, theirs)
        )
        return
    if theirs is None:
        out.append(
            Finding(fam, key, path, f"{fmt(ours)} in the catalog; genai-prices has none (kept)", False, ours, None)
        )
        return
    rel = relative_difference(float(ours), float(theirs))
    if rel == 0:
        return
    failing = rel > threshold
    label = "drift" if failing else f"drift within the {threshold * 100:g} % threshold"
    out.append(
        Finding(
            fam,
            key,
            path,
            f"{label}: {fmt(ours)} in the catalog, {fmt(theirs)} in genai-prices "
            f"({pct(float(ours), float(theirs))}){what}",
            failing,
            ours,
            theirs,
        )
    )


def val(fig: Figure | None):
    return None if fig is None else fig.value


def long_context_findings(
    out: list, fam: str, key: str, entry: LLM, ref: Reference, threshold: float, at: str = ""
) -> None:
    """The long-context tier in force (`at`: the path prefix where it lives, e.g. "price_changes[2027-01-01].")."""
    limit = entry.input_limit_tokens
    lc_ref = ref.long_context
    if lc_ref is not None and lc_ref["above_input_tokens"] >= limit:
        if entry.long_context is None:
            out.append(
                Finding(
                    fam,
                    key,
                    f"{at}long_context",
                    f"genai-prices has a tier above {lc_ref['above_input_tokens']:,} input tokens, at or above "
                    f"the {limit:,} tokens the entry accepts: not applicable (ignored)",
                    False,
                )
            )
        lc_ref = None
    lc = entry.long_context
    if lc_ref is None and lc is not None:
        out.append(
            Finding(
                fam,
                key,
                f"{at}long_context",
                "the catalog has a long-context tier; genai-prices has none (kept)",
                False,
            )
        )
    elif lc_ref is not None and lc is None:
        out.append(
            Finding(
                fam,
                key,
                f"{at}long_context",
                f"missing in the catalog; genai-prices prices input above {lc_ref['above_input_tokens']:,} tokens "
                f"at {fmt(lc_ref['input_usd_per_1m_tokens'])} / {fmt(lc_ref['output_usd_per_1m_tokens'])}",
                True,
                None,
                lc_ref,
            )
        )
    elif lc_ref is not None and lc is not None:
        compare_value(
            out,
            fam,
            key,
            f"{at}long_context.above_input_tokens",
            lc.above_input_tokens,
            lc_ref["above_input_tokens"],
            threshold,
        )
        for name in TIER_FIELDS:
            compare_value(
                out, fam, key, f"{at}long_context.{name}", val(getattr(lc, name)), lc_ref.get(name), threshold
            )


def price_home(entry: LLM, name: str, day: date) -> str:
    """Where the price `name` in force on `day` is written: the latest scheduled change on or before `day` that
    gives it (`price_changes[DATE].`), else the entry's own field ("")."""
    home = ""
    for change in entry.price_changes:
        if change.effective_on > day:
            break
        if (change.long_context if name == "long_context" else getattr(change, name)) is not None:
            home = f"price_changes[{change.effective_on.isoformat()}]."
    return home


def _fix_at(entry: LLM, name: str, day: date, since: date, theirs: set[date]) -> str:
    """Where the price `name` in force on `day` belongs (what `prices sync` rewrites): the latest scheduled change
    after `since` and on or before `day` that the package has or that the entry gives it in, else where it lives
    on `since`."""
    days = {d for d in theirs if since < d <= day}
    for change in entry.price_changes:
        given = change.long_context if name == "long_context" else getattr(change, name)
        if since < change.effective_on <= day and given is not None:
            days.add(change.effective_on)
    return f"price_changes[{max(days).isoformat()}]." if days else price_home(entry, name, since)


def _in_force_findings(
    out: list, fam: str, key: str, entry: LLM, ref_on, on: date, since: date, threshold: float
) -> None:
    """The prices in force on `on`, on `since` and on every scheduled change date after `since` (the catalog's
    and the package's), each compared with the package's prices on that day; a change the package schedules and
    the catalog lacks is one finding. `ref_on(day)` is the package's `Reference` on `day`."""
    ours = {c.effective_on for c in entry.price_changes if c.effective_on > since}
    theirs = {c["effective_on"] for c in ref_on(since).price_changes}
    days = [on] + sorted({since} | ours | theirs - {on})
    found: list[Finding] = []
    for day in days:
        ref = ref_on(day)
        if day in theirs - ours:
            c = next(c for c in ref_on(since).price_changes if c["effective_on"] == day)
            found.append(
                Finding(
                    fam,
                    key,
                    f"price_changes[{day.isoformat()}]",
                    "missing in the catalog; genai-prices changes the price to "
                    f"{fmt(c.get('input_usd_per_1m_tokens'))} / {fmt(c.get('output_usd_per_1m_tokens'))} on {day}",
                    True,
                    None,
                    c,
                )
            )
            continue
        if day in ours - theirs and day > on:
            found.append(
                Finding(
                    fam,
                    key,
                    f"price_changes[{day.isoformat()}]",
                    "genai-prices has no change on that date (kept)",
                    False,
                )
            )
        now = entry.on(day)
        here: list[Finding] = []
        for name in LLM_PRICE_FIELDS:
            path = _fix_at(entry, name, day, since, theirs) + name
            compare_value(here, fam, key, path, val(getattr(now, name)), ref.prices.get(name), threshold)
        at = _fix_at(entry, "long_context", day, since, theirs)
        long_context_findings(here, fam, key, now, ref, threshold, at=at)
        when = "" if day == on == since else f" (in force on {day})"
        found += [dataclasses.replace(f, message=f.message + when) for f in here]
    seen: set[tuple[str, bool]] = set()
    for f in found:  # one finding per field: the first day it shows (today's first)
        if (f.field, f.failing) not in seen:
            seen.add((f.field, f.failing))
            out.append(f)


def _deprecation_findings(out: list, fam: str, key: str, entry, ref: Reference, on: date) -> None:
    """The package's deprecated flag against the entry's `lifecycle` on `on`: a flag without a lifecycle fails;
    any other disagreement is named."""
    life = entry.lifecycle
    if ref.deprecated and life is None:
        out.append(
            Finding(
                fam,
                key,
                "lifecycle",
                "genai-prices flags the model deprecated; the entry has no `lifecycle` saying when it stops",
                True,
            )
        )
        return
    if life is None:
        return
    status = life.status_on(on)
    if ref.deprecated and status == "available":
        dates = [d for d in (life.deprecated_on, life.closed_to_new_on, life.shuts_down_on) if d is not None]
        when = f"its first date is {min(dates)}" if dates else "it gives no date"
        message = f"genai-prices flags the model deprecated; the entry's `lifecycle` says available on {on} ({when})"
        out.append(Finding(fam, key, "lifecycle", message, False))
    elif not ref.deprecated and status != "available":
        message = (
            f"the entry's `lifecycle` says {status.replace('_', ' ')} on {on}; genai-prices does not flag the model "
            "deprecated"
        )
        out.append(Finding(fam, key, "lifecycle", message, False))


def entry_findings(
    fam: str, key: str, entry, ref: Reference, threshold: float, ref_on=None, since: date | None = None
) -> list[Finding]:
    """Findings of one entry against `ref` (the package on the check day); `ref_on(day)` gives the package on
    another day (default: `ref` on every day) and `since` the first day compared (default: the check day)."""
    out: list[Finding] = []
    if isinstance(entry, LLM):
        if ref.is_embedding:
            out.append(Finding(fam, key, "genai_prices", f"`{ref.ref}` is an embedding model, not an LLM", True))
            return out
        _in_force_findings(out, fam, key, entry, ref_on or (lambda day: ref), ref.on, since or ref.on, threshold)
        if ref.context_window is not None:
            rel = relative_difference(entry.context_window_tokens, ref.context_window)
            if rel > threshold:
                out.append(
                    Finding(
                        fam,
                        key,
                        "context_window_tokens",
                        f"drift: {entry.context_window_tokens:,} in the catalog, "
                        f"{ref.context_window:,} in genai-prices "
                        f"({pct(entry.context_window_tokens, ref.context_window)})",
                        True,
                        entry.context_window_tokens,
                        ref.context_window,
                    )
                )
    else:  # EmbeddingModel
        if entry.usd_per_1m_tokens is None:
            out.append(Finding(fam, key, "genai_prices", "a self-hosted model has no API price to compare", False))
            return out
        for name in EMBEDDING_PRICE_FIELDS:
            compare_value(out, fam, key, name, val(getattr(entry, name)), ref.prices.get(name), threshold)
        if ref.context_window is not None:
            rel = relative_difference(entry.max_input_tokens, ref.context_window)
            if rel > threshold:
                out.append(
                    Finding(
                        fam,
                        key,
                        "max_input_tokens",
                        f"drift: {entry.max_input_tokens:,} in the catalog, {ref.context_window:,} in genai-prices "
                        f"({pct(entry.max_input_tokens, ref.context_window)})",
                        True,
                        entry.max_input_tokens,
                        ref.context_window,
                    )
                )
    _deprecation_findings(out, fam, key, entry, ref, ref.on)
    return out


def referenced_entries(catalog: Catalog):
    """(family, key, entry) for every LLM and embedding model that names a genai-prices model."""
    for fam in ("llms", "embedding_models"):
        for key, entry in getattr(catalog, fam).items():
            yield fam, key, entry


def check_entry(
    fam: str, key: str, entry, on: date, threshold: float = DEFAULT_THRESHOLD, since: date | None = None
) -> list[Finding]:
    """Findings for one referenced entry (an `LLM` or an `EmbeddingModel` with `genai_prices` set): the prices in
    force on `on`, on `since` (default `on`) and on every scheduled change after `since`."""
    since = min(since or on, on)
    try:
        ref = reference(entry.genai_prices, on, since=since)
    except SyncError as e:
        return [Finding(fam, key, "genai_prices", str(e), True)]
    cache: dict[date, Reference] = {on: ref}

    def ref_on(day: date) -> Reference:
        if day not in cache:
            cache[day] = reference(entry.genai_prices, day, since=since)
        return cache[day]

    return entry_findings(fam, key, entry, ref, threshold, ref_on, since)


def check_catalog(catalog: Catalog, threshold: float = DEFAULT_THRESHOLD, on: date | None = None) -> CheckResult:
    """Compare every referenced figure of `catalog` with the installed genai-prices data: the prices in force on
    `on` (default: today), and every scheduled change from the catalog's `date` on."""
    on = on or _package.today()
    result = CheckResult(_package.package_version(), on, threshold)
    for fam, key, entry in referenced_entries(catalog):
        if entry.genai_prices is None:
            result.unreferenced.append(f"{fam}.{key}")
            continue
        result.checked_entries.append(f"{fam}.{key}")
        result.findings.extend(check_entry(fam, key, entry, on, threshold, since=catalog.date))
    return result


def render_check(result: CheckResult, file: str, positions: dict | None = None) -> str:
    lines = [
        f"{file}: compared with genai-prices {result.version} on {result.on} "
        f"(threshold {result.threshold * 100:g} %; {len(result.checked_entries)} referenced entries, "
        f"{len(result.unreferenced)} without a reference)"
    ]
    if result.unreferenced:
        lines.append(f"  not checked (no `genai_prices` reference): {', '.join(result.unreferenced)}")
    for f in result.findings:
        mark = "FAIL" if f.failing else "note"
        where = ""
        if positions:
            pos = positions.get((f.family, f.key, f.field.split(".")[0].split("[")[0])) or positions.get(
                (f.family, f.key)
            )
            if pos:
                where = f"{pos[0]}:{pos[1]}:{pos[2]}: "
        lines.append(f"  {mark} {where}{f.where}: {f.message}")
    failing = result.failing
    entries = sorted({f"{f.family}.{f.key}" for f in failing})
    if failing:
        lines.append(
            f"{len(failing)} failing finding(s) in {len(entries)} "
            f"entr{'y' if len(entries) == 1 else 'ies'}: {', '.join(entries)}"
        )
    else:
        lines.append(
            f"no drift above {result.threshold * 100:g} %: "
            f"every referenced figure matches genai-prices {result.version}"
        )
    return "\n".join(lines)
