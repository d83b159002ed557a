"""Statistics of measured pass rates: the Wilson score interval and the sample size that tells two rates apart.

Both are the textbook formulas (Wilson 1927; the two-proportion sample size of Fleiss, Levin and Paik,
*Statistical Methods for Rates and Proportions*, without continuity correction), written out in
docs/formulas.md ("Measured quality").
"""

from __future__ import annotations

import math

#: two-sided 95% normal quantile (the interval's confidence, and the test's significance level α = 0.05)
Z_95 = 1.959963984540054
#: one-sided quantile for 80% power (β = 0.2)
Z_POWER_80 = 0.8416212335729143
#: the most cases per option a sample-size answer reports (beyond, the rates are the same for any practical eval)
MAX_SAMPLE_SIZE = 10_000_000


def wilson(pass_rate: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a pass rate measured on `n` cases: (low, high), both within 0–1.

    center = (p + z²/2n) / (1 + z²/n);  half = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)."""
    if not 0 <= pass_rate <= 1:
        raise ValueError(f"a pass rate is a share between 0 and 1, not {pass_rate}")
    if not n > 0:
        raise ValueError(f"a sample size is a number of cases above 0, not {n}")
    z2 = z * z
    denom = 1 + z2 / n
    center = (pass_rate + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(pass_rate * (1 - pass_rate) / n + z2 / (4 * n * n))
    return max(0.0, center - half), min(1.0, center + half)


def cases_to_separate(p1: float, p2: float, z_alpha: float = Z_95, z_beta: float = Z_POWER_80) -> int | None:
    """Cases per option an eval needs to tell pass rates `p1` and `p2` apart (two-sided α = 0.05, 80% power):

    n = (z_α·√(2·p̄·(1−p̄)) + z_β·√(p1(1−p1) + p2(1−p2)))² / (p1 − p2)², p̄ = (p1 + p2)/2, rounded up.
    None when the rates are equal (no eval of any size separates them)."""
    if p1 == p2:
        return None
    bar = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * bar * (1 - bar)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n = top * top / ((p1 - p2) ** 2)
    return min(MAX_SAMPLE_SIZE, math.ceil(n - 1e-9))
