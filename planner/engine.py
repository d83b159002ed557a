"""Cost and latency engine: itemized monthly spend and latency of five architectures.

One vectorized pass over an array of query volumes computes every component of
every architecture (`compute`). `estimate` adds the low/high range, the figures
at the scenario's own volume, exact break-even volumes and the sensitivity
ranking. The formulas are documented, with their symbols, in docs/formulas.md.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import numpy as np

from planner.inputs import Inputs, PriceUsed, build_inputs
from planner.lifecycle import scenario_issues
from planner.scenario import ARCHITECTURES, COLORS, LABELS, Scenario
from planner.vector_stores import VS_SENSITIVITY_LABELS, vector_store_usd
from pricing.models import Catalog

SECONDS_PER_MONTH = 730 * 3600.0
#: Above this many self-hosted replicas at the scenario's volume the estimate warns that the inputs are absurd.
ABSURD_REPLICAS = 10_000

COMPONENT_LABELS = {
    "inference": "LLM inference (API tokens)",
    "gpu_serving": "GPU serving (self-hosted)",
    "model_hosting": "Tuned-model hosting fee",
    "query_embedding": "Query embedding",
    "vector_store": "Vector store",
    "reranking": "Reranking",
    "reembedding": "Re-embedding changed documents",
    "training": "Retraining runs",
}
ONE_TIME_LABELS = {
    "engineering": "Engineering",
    "initial_indexing": "Initial indexing",
    "labelling": "Labelling training examples",
    "first_training": "First training run",
}
LATENCY_LABELS = {
    "network": "Network round trip",
    "query_embedding": "Query embedding",
    "vector_search": "Vector search",
    "reranking": "Reranking",
    "queueing": "Queueing (self-hosted)",
    "time_to_first_token": "Time to first token",
    "generation": "Generation",
}
USES_RETRIEVAL = {"prompt_only": False, "long_context": False, "rag": True, "fine_tuned": False, "hybrid": True}
USES_TUNED = {"prompt_only": False, "long_context": False, "rag": False, "fine_tuned": True, "hybrid": True}
#: Architectures that put the whole knowledge base in the (cached) prompt.
KNOWLEDGE_IN_PROMPT = {a: a == "long_context" for a in ARCHITECTURES}


# ------------------------------------------------------------------ core maths


def corpus(i: Inputs) -> dict[str, float]:
    """Chunks, embedded tokens and stored bytes of the knowledge base."""
    stride = i.chunk_tokens - i.chunk_overlap_tokens
    chunks_per_doc = max(1.0, math.ceil(max(i.tokens_per_document - i.chunk_overlap_tokens, 0.0) / stride))
    vectors = i.corpus_documents * chunks_per_doc
    embedded_tokens = i.corpus_documents * (i.tokens_per_document + (chunks_per_doc - 1) * i.chunk_overlap_tokens)
    record_bytes = i.embed_dimensions * 4 + i.metadata_bytes_per_chunk
    return {
        "chunks_per_document": chunks_per_doc,
        "vectors": vectors,
        "embedded_tokens": embedded_tokens,
        "record_bytes": record_bytes,
        "stored_gb": vectors * record_bytes / 1e9,
    }


def knowledge_base_tokens(i: Inputs) -> float:
    """Tokens of the whole knowledge base (what the long-context option puts in its prompt)."""
    return i.corpus_documents * i.tokens_per_document


def prefix_tokens(i: Inputs, arch: str) -> float:
    """The static start of every prompt, the same on every request (what a prompt cache can hold)."""
    if KNOWLEDGE_IN_PROMPT[arch]:
        return i.system_prompt_tokens + knowledge_base_tokens(i)
    if USES_TUNED[arch]:
        return i.system_prompt_tokens  # a tuned model has learnt what the examples show
    return i.system_prompt_tokens + i.few_shot_tokens


def prompt_tokens(i: Inputs, arch: str, retrieving: bool = True) -> tuple[float, float]:
    """(input, output) tokens of one request on each architecture's own prompt.

    For RAG and hybrid, `retrieving` says whether the request was routed to retrieval
    (it then carries top_k chunks); the others never retrieve."""
    tokens = prefix_tokens(i, arch) + i.input_tokens_per_query
    if USES_RETRIEVAL[arch] and retrieving:
        tokens += i.top_k * i.chunk_tokens
    return tokens, i.output_tokens_per_query


def _share(x: float) -> float:
    return min(1.0, max(0.0, x))


def mean_input_tokens(i: Inputs, arch: str) -> float:
    """Input tokens per query averaged over routed (retrieving) and direct requests."""
    if not USES_RETRIEVAL[arch]:
        return prompt_tokens(i, arch)[0]
    r = _share(i.retrieval_query_share)
    return r * prompt_tokens(i, arch, True)[0] + (1 - r) * prompt_tokens(i, arch, False)[0]


def cache_hit_share(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    """Share of requests that find the static prefix in the prompt cache.

    Fixed by the scenario, or 1 − e^(−λ·TTL): a request hits when another one came within the
    cache lifetime, for requests arriving at λ = queries per second (one prefix)."""
    if i.cache_hit_share >= 0:
        return np.zeros_like(q) + _share(i.cache_hit_share)
    ttl = i.tuned_cache_ttl_seconds if USES_TUNED[arch] else i.llm_cache_ttl_seconds
    lam = q / SECONDS_PER_MONTH  # batch requests carry the same prefix
    return 1 - np.exp(-lam * ttl)


def llm_usd_per_query(i: Inputs, arch: str, tin: float, tout: float, hit: np.ndarray) -> np.ndarray:
    """LLM spend of one request of `tin` input and `tout` output tokens, at cache hit share `hit`.

    Interactive requests pay the cached price for the prefix on a hit and the cache-write price
    on a miss, the input price for the rest; batch requests pay batch prices, a cached prefix at the
    lower of the cached and batch input prices.
    Above the long-context threshold every price is the tier's (writes and batch at its input and
    output prices: the catalog gives a tier no write or batch price)."""
    m = "tuned" if USES_TUNED[arch] else "llm"

    def price(name: str, fallback: float) -> float:  # NaN in Inputs: not offered, the fallback applies
        v = getattr(i, f"{m}_{name}_usd_per_1m_tokens")
        return fallback if math.isnan(v) else v

    p_in, p_out = price("input", 0.0), price("output", 0.0)
    cached, write = price("cached_input", p_in), price("cache_write", p_in)
    b_in, b_out = price("batch_input", p_in), price("batch_output", p_out)
    if tin > getattr(i, f"{m}_tier_above_input_tokens"):
        # the catalog gives a tier no write or batch price: writes and batch requests pay the tier's prices
        t_in, t_out = price("tier_input", p_in), price("tier_output", p_out)
        cached = price("tier_cached_input", t_in)
        p_in, p_out, write, b_in, b_out = t_in, t_out, t_in, t_in, t_out
    prefix = min(prefix_tokens(i, arch), tin)
    interactive = prefix * (hit * cached + (1 - hit) * write) + (tin - prefix) * p_in + tout * p_out
    # batch requests share the cached prefix too: a hit at the lower of the cached and batch input prices
    batch = prefix * (hit * min(cached, b_in) + (1 - hit) * b_in) + (tin - prefix) * b_in + tout * b_out
    b = _share(i.batch_query_share)
    return ((1 - b) * interactive + b * batch) / 1e6


def rerank_usd_per_query(i: Inputs) -> float:
    """Reranking one retrieving query: per search (ceil(candidates ÷ documents per search) searches)
    or per 1M tokens of query + candidate text, as the reranker bills."""
    if not i.rerank:
        return 0.0
    n = max(i.rerank_candidates_per_query, i.top_k)
    searches = math.ceil(n / i.rerank_max_documents_per_search - 1e-9)
    per_search = searches * i.rerank_usd_per_1k_searches / 1000
    per_token = n * (i.input_tokens_per_query + i.chunk_tokens) * i.rerank_usd_per_1m_tokens / 1e6
    return per_search + per_token


def embed_batch_price(i: Inputs) -> float:
    """Embedding price for indexing and re-embedding: the batch price where offered."""
    v = i.embed_batch_usd_per_1m_tokens
    return i.embed_usd_per_1m_tokens if math.isnan(v) else v


def candidates_retrieved(i: Inputs) -> float:
    """Records the vector store returns per retrieving query: the rerank candidates, or top_k."""
    return max(i.rerank_candidates_per_query, i.top_k) if i.rerank else i.top_k


def dedicated_replicas(i: Inputs, q: np.ndarray) -> np.ndarray:
    """Replicas of a tuned model's dedicated endpoint: ceil(peak output tokens/s ÷ one replica's), at least 1.

    With no per-replica throughput in the catalog the endpoint is one replica (the hourly fee alone)."""
    if i.tuned_dedicated_output_tokens_per_second <= 0:
        return np.ones_like(q, dtype=float)
    peak_tps = q / SECONDS_PER_MONTH * i.peak_to_average_ratio * i.output_tokens_per_query
    return np.maximum(1.0, np.ceil(peak_tps / i.tuned_dedicated_output_tokens_per_second - 1e-9))


def replicas(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    """Self-hosted replicas for volume `q`: ceil(peak work ÷ (throughput × utilization)), at least the minimum."""
    tin, tout = mean_input_tokens(i, arch), i.output_tokens_per_query
    thr = i.serving_tokens_per_second_tuned if USES_TUNED[arch] else i.serving_tokens_per_second_base
    peak_qps = q / SECONDS_PER_MONTH * i.peak_to_average_ratio
    work = tout + tin * i.input_token_weight
    need = peak_qps * work / (thr * i.target_utilization)
    # tiny tolerance so that an exact multiple does not round up by float noise
    return np.maximum(i.min_replicas, np.ceil(need - 1e-9))


def gpus_per_replica(i: Inputs, arch: str) -> float:
    """GPUs in one self-hosted replica of the model serving `arch` (1, 2, 4 or 8; see planner/inputs.py)."""
    return i.serving_gpus_per_replica_tuned if USES_TUNED[arch] else i.serving_gpus_per_replica_base


def sequences_per_replica(i: Inputs, arch: str) -> float:
    """Sequences one replica decodes at once: the KV cache left beside the weights ÷ one request's KV, capped."""
    cap = i.serving_max_sequences_per_replica
    if i.serving_gpu_memory_gb <= 0:
        return cap  # memory unknown: the server's batch cap (a warning says so)
    tin, tout = prompt_tokens(i, arch)
    tuned = USES_TUNED[arch]
    weights = i.serving_weights_gb_tuned if tuned else i.serving_weights_gb_base
    kv = i.serving_kv_bytes_per_token_tuned if tuned else i.serving_kv_bytes_per_token_base
    free_gb = gpus_per_replica(i, arch) * i.serving_gpu_memory_gb * i.serving_memory_utilization - weights
    per_request_gb = kv * (tin + tout) / 1e9
    if per_request_gb <= 0:
        return cap
    return float(min(cap, max(1.0, math.floor(free_gb / per_request_gb + 1e-9))))


