"""Monthly and one-time spend of each architecture: the vectorized core pass over query volume.

Every component of every architecture at each volume of an array (`monthly_components`), the one-time
costs (`one_time_usd`), and the labels of components. The formulas are in docs/formulas.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import cast

import numpy as np

from planner.engine.inputs import Inputs
from planner.engine.serving import ServingPoint, output_tokens, replica_point
from planner.engine.vector_stores import vector_store_usd
from planner.model.scenario import ARCHITECTURES, KNOWLEDGE_IN_PROMPT, USES_RETRIEVAL, USES_TUNED
from planner.model.vocabulary import COMPONENT_LABELS

SECONDS_PER_MONTH = 730 * 3600.0
#: Above this many self-hosted replicas at the scenario's volume the estimate warns that the inputs are absurd.
ABSURD_REPLICAS = 10_000


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


def clamp_share(x: float) -> float:
    return min(1.0, max(0.0, x))


def mean_input_tokens(i: Inputs, arch: str) -> float:
    """Input tokens per query averaged over routed (retrieving) and direct requests."""
    if not USES_RETRIEVAL[arch]:
        return prompt_tokens(i, arch)[0]
    r = clamp_share(i.retrieval_query_share)
    return r * prompt_tokens(i, arch, True)[0] + (1 - r) * prompt_tokens(i, arch, False)[0]


def model_prefix(arch: str) -> str:
    """The `Inputs` prefix of the model serving `arch`: "tuned" or "llm"."""
    return "tuned" if USES_TUNED[arch] else "llm"


def cacheable(i: Inputs, arch: str) -> bool:
    """Whether `arch`'s static prefix can be cached at all: at least the model's minimum cacheable prefix."""
    return prefix_tokens(i, arch) >= getattr(i, f"{model_prefix(arch)}_cache_min_prefix_tokens")


def explicit_cache_on(i: Inputs, arch: str) -> bool:
    """An explicit cache holds `arch`'s prefix: asked for, offered (a storage price) and the prefix cacheable."""
    if not i.explicit_cache:
        return False
    storage = getattr(i, f"{model_prefix(arch)}_cache_storage_usd_per_1m_tokens_per_hour")
    return not math.isnan(storage) and cacheable(i, arch)


def cache_ttl_seconds(i: Inputs, arch: str) -> float:
    """The cache lifetime: 1 hour when the scenario asks for it and the model sells a 1-hour write."""
    m = model_prefix(arch)
    if i.cache_lifetime_1h and not math.isnan(getattr(i, f"{m}_cache_write_1h_usd_per_1m_tokens")):
        return 3600.0
    return getattr(i, f"{m}_cache_ttl_seconds")


