"""Token percentiles from warehouse histograms: requests per token bucket, per model, input and output.

A histogram file (the 'Token histograms' CSV of docs/formulas.md) gives, per model and `tokens_kind`,
rows of `bucket_upper_tokens` and `requests`. A bucket runs from the model's previous upper bound of the
same kind (0 for its first) to its own upper bound, and its requests are taken as spread evenly across it.
The buckets of every model are pooled into one cumulative count F(x) = Σ requests × the share of the
bucket at or below x (a bucket of zero width counts whole from its bound), which is linear between bucket
bounds; the q-quantile is the x where F(x) = q × all requests, interpolated linearly between the two
bounds around it. One model with one set of bounds gives the usual within-bucket interpolation.
"""

from __future__ import annotations

Bin = tuple[float, float, float]  # (from tokens, to tokens, requests)


def bins_by_kind(rows) -> dict[str, list[Bin]]:
    """Rows (model, tokens_kind, bucket_upper_tokens, requests), in any order, as buckets per kind."""
    out: dict[str, list[Bin]] = {}
    last: dict[tuple[str, str], float] = {}
    for model, kind, upper, n in sorted(rows, key=lambda r: (r[1], r[0], r[2])):
        lower = last.get((model, kind), 0.0)
        last[(model, kind)] = float(upper)
        out.setdefault(kind, []).append((lower, float(upper), float(n)))
    return out


def _below(bins: list[Bin], x: float, strict: bool = False) -> float:
    """Requests at or below `x` (strictly below for zero-width buckets when `strict`)."""
    total = 0.0
    for lo, hi, n in bins:
        if hi <= lo:
            total += n if (x > hi if strict else x >= hi) else 0.0
        elif x >= hi:
            total += n
        elif x > lo:
            total += n * (x - lo) / (hi - lo)
    return total


def quantile(bins: list[Bin], q: float) -> float | None:
    """The q-quantile (0 < q < 1) of the pooled buckets, interpolated within a bucket; None when empty."""
    total = sum(n for _, _, n in bins)
    if total <= 0:
        return None
    target = q * total
    edges = sorted({e for lo, hi, _ in bins for e in (lo, hi)})
    prev = edges[0]
    if _below(bins, prev) >= target:
        return prev
    for edge in edges[1:]:
        if _below(bins, edge) >= target:
            f0, f1 = _below(bins, prev), _below(bins, edge, strict=True)
            if f1 < target or f1 <= f0:  # the target falls on a point mass at `edge`
                return edge
            return prev + (target - f0) / (f1 - f0) * (edge - prev)
        prev = edge
    return edges[-1]


def pooled(bins: list[Bin]) -> list[tuple[float, float, int]]:
    """The buckets of every model summed by (from, to), for the token histogram chart."""
    sums: dict[tuple[float, float], float] = {}
    for lo, hi, n in bins:
        sums[(lo, hi)] = sums.get((lo, hi), 0.0) + n
    return [(lo, hi, round(n)) for (lo, hi), n in sorted(sums.items())]