def rerank_searches_per_query(i: Inputs) -> float:
    """One search reranks up to max_documents_per_search candidates; more count as several searches."""
    return float(math.ceil(i.top_k / i.rerank_max_documents_per_search - 1e-9))


def training_usd_per_run(i: Inputs) -> float:
    tokens = i.training_examples * i.tokens_per_example * i.epochs
    if i.training_gpu_usd_per_hour > 0:
        return tokens / (i.training_tokens_per_second * 3600) * i.training_gpu_usd_per_hour
    return tokens / 1e6 * i.training_usd_per_1m_tokens


def monthly_components(i: Inputs, arch: str, q: np.ndarray, c: dict | None = None) -> dict[str, np.ndarray]:
    """Monthly USD of every component of `arch` at each volume in `q`."""
    c = c or corpus(i)
    zero = np.zeros_like(q)
    tuned = USES_TUNED[arch]
    out = dict.fromkeys(COMPONENT_LABELS, zero)
    r = _share(i.retrieval_query_share) if USES_RETRIEVAL[arch] else 1.0
    if i.self_hosted:
        out["gpu_serving"] = (
            replicas(i, arch, q) * gpus_per_replica(i, arch) * i.serving_gpu_usd_per_hour * i.hours_per_month
        )
    else:
        hit = cache_hit_share(i, arch, q)
        tin, tout = prompt_tokens(i, arch, True)
        per_query = r * llm_usd_per_query(i, arch, tin, tout, hit)
        if r < 1:
            tin0, _ = prompt_tokens(i, arch, False)
            per_query = per_query + (1 - r) * llm_usd_per_query(i, arch, tin0, tout, hit)
        out["inference"] = q * per_query
        if tuned:
            out["model_hosting"] = dedicated_replicas(i, q) * i.tuned_hosting_usd_per_hour * i.hours_per_month
    if USES_RETRIEVAL[arch]:
        out["query_embedding"] = q * r * i.input_tokens_per_query * i.embed_usd_per_1m_tokens / 1e6
        out["vector_store"] = vector_store_usd(i, q * r, c)[0]
        out["reranking"] = q * r * rerank_usd_per_query(i)
        out["reembedding"] = zero + c["embedded_tokens"] * i.corpus_change_share_per_month * embed_batch_price(i) / 1e6
    if tuned:
        runs = i.knowledge_retrains_per_month if arch == "fine_tuned" else i.behaviour_retrains_per_month
        out["training"] = zero + runs * training_usd_per_run(i)
    return out