def cache_hit_share(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    """Share of requests that find the static prefix in the prompt cache.

    0 when the prefix is shorter than the model's minimum cacheable prefix; 1 with an explicit cache;
    fixed by the scenario; or 1 − e^(−λ·TTL): a request hits when another one came within the cache
    lifetime, for requests arriving at λ = queries per second (one prefix), at most the hit-share ceiling
    (the scenario's, else the model's)."""
    if not cacheable(i, arch):
        return np.zeros_like(q)
    if i.cache_hit_share >= 0:
        return np.zeros_like(q) + clamp_share(i.cache_hit_share)
    if explicit_cache_on(i, arch):
        return np.ones_like(q)
    ceiling = (
        i.cache_hit_share_ceiling
        if i.cache_hit_share_ceiling >= 0
        else getattr(i, f"{model_prefix(arch)}_cache_hit_share_ceiling")
    )
    lam = q / SECONDS_PER_MONTH  # batch requests carry the same prefix
    return np.minimum(1 - np.exp(-lam * cache_ttl_seconds(i, arch)), clamp_share(ceiling))


def llm_usd_per_query(i: Inputs, arch: str, tin: float, tout: float, hit: np.ndarray) -> np.ndarray:
    """LLM spend of one request of `tin` input and `tout` output tokens, at cache hit share `hit`.

    Interactive requests pay the cached price for the prefix on a hit and the cache-write price (the
    1-hour one with the 1-hour cache) on a miss — or the plain input price for every prefix when that is
    cheaper (caching left off: at 0 hits the prefix costs the input price), the input price for the rest;
    batch requests pay batch prices, a cached prefix at the lower of the cached and batch input prices.
    Above the long-context threshold every price is the tier's (writes and batch at its input and
    output prices: the catalog gives a tier no write or batch price)."""
    m = model_prefix(arch)

    def price(name: str, fallback: float) -> float:  # NaN in Inputs: not offered, the fallback applies
        v = getattr(i, f"{m}_{name}_usd_per_1m_tokens")
        return fallback if math.isnan(v) else v

    p_in, p_out = price("input", 0.0), price("output", 0.0)
    cached, write = price("cached_input", p_in), price("cache_write", p_in)
    if i.cache_lifetime_1h and cache_ttl_seconds(i, arch) == 3600.0:
        write = price("cache_write_1h", write)
    b_in, b_out = price("batch_input", p_in), price("batch_output", p_out)
    if tin > getattr(i, f"{m}_tier_above_input_tokens"):
        # the catalog gives a tier no write or batch price: writes and batch requests pay the tier's prices
        t_in, t_out = price("tier_input", p_in), price("tier_output", p_out)
        cached = price("tier_cached_input", t_in)
        p_in, p_out, write, b_in, b_out = t_in, t_out, t_in, t_in, t_out
    prefix = min(prefix_tokens(i, arch), tin)
    # a cache whose writes cost more than its reads save is left off: the prefix at the plain input price
    interactive = prefix * np.minimum(hit * cached + (1 - hit) * write, p_in) + (tin - prefix) * p_in + tout * p_out
    # batch requests share the cached prefix too: a hit at the lower of the cached and batch input prices
    batch = prefix * (hit * min(cached, b_in) + (1 - hit) * b_in) + (tin - prefix) * b_in + tout * b_out
    b = clamp_share(i.batch_query_share)
    return ((1 - b) * interactive + b * batch) / 1e6


def cache_storage_usd(i: Inputs, arch: str) -> float:
    """Monthly storage of an explicit cache: prefix tokens ÷ 1M × storage price per hour × hours a month."""
    if not explicit_cache_on(i, arch):
        return 0.0
    price = getattr(i, f"{model_prefix(arch)}_cache_storage_usd_per_1m_tokens_per_hour")
    return prefix_tokens(i, arch) / 1e6 * price * i.hours_per_month


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


def serving_point(i: Inputs, arch: str) -> ServingPoint:
    """Self-hosted `arch`'s replica shape and operating point on its own (retrieving) request."""
    return replica_point(i, arch, prompt_tokens(i, arch)[0])


def load_factor(i: Inputs) -> float:
    """Capacity needed ÷ the average rate: interactive requests at peak (peak-to-average × their share); batch
    requests run in the troughs, so the fleet needs at least the average of all requests (docs/formulas.md)."""
    return max((1.0 - clamp_share(i.batch_query_share)) * i.peak_to_average_ratio, 1.0)


def dedicated_replicas(i: Inputs, q: np.ndarray) -> np.ndarray:
    """Replicas of a tuned model's dedicated endpoint, sized like self-hosting: ceil(load × (output + input ×
    input-token weight) tokens/s ÷ (one replica's output tokens/s × target utilization)), at least 1.

    With no per-replica throughput in the catalog the endpoint is one replica (the hourly fee alone), and the
    estimate warns that its capacity is not modelled."""
    if i.tuned_dedicated_output_tokens_per_second <= 0:
        return np.ones_like(q, dtype=float)
    work = (
        i.output_tokens_per_query + i.tuned_reasoning_tokens + mean_input_tokens(i, "fine_tuned") * i.input_token_weight
    )
    need_tps = q / SECONDS_PER_MONTH * load_factor(i) * work
    return np.maximum(
        1.0, np.ceil(need_tps / (i.tuned_dedicated_output_tokens_per_second * i.target_utilization) - 1e-9)
    )


def queries_per_replica_month(i: Inputs, arch: str) -> float:
    """Queries a month one self-hosted replica serves at the target utilization and the load factor."""
    sp = serving_point(i, arch)
    if sp.replica_tokens_per_second <= 0:
        return math.inf
    if not i.serving_model:  # legacy: throughput in output-token equivalents, input tokens weighted
        work = i.output_tokens_per_query + mean_input_tokens(i, arch) * i.input_token_weight
    else:  # the serving model's throughput already pays for prefill
        work = output_tokens(i, arch)
    if work <= 0:
        return math.inf
    return sp.replica_tokens_per_second * i.target_utilization * SECONDS_PER_MONTH / (load_factor(i) * work)


def replicas(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    """Self-hosted replicas for volume `q`: ceil(q ÷ queries one replica serves a month), at least the minimum."""
    per = queries_per_replica_month(i, arch)
    # tiny tolerance so that an exact multiple does not round up by float noise
    return np.maximum(i.min_replicas, np.ceil(q / per - 1e-9))


def utilization(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    """Share of the replicas' throughput the load at the sizing point uses (≤ the target unless the minimum
    replicas are more than the load needs)."""
    per = queries_per_replica_month(i, arch)
    return q / (replicas(i, arch, q) * per) * i.target_utilization


def gpus_per_replica(i: Inputs, arch: str) -> float:
    """GPUs in one self-hosted replica of the model serving `arch` (1, 2, 4 or 8), sized for its own request."""
    return serving_point(i, arch).gpus_per_replica


def sequences_per_replica(i: Inputs, arch: str) -> float:
    """Sequences one replica decodes at once at its operating point (its batch)."""
    return serving_point(i, arch).sequences


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
    r = clamp_share(i.retrieval_query_share) if USES_RETRIEVAL[arch] else 1.0
    if i.self_hosted:
        out["gpu_serving"] = (
            replicas(i, arch, q) * gpus_per_replica(i, arch) * i.serving_gpu_usd_per_hour * i.hours_per_month
        )
    else:
        hit = cache_hit_share(i, arch, q)
        tin, _ = prompt_tokens(i, arch, True)
        tout = output_tokens(i, arch)  # hidden reasoning tokens are billed as output
        per_query = r * llm_usd_per_query(i, arch, tin, tout, hit)
        if r < 1:
            tin0, _ = prompt_tokens(i, arch, False)
            per_query = per_query + (1 - r) * llm_usd_per_query(i, arch, tin0, tout, hit)
        out["inference"] = q * per_query
        out["cache_storage"] = zero + cache_storage_usd(i, arch)
        if tuned:
            out["model_hosting"] = dedicated_replicas(i, q) * i.tuned_hosting_usd_per_hour * i.hours_per_month
    if USES_RETRIEVAL[arch]:
        out["query_embedding"] = q * r * i.input_tokens_per_query * i.embed_usd_per_1m_tokens / 1e6
        out["vector_store"] = vector_store_usd(i, q * r, c)[0]
        out["reranking"] = q * r * rerank_usd_per_query(i)
        out["reembedding"] = zero + c["embedded_tokens"] * i.corpus_change_share_per_month * embed_batch_price(i) / 1e6
    if tuned:
        runs = i.knowledge_retrains_per_month if arch == "fine_tuned" else i.behavior_retrains_per_month
        out["training"] = zero + runs * training_usd_per_run(i)
    return out


def one_time_usd(i: Inputs, arch: str, c: dict | None = None) -> dict[str, float]:
    c = c or corpus(i)
    days = getattr(i, f"engineering_days_{arch}")
    out = {
        "engineering": days * i.usd_per_engineering_day,
        "initial_indexing": 0.0,
        "labeling": 0.0,
        "first_training": 0.0,
    }
    if USES_RETRIEVAL[arch]:
        store_initial = vector_store_usd(i, np.zeros(1), c)[1]
        out["initial_indexing"] = c["embedded_tokens"] * embed_batch_price(i) / 1e6 + store_initial
    if USES_TUNED[arch]:
        out["labeling"] = max(0.0, i.training_examples - i.examples_on_hand) * i.labeling_usd_per_example
        out["first_training"] = training_usd_per_run(i)
    return out


def elementwise_total(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """Element-wise Σ of arrays: the builtin `sum` (from 0, which numpy broadcasts away), typed."""
    return cast(np.ndarray, sum(arrays))


def monthly_totals(i: Inputs, q: np.ndarray, archs: tuple[str, ...] = ARCHITECTURES) -> dict[str, np.ndarray]:
    c = corpus(i)
    return {a: elementwise_total(monthly_components(i, a, q, c).values()) for a in archs}
