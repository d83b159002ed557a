"""Latency of one request: its parts (network, retrieval, queueing, first token, generation), their p50/p95
combined, and what would close a gap to the scenario's latency limit (docs/formulas.md, "Latency")."""

from __future__ import annotations

import math

import numpy as np

from planner.engine.costs import (
    SECONDS_PER_MONTH,
    cache_hit_share,
    elementwise_total,
    load_factor,
    prefix_tokens,
    prompt_tokens,
    queries_per_replica_month,
    replicas,
    sequences_per_replica,
    serving_point,
)
from planner.engine.inputs import Inputs
from planner.engine.serving import output_tokens, sequence_speed_at_load
from planner.model.scenario import USES_RETRIEVAL, USES_TUNED

# The tail series of the Erlang C computation stops once its next term is below this share of the sum,
# or after this many terms; its ratio is at most a ÷ (c + 1) ≤ ρ, so the terms left out sum to less than
# term × ρ ÷ (1 − ρ) (docs/formulas.md, "Queueing").
ERLANG_TOL = 1e-15
ERLANG_MAX_TERMS = 4000


def erlang_c(servers: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Probability an arrival waits in an M/M/c queue (c = servers, load a = λ/μ in erlangs), in bounded time.

    Erlang B is the Poisson ratio B = P(X = c) ÷ P(X ≤ c) for X ~ Poisson(a). P(X = c) is computed in log space
    (c·ln a − a − ln c!), and P(X ≤ c) = 1 − P(X = c) · Σ_{j≥1} Π_{i=1..j} a ÷ (c + i), a series whose ratio is
    below ρ = a ÷ c < 1, so it converges in a number of terms that depends on ρ, not on c. Then
    C = B ÷ (1 − ρ + ρ·B). A load at or above capacity (ρ ≥ 1) always waits: C = 1.
    """
    c = np.asarray(servers, dtype=float)
    a = np.asarray(load, dtype=float)
    c, a = np.broadcast_arrays(c, a)
    out = np.ones(c.shape)
    ok = (c >= 1) & (a < c)
    out[ok & (a <= 0)] = 0.0
    ok &= a > 0
    if not ok.any():
        return out
    cc, aa = c[ok], a[ok]
    lgamma = np.vectorize(math.lgamma, otypes=[float])
    log_pmf = cc * np.log(aa) - aa - lgamma(cc + 1)
    pmf = np.exp(log_pmf)  # underflows to 0 only where the wait probability is below 1e-300
    term, tail = np.ones_like(aa), np.zeros_like(aa)
    for j in range(1, ERLANG_MAX_TERMS + 1):
        term = term * aa / (cc + j)
        tail += term
        if np.all(term <= ERLANG_TOL * tail):
            break
    cdf = 1.0 - pmf * tail  # ≥ ½: the Poisson median is at most a + ⅓ ≤ c
    b = pmf / cdf
    rho = aa / cc
    out[ok] = b / (1 - rho + rho * b)
    return np.clip(out, 0.0, 1.0)


def _first_token(
    i: Inputs, arch: str, q: np.ndarray, ttft: np.ndarray | float, tin: float, r: float
) -> tuple[np.ndarray, np.ndarray]:
    """(p50, p95) time to first token. Through an API a cache hit skips the model's first-token saving share
    of the cached prefix's prefill: the median request is a hit when at least half hit, the p95 one when at
    least 95% do (the misses are the slow ones)."""
    zero = np.zeros_like(q)
    m = "tuned" if USES_TUNED[arch] else "llm"
    saving = getattr(i, f"{m}_cache_first_token_saving_share")
    if i.self_hosted or saving <= 0:
        return zero + ttft, zero + ttft * r
    hit = cache_hit_share(i, arch, q)
    fast = ttft - i.ttft_ms_per_1k_input_tokens * saving * min(prefix_tokens(i, arch), tin) / 1000
    return np.where(hit >= 0.5, fast, ttft), np.where(hit >= 0.95, fast, ttft) * r


def latency_parts(i: Inputs, arch: str, q: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(p50, p95) in ms of each part of one request's path, at each volume.

    API: the entry's time to first token (plus the per-1K-input-token slope) and output speed. Self-hosted:
    the serving model's prefill and per-sequence speed at the replica's operating batch (the figures its
    throughput and cost come from). Hidden reasoning tokens are decoded before the first answer token."""
    tin, tout = prompt_tokens(i, arch)
    zero = np.zeros_like(q)
    r = i.p95_over_p50
    tuned = USES_TUNED[arch]
    reasoning = output_tokens(i, arch) - tout
    entry_ttft = (i.tuned_ttft_ms if tuned else i.llm_ttft_ms) + i.ttft_ms_per_1k_input_tokens * tin / 1000
    tps: np.ndarray
    if i.self_hosted:
        tps = _speed_at_load(i, arch, q, tin)
        # legacy (no GPU datasheet): the entry's first-token time, its per-token speed shared by the batch
        first = serving_point(i, arch).prefill_ms if i.serving_model else entry_ttft
    else:
        tps = zero + (i.tuned_output_tokens_per_second if tuned else i.llm_output_tokens_per_second)
        first = entry_ttft
    ttft = first + reasoning / tps * 1000
    gen = tout / tps * 1000
    parts = {
        "network": (zero + i.network_overhead_ms, zero + i.network_overhead_ms * r),
        "query_embedding": (zero, zero),
        "vector_search": (zero, zero),
        "reranking": (zero, zero),
        "queueing": (zero, zero),
        "time_to_first_token": _first_token(i, arch, q, ttft, tin, r),
        "generation": (zero + gen, zero + gen * r),
    }
    if USES_RETRIEVAL[arch]:
        parts["query_embedding"] = (zero + i.embed_latency_p50_ms, zero + i.embed_latency_p95_ms)
        parts["vector_search"] = (zero + i.vs_latency_p50_ms, zero + i.vs_latency_p95_ms)
        parts["reranking"] = (zero + i.rerank * i.rerank_latency_p50_ms, zero + i.rerank * i.rerank_latency_p95_ms)
    if i.self_hosted:
        parts["queueing"] = _queueing(i, arch, q)
    return parts


def _speed_at_load(i: Inputs, arch: str, q: np.ndarray, tin: float) -> np.ndarray:
    """Per-sequence speed at each volume: a replica decodes as many sequences at once as its share of the
    sizing load keeps busy (Little's law: arrivals a second × a request's time at the operating point),
    at most its operating batch."""
    sp = serving_point(i, arch)
    request_s = sp.prefill_ms / 1000 + output_tokens(i, arch) / sp.sequence_tokens_per_second
    lam = q / SECONDS_PER_MONTH * load_factor(i) / replicas(i, arch, q)
    concurrent = np.minimum(np.ceil(lam * request_s - 1e-9), sp.sequences)
    speeds = {n: sequence_speed_at_load(i, arch, tin, n) for n in np.unique(concurrent).tolist()}
    return np.array([speeds[n] for n in concurrent.tolist()], dtype=float)


def _queueing(i: Inputs, arch: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """M/M/c at the sizing load: c = replicas × the operating batch, each slot serving one request at a time
    at the per-sequence speed (μ = replica throughput ÷ (batch × tokens a request decodes)), so the fleet's
    service rate c·μ is exactly what cost sizing counts on."""
    cap = queries_per_replica_month(i, arch)
    if not math.isfinite(cap):
        return np.zeros_like(q), np.zeros_like(q)
    slots = sequences_per_replica(i, arch)
    c = replicas(i, arch, q) * slots
    mu = cap / SECONDS_PER_MONTH / i.target_utilization * load_factor(i) / slots  # requests/s one slot serves
    lam = q / SECONDS_PER_MONTH * load_factor(i)
    p_wait = erlang_c(c, lam / mu)
    spare = np.maximum(c * mu - lam, 1e-12)
    # P(W > t) = P_wait · exp(−(cμ − λ) t)  ⇒  the quantile t_p = ln(P_wait / (1 − p)) / (cμ − λ)
    w50 = np.maximum(0.0, np.log(np.maximum(p_wait, 1e-300) / 0.5)) / spare * 1000
    w95 = np.maximum(0.0, np.log(np.maximum(p_wait, 1e-300) / 0.05)) / spare * 1000
    return w50, w95


def combine_latency(parts: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """p50 = Σ p50ᵢ; p95 = p50 + √Σ(p95ᵢ − p50ᵢ)² (independent tails add in quadrature)."""
    p50 = elementwise_total(p[0] for p in parts.values())
    tail = np.sqrt(sum((p[1] - p[0]) ** 2 for p in parts.values()))
    return p50, p50 + tail


#: The parts of a request's path before its first token reaches the user (everything but generation).
FIRST_TOKEN_PARTS = ("network", "query_embedding", "vector_search", "reranking", "queueing", "time_to_first_token")


def first_token_latency(parts: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(p50, p95) of the time to the first token: the parts before generation, combined as `combine_latency`."""
    return combine_latency({k: v for k, v in parts.items() if k in FIRST_TOKEN_PARTS})


def p95_of(breakdown: dict[str, tuple[float, float]], applies_to: str) -> float:
    keep = {
        k: (np.array([v[0]]), np.array([v[1]]))
        for k, v in breakdown.items()
        if applies_to == "full_answer" or k in FIRST_TOKEN_PARTS
    }
    return float(combine_latency(keep)[1][0])


def closing_the_gap(breakdown: dict[str, tuple[float, float]], limit_ms: float, applies_to: str) -> str:
    """A sentence naming the changes that would shorten the bounded p95, each with the time it saves."""
    from planner.model import format as fmt

    now = p95_of(breakdown, applies_to)
    gap = now - limit_ms
    options: list[tuple[float, str]] = []

    def saving(part: str, factor: float) -> float:
        p50, p95 = breakdown.get(part, (0.0, 0.0))
        return now - p95_of({**breakdown, part: (p50 * factor, p95 * factor)}, applies_to)

    if applies_to == "full_answer" and breakdown.get("generation", (0, 0))[0] > 0:
        options.append((saving("generation", 0.5), "answers half as long"))
    ttft_cut = saving("time_to_first_token", 0.5)
    if applies_to == "full_answer":
        g50, g95 = breakdown.get("generation", (0.0, 0.0))
        t50, t95 = breakdown.get("time_to_first_token", (0.0, 0.0))
        halved = {**breakdown, "generation": (g50 * 0.5, g95 * 0.5), "time_to_first_token": (t50 * 0.5, t95 * 0.5)}
        both = now - p95_of(halved, applies_to)
        options.append((both, "a model twice as fast"))
    elif ttft_cut > 0:
        options.append((ttft_cut, "a model (or a prompt) with half the time to first token"))
    if breakdown.get("reranking", (0, 0))[1] > 0:
        options.append((saving("reranking", 0.0), "no rerank step"))
    if breakdown.get("queueing", (0, 0))[1] > 0:
        options.append(
            (
                saving("queueing", 0.0),
                "more replicas (a lower target utilization: sidebar, Assumptions; stack.target_utilization), "
                "no queueing",
            )
        )
    options = sorted((o for o in options if o[0] > 0.5), key=lambda o: -o[0])
    if not options:
        return f"The p95 is {fmt.ms(gap)} over the limit and no single change here closes it."
    said = "; ".join(f"{what} saves {fmt.ms(s)}{' (enough)' if s >= gap else ''}" for s, what in options)
    return f"{fmt.ms(gap)} over the limit: {said}."