def one_time_usd(i: Inputs, arch: str, c: dict | None = None) -> dict[str, float]:
    c = c or corpus(i)
    days = getattr(i, f"engineering_days_{arch}")
    out = {
        "engineering": days * i.usd_per_engineering_day,
        "initial_indexing": 0.0,
        "labelling": 0.0,
        "first_training": 0.0,
    }
    if USES_RETRIEVAL[arch]:
        store_initial = vector_store_usd(i, np.zeros(1), c)[1]
        out["initial_indexing"] = c["embedded_tokens"] * embed_batch_price(i) / 1e6 + store_initial
    if USES_TUNED[arch]:
        out["labelling"] = max(0.0, i.training_examples - i.examples_on_hand) * i.labelling_usd_per_example
        out["first_training"] = training_usd_per_run(i)
    return out


# The tail series of the Erlang C computation stops once its next term is below this share of the sum,
# or after this many terms; its ratio is at most a ÷ (c + 1) ≤ ρ, so the terms left out sum to less than
# term × ρ ÷ (1 − ρ) (docs/formulas.md, "Queueing").
_ERLANG_TOL = 1e-15
_ERLANG_MAX_TERMS = 4000


def _erlang_c(servers: np.ndarray, load: np.ndarray) -> np.ndarray:
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
    for j in range(1, _ERLANG_MAX_TERMS + 1):
        term = term * aa / (cc + j)
        tail += term
        if np.all(term <= _ERLANG_TOL * tail):
            break
    cdf = 1.0 - pmf * tail  # ≥ ½: the Poisson median is at most a + ⅓ ≤ c
    b = pmf / cdf
    rho = aa / cc
    out[ok] = b / (1 - rho + rho * b)
    return np.clip(out, 0.0, 1.0)


