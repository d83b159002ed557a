"""Number formatting shared by the app, the PDF and the CLI, so they read the same."""

from __future__ import annotations

import math


def usd(x: float, digits: int = 2) -> str:
    """Readable currency: $0.42, $48, $1.2K, $3.4M, $5.6B."""
    if x is None or not math.isfinite(x):
        return "—"
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x >= 1e9:
        return f"{sign}${x / 1e9:.{digits - 1}f}B".replace(".0B", "B")
    if x >= 1e6:
        return f"{sign}${x / 1e6:.{digits - 1}f}M".replace(".0M", "M")
    if x >= 1e4:
        return f"{sign}${x / 1e3:.{digits - 1}f}K".replace(".0K", "K")
    if x >= 100:
        return f"{sign}${x:,.0f}"
    if x >= 1:
        return f"{sign}${x:,.2f}"
    if x == 0:
        return "$0"
    if x < 0.01:
        return "< $0.01" if not sign else "> -$0.01"
    return f"{sign}${x:.2f}"


def count(x: float) -> str:
    """Queries and tokens: 1,200 / 45K / 3.4M."""
    if x is None or not math.isfinite(x):
        return "—"
    if x >= 1e9:
        return f"{x / 1e9:.3g}B"
    if x >= 1e6:
        return f"{x / 1e6:.3g}M"
    if x >= 1e4:
        return f"{x / 1e3:.3g}K"
    return f"{x:,.0f}"


def ms(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x / 1000:.2f} s" if x >= 1000 else f"{x:.0f} ms"
