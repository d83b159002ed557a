"""Numbers as the app, the PDF and the CLI show them: one money format, one duration format, one count
format, so a number reads the same everywhere.

Money and durations keep three significant figures once they are large (a page never shows "$4,000"
beside "$16K" and "$21.7K", nor "1,500 ms" beside "1.50 s"):

    usd:      < $0.01 · $0.42 · $48.00 · $480 · $4.00K · $16.0K · $21.7K · $150K · $1.20M · $3.40B · $300T
    usd_tick: $0.5 · $2 · $100 · $1K · $20K · $5M   (axis ticks: round values, no trailing zeros)
    ms:       45 ms · 450 ms · 1.50 s · 12.3 s · 123 s
    count:    1,200 · 45K · 3.4M
"""

from __future__ import annotations

import math
import re

from pricing.safeyaml import UNSAFE_TEXT

_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _three_figures(x: float) -> tuple[str, str]:
    """(mantissa with three significant figures, suffix) for x ≥ 1,000: 4.00 K, 16.0 K, 150 K, 1.20 M."""
    for scale, suffix in _SUFFIXES:
        if x >= scale * (1 - 5e-4):  # 999,500 reads 1.00M, not 1000K
            m = x / scale
            return (f"{m:.2f}" if m < 9.995 else f"{m:.1f}" if m < 99.95 else f"{m:.0f}"), suffix
    raise ValueError(f"{x} is below 1,000")


def usd(x: float | None) -> str:
    """Money: cents below $100, whole dollars below $1,000, then three significant figures with K, M, B."""
    if x is None or not math.isfinite(x):
        return "—"
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x == 0:
        return "$0"
    if x < 0.01:
        return "< $0.01" if not sign else "> -$0.01"
    if x < 99.995:
        return f"{sign}${x:.2f}"
    if x < 999.5:
        return f"{sign}${x:.0f}"
    mantissa, suffix = _three_figures(x)
    return f"{sign}${mantissa}{suffix}"


_TRAILING_ZEROS = re.compile(r"\.?0+(?=[KMBT]?$)")


def usd_tick(x: float | None) -> str:
    """An axis tick (a round 1-2-5 value): the money format without trailing zeros — $0.5, $2, $100, $1K, $20K, $5M."""
    text = usd(x)
    return _TRAILING_ZEROS.sub("", text) if "." in text else text


def count(x: float | None) -> str:
    """Queries and tokens: 1,200 / 45K / 3.4M."""
    if x is None or not math.isfinite(x):
        return "—"
    if x >= 1e12:
        return f"{x / 1e12:.3g}T"
    if x >= 1e9:
        return f"{x / 1e9:.3g}B"
    if x >= 1e6:
        return f"{x / 1e6:.3g}M"
    if x >= 1e4:
        return f"{x / 1e3:.3g}K"
    return f"{x:,.0f}"


def ms(x: float | None) -> str:
    """A duration given in milliseconds: whole milliseconds below one second, then seconds to three figures."""
    if x is None or not math.isfinite(x):
        return "—"
    if x < 999.5:
        return f"{x:.0f} ms"
    s = x / 1000
    return f"{s:.2f} s" if s < 9.995 else f"{s:.1f} s" if s < 99.95 else f"{s:,.0f} s"


def visible(text: str) -> str:
    """`text` with every control character and bidirectional override written as `\\uXXXX` (or `\\xXX`), so an
    echoed value cannot move a terminal's cursor, clear it, set its title, or reverse the line shown."""
    return UNSAFE_TEXT.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def usd_each(x: float | None) -> str:
    """A price of one thing (an answer, a case): three significant figures below $1 ($0.351, $0.00234),
    the money format above."""
    if x is None or not math.isfinite(x):
        return "—"
    if 0 < abs(x) < 1:
        return f"{'-' if x < 0 else ''}${abs(x):#.3g}" if abs(x) >= 1e-4 else f"${x:.2e}"
    return usd(x)


def pct(x: float | None) -> str:
    """A share as a percentage with one decimal: 0.92 → 92.0%."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x * 100:.1f}%"