def latency_parts(i: Inputs, arch: str, q: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(p50, p95) in ms of each part of one request's path, at each volume."""
    tin, tout = prompt_tokens(i, arch)
    zero = np.zeros_like(q)
    r = i.p95_over_p50
    tuned = USES_TUNED[arch]
    ttft = (i.tuned_ttft_ms if tuned else i.llm_ttft_ms) + i.ttft_ms_per_1k_input_tokens * tin / 1000
    tps = i.tuned_output_tokens_per_second if tuned else i.llm_output_tokens_per_second
    gen = tout / tps * 1000
    parts = {
        "network": (zero + i.network_overhead_ms, zero + i.network_overhead_ms * r),
        "query_embedding": (zero, zero),
        "vector_search": (zero, zero),
        "reranking": (zero, zero),
        "queueing": (zero, zero),
        "time_to_first_token": (zero + ttft, zero + ttft * r),
        "generation": (zero + gen, zero + gen * r),
    }
    if USES_RETRIEVAL[arch]:
        parts["query_embedding"] = (zero + i.embed_latency_p50_ms, zero + i.embed_latency_p95_ms)
        parts["vector_search"] = (zero + i.vs_latency_p50_ms, zero + i.vs_latency_p95_ms)
        parts["reranking"] = (zero + i.rerank * i.rerank_latency_p50_ms, zero + i.rerank * i.rerank_latency_p95_ms)
    work = tout + mean_input_tokens(i, arch) * i.input_token_weight
    if i.self_hosted and work > 0:
        # M/M/c at peak with batched replicas: c = replicas × sequences per replica slots, each slot
        # serving thr ÷ (slots × work) requests a second (a replica's throughput shared by its batch).
        slots = sequences_per_replica(i, arch)
        c = replicas(i, arch, q) * slots
        thr = i.serving_tokens_per_second_tuned if tuned else i.serving_tokens_per_second_base
        mu = thr / (slots * work)
        lam = q / SECONDS_PER_MONTH * i.peak_to_average_ratio
        p_wait = _erlang_c(c, lam / mu)
        spare = np.maximum(c * mu - lam, 1e-12)
        # P(W > t) = P_wait · exp(−(cμ − λ) t)  ⇒  the quantile t_p = ln(P_wait / (1 − p)) / (cμ − λ)
        w50 = np.maximum(0.0, np.log(np.maximum(p_wait, 1e-300) / 0.5)) / spare * 1000
        w95 = np.maximum(0.0, np.log(np.maximum(p_wait, 1e-300) / 0.05)) / spare * 1000
        parts["queueing"] = (w50, w95)
    return parts


def _total(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """Element-wise Σ of arrays: the builtin `sum` (from 0, which numpy broadcasts away), typed."""
    return cast(np.ndarray, sum(arrays))


def combine_latency(parts: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """p50 = Σ p50ᵢ; p95 = p50 + √Σ(p95ᵢ − p50ᵢ)² (independent tails add in quadrature)."""
    p50 = _total(p[0] for p in parts.values())
    tail = np.sqrt(sum((p[1] - p[0]) ** 2 for p in parts.values()))
    return p50, p50 + tail


#: The parts of a request's path before its first token reaches the user (everything but generation).
FIRST_TOKEN_PARTS = ("network", "query_embedding", "vector_search", "reranking", "queueing", "time_to_first_token")


def first_token_latency(parts: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(p50, p95) of the time to the first token: the parts before generation, combined as `combine_latency`."""
    return combine_latency({k: v for k, v in parts.items() if k in FIRST_TOKEN_PARTS})


def monthly_totals(i: Inputs, q: np.ndarray, archs: tuple[str, ...] = ARCHITECTURES) -> dict[str, np.ndarray]:
    c = corpus(i)
    return {a: _total(monthly_components(i, a, q, c).values()) for a in archs}


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Series:
    """One architecture over the volume grid."""

    key: str
    label: str
    color: str
    total_usd: np.ndarray
    low_usd: np.ndarray
    high_usd: np.ndarray
    components_usd: dict[str, np.ndarray]
    usd_per_1k_queries: np.ndarray
    latency_p50_ms: np.ndarray  # to the full answer
    latency_p95_ms: np.ndarray
    replicas: np.ndarray | None
    first_token_p50_ms: np.ndarray  # to the first token
    first_token_p95_ms: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    """One architecture at the scenario's own volume."""

    key: str
    label: str
    queries_per_month: float
    monthly_usd: float
    monthly_low_usd: float
    monthly_high_usd: float
    components_usd: dict[str, float]
    usd_per_1k_queries: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_breakdown_ms: dict[str, tuple[float, float]]
    one_time_usd: dict[str, float]
    one_time_total_usd: float
    tco_usd: float
    tco_low_usd: float
    tco_high_usd: float
    input_tokens_per_query: float
    replicas: int | None
    cache_hit_share: float = 0.0  # share of requests reading the prompt prefix from the cache
    first_token_p50_ms: float = 0.0  # time to the first token; latency_p50_ms/latency_p95_ms are to the full answer
    first_token_p95_ms: float = 0.0
    gpus_per_replica: int | None = None  # self-hosted only
    sequences_per_replica: int | None = None


@dataclass(frozen=True)
class BreakEven:
    a: str
    b: str
    queries_per_month: float
    usd_per_month: float
    cheaper_below: str
    cheaper_above: str
    at_step: bool  # the crossing is a jump of a capacity step, not a smooth crossing

    def describe(self) -> str:
        how = " (at a capacity step)" if self.at_step else ""
        return (
            f"{LABELS[self.cheaper_below]} is cheaper below {self.queries_per_month:,.0f} queries/month, "
            f"{LABELS[self.cheaper_above]} above{how}"
        )


@dataclass(frozen=True)
class Sensitivity:
    input: str
    label: str
    low_usd: float  # monthly spend with the input at −delta
    high_usd: float  # at +delta
    base_usd: float

    @property
    def swing_usd(self) -> float:
        return abs(self.high_usd - self.low_usd)


@dataclass(frozen=True)
class Estimate:
    scenario: Scenario
    catalog_version: str
    catalog_date: str
    volumes: np.ndarray
    series: dict[str, Series]
    current: dict[str, Snapshot]
    break_evens: tuple[BreakEven, ...]
    sensitivity: dict[str, tuple[Sensitivity, ...]]
    sensitivity_delta: float
    prices_used: tuple[PriceUsed, ...]
    corpus: dict[str, float]
    warnings: tuple[str, ...]
    #: architectures that cannot run at all for this scenario, with the reason (no curve, no number)
    ruled_out: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def priced(self) -> tuple[str, ...]:
        """The architectures that were priced, in ARCHITECTURES order (those not ruled out)."""
        return tuple(a for a in ARCHITECTURES if a in self.series)

    def cumulative_usd(self, arch: str, which: str = "monthly_usd") -> np.ndarray:
        """Cumulative spend at months 0..horizon: one-time costs, then the monthly spend each month."""
        snap = self.current[arch]
        months = np.arange(self.scenario.horizon_months + 1)
        return snap.one_time_total_usd + getattr(snap, which) * months

    def limited_p95_ms(self, arch: str) -> float:
        """The p95 the scenario's latency limit bounds: to the full answer (default) or to the first token."""
        snap = self.current[arch]
        if self.scenario.latency_limit_applies_to == "first_token":
            return snap.first_token_p95_ms
        return snap.latency_p95_ms

    def latency_gap_advice(self, arch: str) -> str | None:
        """What would bring `arch` under the latency limit, with what each change saves; None when it is under."""
        limit = self.scenario.latency_target_p95_ms
        if limit is None or self.limited_p95_ms(arch) <= limit:
            return None
        return closing_the_gap(self.current[arch].latency_breakdown_ms, limit, self.scenario.latency_limit_applies_to)

    def cheapest(self) -> str:
        return min(self.priced, key=lambda a: self.current[a].monthly_usd)

    def to_dict(self) -> dict:
        """The stable JSON form (see docs/formulas.md, "JSON output")."""
        r = _round
        return {
            "schema_version": 1,
            "scenario": self.scenario.name,
            "catalog": {"version": self.catalog_version, "date": self.catalog_date},
            "queries_per_month": self.scenario.workload.queries_per_month,
            "volumes_queries_per_month": r(self.volumes),
            "architectures": {
                a: {
                    "label": s.label,
                    "monthly_usd": r(s.total_usd),
                    "monthly_low_usd": r(s.low_usd),
                    "monthly_high_usd": r(s.high_usd),
                    "components_usd": {k: r(v) for k, v in s.components_usd.items()},
                    "usd_per_1k_queries": r(s.usd_per_1k_queries),
                    "latency_p50_ms": r(s.latency_p50_ms),
                    "latency_p95_ms": r(s.latency_p95_ms),
                    "first_token_p50_ms": r(s.first_token_p50_ms),
                    "first_token_p95_ms": r(s.first_token_p95_ms),
                    "one_time_usd": {k: r(v) for k, v in self.current[a].one_time_usd.items()},
                    "one_time_total_usd": r(self.current[a].one_time_total_usd),
                    "tco_usd": r(self.current[a].tco_usd),
                    "at_queries_per_month": {
                        "monthly_usd": r(self.current[a].monthly_usd),
                        "monthly_low_usd": r(self.current[a].monthly_low_usd),
                        "monthly_high_usd": r(self.current[a].monthly_high_usd),
                        "components_usd": {k: r(v) for k, v in self.current[a].components_usd.items()},
                        "usd_per_1k_queries": r(self.current[a].usd_per_1k_queries),
                        "latency_p50_ms": r(self.current[a].latency_p50_ms),
                        "latency_p95_ms": r(self.current[a].latency_p95_ms),
                        "input_tokens_per_query": r(self.current[a].input_tokens_per_query),
                        "cache_hit_share": r(self.current[a].cache_hit_share),
                        "first_token_p50_ms": r(self.current[a].first_token_p50_ms),
                        "first_token_p95_ms": r(self.current[a].first_token_p95_ms),
                        "gpus_per_replica": self.current[a].gpus_per_replica,
                        "sequences_per_replica": self.current[a].sequences_per_replica,
                    },
                }
                for a, s in self.series.items()
            },
            "break_evens": [
                {
                    "between": [b.a, b.b],
                    "queries_per_month": r(b.queries_per_month),
                    "usd_per_month": r(b.usd_per_month),
                    "cheaper_below": b.cheaper_below,
                    "cheaper_above": b.cheaper_above,
                    "at_step": b.at_step,
                }
                for b in self.break_evens
            ],
            "sensitivity": {
                a: [
                    {"input": x.input, "label": x.label, "low_usd": r(x.low_usd), "high_usd": r(x.high_usd)}
                    for x in rows
                ]
                for a, rows in self.sensitivity.items()
            },
            "warnings": list(self.warnings),
            "ruled_out": dict(self.ruled_out),
            "latency_limit": {
                "p95_ms": self.scenario.latency_target_p95_ms,
                "applies_to": self.scenario.latency_limit_applies_to,
            },
        }


def _round(x):
    if isinstance(x, np.ndarray):
        return [float(f"{v:.6g}") for v in x.tolist()]
    return float(f"{x:.6g}")


def volume_grid(scenario: Scenario, volumes=None) -> np.ndarray:
    if volumes is not None:
        grid = np.asarray(sorted(set(float(v) for v in volumes)), dtype=float)
    else:
        vr = scenario.volumes
        grid = np.geomspace(vr.min_queries_per_month, vr.max_queries_per_month, vr.points)
    return grid


# Inputs ranked by the sensitivity analysis, with the labels people read.
SENSITIVITY_INPUTS = {
    "queries_per_month": "Queries per month",
    "input_tokens_per_query": "Input tokens per query",
    "output_tokens_per_query": "Output tokens per query",
    "system_prompt_tokens": "System prompt tokens",
    "few_shot_tokens": "Few-shot example tokens",
    "top_k": "Chunks retrieved (top-k)",
    "chunk_tokens": "Chunk size (tokens)",
    "corpus_documents": "Corpus documents",
    "tokens_per_document": "Tokens per document",
    "retrieval_query_share": "Share of queries that retrieve",
    "rerank_candidates_per_query": "Rerank candidates per query",
    "batch_query_share": "Share of queries sent as batch",
    "cache_hit_share": "Prompt-cache hit share",
    "corpus_change_share_per_month": "Corpus share changing per month",
    "training_examples": "Training examples",
    "epochs": "Training epochs",
    "knowledge_retrains_per_month": "Knowledge retrains per month",
    "behaviour_retrains_per_month": "Behaviour retrains per month",
    "peak_to_average_ratio": "Peak-to-average ratio",
    "llm_input_usd_per_1m_tokens": "LLM input price",
    "llm_output_usd_per_1m_tokens": "LLM output price",
    "llm_cached_input_usd_per_1m_tokens": "LLM cached-input price",
    "llm_batch_input_usd_per_1m_tokens": "LLM batch input price",
    "tuned_input_usd_per_1m_tokens": "Tuned-model input price",
    "tuned_output_usd_per_1m_tokens": "Tuned-model output price",
    "tuned_hosting_usd_per_hour": "Tuned-model hosting fee",
    "training_usd_per_1m_tokens": "Training price",
    "training_gpu_usd_per_hour": "Training GPU price",
    "embed_usd_per_1m_tokens": "Embedding price",
    "rerank_usd_per_1k_searches": "Rerank price",
    "rerank_usd_per_1m_tokens": "Rerank price per 1M tokens",
    "serving_gpu_usd_per_hour": "Serving GPU price",
    **VS_SENSITIVITY_LABELS,
}


def sensitivity(
    i: Inputs, delta: float = 0.25, archs: tuple[str, ...] = ARCHITECTURES
) -> dict[str, tuple[Sensitivity, ...]]:
    """Monthly spend at the scenario's volume with each input moved by ±delta, largest swing first."""
    q = np.array([i.queries_per_month])
    base = monthly_totals(i, q, archs)
    rows: dict[str, list[Sensitivity]] = {a: [] for a in archs}
    for name, label in SENSITIVITY_INPUTS.items():
        v = getattr(i, name)
        if v <= 0 or not math.isfinite(v):
            continue  # zero, unset (negative sentinel) or no tier (infinite)
        lo_i, hi_i = i.replace(**{name: v * (1 - delta)}), i.replace(**{name: v * (1 + delta)})
        if name == "chunk_tokens":  # chunks shrink and grow with their overlap, so the stride stays positive
            lo_i = lo_i.replace(chunk_overlap_tokens=i.chunk_overlap_tokens * (1 - delta))
            hi_i = hi_i.replace(chunk_overlap_tokens=i.chunk_overlap_tokens * (1 + delta))
        if name == "queries_per_month":
            lo = monthly_totals(i, q * (1 - delta), archs)
            hi = monthly_totals(i, q * (1 + delta), archs)
        else:
            lo, hi = monthly_totals(lo_i, q, archs), monthly_totals(hi_i, q, archs)
        for a in archs:
            if abs(hi[a][0] - lo[a][0]) > 1e-9:
                rows[a].append(Sensitivity(name, label, float(lo[a][0]), float(hi[a][0]), float(base[a][0])))
    return {a: tuple(sorted(r, key=lambda s: -s.swing_usd)) for a, r in rows.items()}


def _step_points(
    i: Inputs, lo: float, hi: float, archs: tuple[str, ...] = ARCHITECTURES, cap: int = 5000
) -> np.ndarray:
    """Volumes where a capacity step (a replica or an instance) is added, within [lo, hi]."""
    pts: list[float] = []
    if i.self_hosted:
        for arch in archs:
            tin, tout = mean_input_tokens(i, arch), i.output_tokens_per_query
            thr = i.serving_tokens_per_second_tuned if USES_TUNED[arch] else i.serving_tokens_per_second_base
            work = tout + tin * i.input_token_weight
            if work <= 0:
                continue  # no GPU work: always the minimum replicas
            per_replica = thr * i.target_utilization * SECONDS_PER_MONTH / (i.peak_to_average_ratio * work)
            k0 = max(1, math.floor(lo / per_replica))
            k1 = min(k0 + cap, math.ceil(hi / per_replica) + 1)
            pts.extend(k * per_replica for k in range(k0, k1))
    r = _share(i.retrieval_query_share)
    if i.vs_shape == "capacity" and r > 0 and any(USES_RETRIEVAL[a] for a in archs):
        per_inst = i.vs_max_queries_per_second * SECONDS_PER_MONTH / (i.peak_to_average_ratio * r)
        k0 = max(1, math.floor(lo / per_inst))
        k1 = min(k0 + cap, math.ceil(hi / per_inst) + 1)
        pts.extend(k * per_inst for k in range(k0, k1))
    p = np.asarray(pts, dtype=np.float64)
    return p[(p > lo) & (p < hi)]


def break_evens(
    i: Inputs, volumes: np.ndarray, totals: dict[str, np.ndarray], archs: tuple[str, ...] = ARCHITECTURES
) -> tuple[BreakEven, ...]:
    """Every volume where two architectures' monthly spend cross, found by bisection to 1e-10 relative."""
    lo, hi = float(volumes[0]), float(volumes[-1])
    steps = _step_points(i, lo, hi, archs)
    if steps.size:
        # evaluate on both sides of every step so no crossing hides inside a jump
        grid = np.unique(np.concatenate([volumes, steps * (1 - 1e-12), steps * (1 + 1e-7)]))
        tot = monthly_totals(i, grid, archs)
    else:
        grid, tot = volumes, totals
    out = []
    pairs = [(a, b) for n, a in enumerate(archs) for b in archs[n + 1 :]]
    for a, b in pairs:
        d = tot[a] - tot[b]
        scale = np.maximum(np.abs(tot[a]), np.abs(tot[b])) * 1e-12 + 1e-12
        s = np.where(np.abs(d) <= scale, 0, np.sign(d))
        nz = np.nonzero(s)[0]
        flips = nz[:-1][s[nz[:-1]] * s[nz[1:]] < 0], nz[1:][s[nz[:-1]] * s[nz[1:]] < 0]
        exact = [(int(i0), int(j0)) for i0, j0 in zip(*flips, strict=True) if j0 > i0 + 1]  # equal on a grid volume
        for i0, _j0 in exact:
            x = float(grid[i0 + 1])
            cheaper_below = b if s[i0] > 0 else a
            out.append(BreakEven(a, b, x, float(tot[a][i0 + 1]), cheaper_below, a if cheaper_below == b else b, False))
        idx = np.array([i0 for i0, j0 in zip(*flips, strict=True) if j0 == i0 + 1], dtype=int)
        if idx.size == 0:
            continue
        left, right = grid[idx].copy(), grid[idx + 1].copy()
        s_left = s[idx]
        for _ in range(200):
            if np.all(right - left <= left * 1e-10):
                break
            mid = np.sqrt(left * right)
            t = monthly_totals(i, mid, (a, b))
            sm = np.sign(t[a] - t[b])
            go_right = sm == s_left
            left = np.where(go_right, mid, left)
            right = np.where(go_right, right, mid)
        tl, tr = monthly_totals(i, left, (a, b)), monthly_totals(i, right, (a, b))
        for k in range(len(left)):
            x = float(right[k])
            jump_a = abs(tr[a][k] - tl[a][k]) > 1e-6 * max(1.0, abs(tl[a][k]))
            jump_b = abs(tr[b][k] - tl[b][k]) > 1e-6 * max(1.0, abs(tl[b][k]))
            cheaper_below = b if s_left[k] > 0 else a
            out.append(
                BreakEven(
                    a=a,
                    b=b,
                    queries_per_month=x,
                    usd_per_month=float((tr[a][k] + tr[b][k]) / 2),
                    cheaper_below=cheaper_below,
                    cheaper_above=a if cheaper_below == b else b,
                    at_step=bool(jump_a or jump_b),
                )
            )
    return tuple(sorted(out, key=lambda x: x.queries_per_month))


@functools.lru_cache(maxsize=64)
def _break_evens_cached(i: Inputs, volumes: bytes, archs: tuple[str, ...] = ARCHITECTURES) -> tuple[BreakEven, ...]:
    """Break-evens do not depend on the scenario's own volume: moving the volume slider reuses them."""
    q = np.frombuffer(volumes, dtype=float)
    return break_evens(i, q, monthly_totals(i, q, archs), archs)


def _series(
    i: Inputs, arch: str, q: np.ndarray, c: dict
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    comps = monthly_components(i, arch, q, c)
    parts = latency_parts(i, arch, q)
    p50, p95 = combine_latency(parts)
    return comps, _total(comps.values()), p50, p95, first_token_latency(parts)


def long_context_misfit(catalog: Catalog, scenario: Scenario, i: Inputs) -> str | None:
    """Why the knowledge base cannot ride in the prompt of `stack.llm`, or None when it fits."""
    llm = catalog.llms[scenario.stack.llm]
    kb = knowledge_base_tokens(i)
    tin, tout = prompt_tokens(i, "long_context")
    max_in = getattr(llm, "max_input_tokens", None)
    if tin + tout > llm.context_window_tokens:
        return (
            f"the knowledge base ({kb:,.0f} tokens) with the prompt and the answer ({tin + tout:,.0f} tokens) "
            f"does not fit {llm.name}'s context window of {llm.context_window_tokens:,} tokens"
        )
    if max_in is not None and tin > max_in:
        return (
            f"the knowledge base ({kb:,.0f} tokens) with the prompt ({tin:,.0f} input tokens) is above "
            f"{llm.name}'s maximum input of {max_in:,} tokens"
        )
    return None


def estimate(catalog: Catalog, scenario: Scenario, volumes=None, sensitivity_delta: float = 0.25) -> Estimate:
    """Itemized monthly spend and latency of the architectures over query volume (those that can run)."""
    typ, used = build_inputs(catalog, scenario, "value")
    low, _ = build_inputs(catalog, scenario, "low")
    high, _ = build_inputs(catalog, scenario, "high")
    q = volume_grid(scenario, volumes)
    q_now = np.array([scenario.workload.queries_per_month])
    c = corpus(typ)
    c_low, c_high = corpus(low), corpus(high)

    misfit = long_context_misfit(catalog, scenario, typ)
    ruled_out = {"long_context": f"Long context is ruled out: {misfit}."} if misfit else {}
    priced = tuple(a for a in ARCHITECTURES if a not in ruled_out)

    series, current = {}, {}
    for a in priced:
        comps, total, p50, p95, (f50, f95) = _series(typ, a, q, c)
        lo_total = _total(monthly_components(low, a, q, c_low).values())
        hi_total = _total(monthly_components(high, a, q, c_high).values())
        reps = replicas(typ, a, q) if typ.self_hosted else None
        series[a] = Series(
            a, LABELS[a], COLORS[a], total, lo_total, hi_total, comps, total / q * 1000, p50, p95, reps, f50, f95
        )

        now = monthly_components(typ, a, q_now, c)
        now_total = float(_total(now.values())[0])
        now_lo = float(_total(monthly_components(low, a, q_now, c_low).values())[0])
        now_hi = float(_total(monthly_components(high, a, q_now, c_high).values())[0])
        parts = latency_parts(typ, a, q_now)
        n50, n95 = combine_latency(parts)
        t50, t95 = first_token_latency(parts)
        one = one_time_usd(typ, a, c)
        one_lo, one_hi = sum(one_time_usd(low, a, c_low).values()), sum(one_time_usd(high, a, c_high).values())
        one_total = sum(one.values())
        months = scenario.horizon_months
        current[a] = Snapshot(
            key=a,
            label=LABELS[a],
            queries_per_month=float(q_now[0]),
            monthly_usd=now_total,
            monthly_low_usd=now_lo,
            monthly_high_usd=now_hi,
            components_usd={k: float(v[0]) for k, v in now.items()},
            usd_per_1k_queries=now_total / q_now[0] * 1000 if q_now[0] > 0 else 0.0,
            latency_p50_ms=float(n50[0]),
            latency_p95_ms=float(n95[0]),
            latency_breakdown_ms={k: (float(v[0][0]), float(v[1][0])) for k, v in parts.items()},
            one_time_usd=one,
            one_time_total_usd=one_total,
            tco_usd=one_total + now_total * months,
            tco_low_usd=one_lo + now_lo * months,
            tco_high_usd=one_hi + now_hi * months,
            input_tokens_per_query=mean_input_tokens(typ, a),
            replicas=int(replicas(typ, a, q_now)[0]) if typ.self_hosted else None,
            cache_hit_share=0.0 if typ.self_hosted else float(cache_hit_share(typ, a, q_now)[0]),
            first_token_p50_ms=float(t50[0]),
            first_token_p95_ms=float(t95[0]),
            gpus_per_replica=int(gpus_per_replica(typ, a)) if typ.self_hosted else None,
            sequences_per_replica=int(sequences_per_replica(typ, a)) if typ.self_hosted else None,
        )

    return Estimate(
        scenario=scenario,
        catalog_version=catalog.version,
        catalog_date=str(catalog.date),
        volumes=q,
        series=series,
        current=current,
        break_evens=_break_evens_cached(typ.replace(queries_per_month=0.0), q.tobytes(), priced),
        sensitivity=sensitivity(typ, sensitivity_delta, priced),
        sensitivity_delta=sensitivity_delta,
        prices_used=used,
        corpus=c,
        warnings=tuple(_warnings(catalog, scenario, typ, current)),
        ruled_out=ruled_out,
    )


def _p95_of(breakdown: dict[str, tuple[float, float]], applies_to: str) -> float:
    keep = {
        k: (np.array([v[0]]), np.array([v[1]]))
        for k, v in breakdown.items()
        if applies_to == "full_answer" or k in FIRST_TOKEN_PARTS
    }
    return float(combine_latency(keep)[1][0])


def closing_the_gap(breakdown: dict[str, tuple[float, float]], limit_ms: float, applies_to: str) -> str:
    """A sentence naming the changes that would shorten the bounded p95, each with the time it saves."""
    from planner import format as fmt

    now = _p95_of(breakdown, applies_to)
    gap = now - limit_ms
    options: list[tuple[float, str]] = []

    def saving(part: str, factor: float) -> float:
        p50, p95 = breakdown.get(part, (0.0, 0.0))
        return now - _p95_of({**breakdown, part: (p50 * factor, p95 * factor)}, applies_to)

    if applies_to == "full_answer" and breakdown.get("generation", (0, 0))[0] > 0:
        options.append((saving("generation", 0.5), "answers half as long"))
    ttft_cut = saving("time_to_first_token", 0.5)
    if applies_to == "full_answer":
        g50, g95 = breakdown.get("generation", (0.0, 0.0))
        t50, t95 = breakdown.get("time_to_first_token", (0.0, 0.0))
        halved = {**breakdown, "generation": (g50 * 0.5, g95 * 0.5), "time_to_first_token": (t50 * 0.5, t95 * 0.5)}
        both = now - _p95_of(halved, applies_to)
        options.append((both, "a model twice as fast"))
    elif ttft_cut > 0:
        options.append((ttft_cut, "a model (or a prompt) with half the time to first token"))
    if breakdown.get("reranking", (0, 0))[1] > 0:
        options.append((saving("reranking", 0.0), "no rerank step"))
    if breakdown.get("queueing", (0, 0))[1] > 0:
        options.append((saving("queueing", 0.0), "more replicas (a lower stack.target_utilization), no queueing"))
    options = sorted((o for o in options if o[0] > 0.5), key=lambda o: -o[0])
    if not options:
        return f"The p95 is {fmt.ms(gap)} over the limit and no single change here closes it."
    said = "; ".join(f"{what} saves {fmt.ms(s)}{' (enough)' if s >= gap else ''}" for s, what in options)
    return f"{fmt.ms(gap)} over the limit: {said}."


def _warnings(catalog: Catalog, scenario: Scenario, i: Inputs, current: dict[str, Snapshot]) -> list[str]:
    # entries that cannot be bought, or stop inside the horizon, first: nothing unavailable is priced silently
    out = [issue.message() for issue in scenario_issues(catalog, scenario)]
    llm = catalog.llms[scenario.stack.llm]
    offer = catalog.fine_tune_offers[scenario.stack.fine_tune]
    tuned = catalog.llms[offer.base_llm]
    for a in current:
        model = tuned if USES_TUNED[a] else llm
        need = prompt_tokens(i, a)[0] + scenario.workload.output_tokens_per_query
        if need > model.context_window_tokens:
            out.append(
                f"{LABELS[a]}: a prompt of {need:,.0f} tokens exceeds {model.name}'s context window "
                f"of {model.context_window_tokens:,} tokens"
            )
    max_docs = catalog.rerankers[scenario.stack.reranker].max_documents_per_search
    n = max(scenario.workload.rerank_candidates_per_query or 0, scenario.workload.top_k)
    if scenario.workload.rerank and n > max_docs and i.rerank_usd_per_1k_searches > 0:
        what = "top_k" if n == scenario.workload.top_k else "rerank_candidates_per_query"
        out.append(
            f"{what} ({n}) is above the reranker's {max_docs} documents per search: "
            f"each query is billed as {math.ceil(n / max_docs)} searches"
        )
    if not i.self_hosted:
        uncached = []
        for a in current:
            at_base = offer.served_at_base_price or offer.input_usd_per_1m_tokens is None
            model = tuned if USES_TUNED[a] else llm
            name = offer.name if USES_TUNED[a] and not at_base else model.name
            no_price = getattr(model, "cached_input_usd_per_1m_tokens", None) is None or name == offer.name
            if no_price and name not in uncached:
                uncached.append(name)
        if uncached:
            out.append(
                f"no cached-input price in the catalog for {', '.join(uncached)}: the static prompt prefix "
                "is billed at the full input price on every query (no prompt-cache discount)"
            )
    if i.self_hosted:
        most = max(current.values(), key=lambda snap: snap.replicas or 0)
        if (most.replicas or 0) > ABSURD_REPLICAS:
            out.append(
                f"{most.label} needs {most.replicas:,} GPU replicas at peak — more than {ABSURD_REPLICAS:,} is not a "
                "plan: check the GPU's serving throughput in the catalog, the utilization target and the volume"
            )
    if i.self_hosted and i.serving_gpu_memory_gb <= 0:
        out.append(
            f"{catalog.gpus[scenario.stack.gpu].name} has no `memory_gb_per_gpu` in the catalog: a replica is taken "
            f"as one whole instance holding {scenario.stack.max_sequences_per_replica} sequences at once, without "
            "checking that the model and its KV cache fit"
        )
    if i.training_examples and i.training_examples < 50:
        out.append(f"only {i.training_examples:.0f} training examples: fine-tuning usually needs at least 50 good ones")
    return out
