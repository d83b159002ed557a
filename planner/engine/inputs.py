"""The numbers the engine computes with: `Inputs`, a flat, frozen record of floats with units in their names, and
`PriceUsed`, one catalog figure that fed it.

The engine only ever sees an `Inputs`, which makes it easy to vectorize, to price the low/high ends of every range,
and to perturb one input at a time for the sensitivity ranking. `Taker` picks each figure's chosen end and records
which catalog figure fed which input, so every number can be traced to its source. `planner.engine.gather` fills
an `Inputs` from a catalog and a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from pricing.units import Figure


@dataclass(frozen=True)
class Inputs:
    # workload
    queries_per_month: float
    peak_to_average_ratio: float
    input_tokens_per_query: float
    output_tokens_per_query: float
    system_prompt_tokens: float
    few_shot_tokens: float
    corpus_documents: float
    tokens_per_document: float
    chunk_tokens: float
    chunk_overlap_tokens: float
    corpus_change_share_per_month: float
    top_k: float
    rerank: float  # 1 or 0
    metadata_bytes_per_chunk: float
    # fine-tuning plan
    training_examples: float
    examples_on_hand: float  # already labeled: no labeling cost
    tokens_per_example: float
    epochs: float
    knowledge_retrains_per_month: float
    behavior_retrains_per_month: float
    # serving
    self_hosted: float  # 1 or 0
    target_utilization: float
    min_replicas: float
    input_token_weight: float
    hours_per_month: float
    serving_gpu_usd_per_hour: float  # one GPU (an instance's price ÷ its GPUs)
    serving_tokens_per_second_base: float  # per replica, for the prompt-only/RAG model
    serving_tokens_per_second_tuned: float  # per replica, for the tuned model
    serving_gpus_per_replica_base: float  # 1, 2, 4 or 8 (the whole instance when GPU memory is unknown)
    serving_gpus_per_replica_tuned: float
    serving_gpu_memory_gb: float  # one GPU; 0 when the catalog does not say
    serving_memory_utilization: float
    serving_weights_gb_base: float
    serving_weights_gb_tuned: float
    serving_kv_bytes_per_token_base: float
    serving_kv_bytes_per_token_tuned: float
    serving_max_sequences_per_replica: float
    # one-time
    labeling_usd_per_example: float
    engineering_days_prompt_only: float
    engineering_days_rag: float
    engineering_days_fine_tuned: float
    engineering_days_hybrid: float
    usd_per_engineering_day: float
    # embedding
    embed_usd_per_1m_tokens: float
    embed_dimensions: float
    # vector store (fields that do not apply to the chosen billing shape are 0)
    vs_shape: str
    vs_usd_per_gb_month: float
    vs_usd_per_1m_read_units: float
    vs_usd_per_1m_write_units: float
    vs_read_units_per_gb_per_query: float
    vs_min_read_units_per_query: float
    vs_write_units_per_kb: float
    vs_usd_per_1m_dimensions_month: float
    vs_usd_per_gb_written: float
    vs_usd_per_tb_scanned: float
    vs_usd_per_gb_returned: float
    vs_usd_per_hour: float
    vs_memory_gb_per_instance: float
    vs_max_queries_per_second: float
    vs_index_overhead: float
    vs_min_instances: float
    vs_usd_minimum_per_month: float
    # reranker
    rerank_usd_per_1k_searches: float  # one search; a query makes ceil(top_k ÷ max documents) searches
    rerank_max_documents_per_search: float
    # LLMs
    llm_input_usd_per_1m_tokens: float
    llm_output_usd_per_1m_tokens: float
    tuned_input_usd_per_1m_tokens: float
    tuned_output_usd_per_1m_tokens: float
    tuned_hosting_usd_per_hour: float
    training_usd_per_1m_tokens: float  # API training; 0 when self-hosted
    training_gpu_usd_per_hour: float  # self-hosted training; 0 for API
    training_tokens_per_second: float
    # latency
    embed_latency_p50_ms: float
    embed_latency_p95_ms: float
    vs_latency_p50_ms: float
    vs_latency_p95_ms: float
    rerank_latency_p50_ms: float
    rerank_latency_p95_ms: float
    llm_ttft_ms: float
    llm_output_tokens_per_second: float
    tuned_ttft_ms: float
    tuned_output_tokens_per_second: float
    ttft_ms_per_1k_input_tokens: float
    network_overhead_ms: float
    p95_over_p50: float
    # prompt caching, batch and long-context prices, routing and reranking (planner/engine/inputs_context.py);
    # a NaN price is one the catalog does not give: the engine reads it as the input (or output) price
    cache_hit_share: float  # fixed by the scenario; negative: from traffic and the cache lifetime
    batch_query_share: float
    retrieval_query_share: float
    rerank_candidates_per_query: float  # 0: as many as top_k
    rerank_usd_per_1m_tokens: float  # per 1M tokens of query + candidate text (0 when billed per search)
    embed_batch_usd_per_1m_tokens: float
    llm_cached_input_usd_per_1m_tokens: float
    llm_cache_write_usd_per_1m_tokens: float
    llm_cache_ttl_seconds: float  # 0: no cache
    llm_batch_input_usd_per_1m_tokens: float
    llm_batch_output_usd_per_1m_tokens: float
    llm_tier_above_input_tokens: float  # inf: no long-context tier
    llm_tier_input_usd_per_1m_tokens: float
    llm_tier_output_usd_per_1m_tokens: float
    llm_tier_cached_input_usd_per_1m_tokens: float
    tuned_cached_input_usd_per_1m_tokens: float
    tuned_cache_write_usd_per_1m_tokens: float
    tuned_cache_ttl_seconds: float
    tuned_batch_input_usd_per_1m_tokens: float
    tuned_batch_output_usd_per_1m_tokens: float
    tuned_tier_above_input_tokens: float
    tuned_tier_input_usd_per_1m_tokens: float
    tuned_tier_output_usd_per_1m_tokens: float
    tuned_tier_cached_input_usd_per_1m_tokens: float
    engineering_days_long_context: float
    # a tuned model on a dedicated endpoint: what one replica sustains (0: unknown, one replica)
    tuned_dedicated_output_tokens_per_second: float = 0.0
    # self-hosted long context: `stack.llm` on a replica sized for the knowledge base in every prompt
    # (0: as prompt only's replica, for records built without it)
    serving_gpus_per_replica_long_context: float = 0.0
    serving_tokens_per_second_long_context: float = 0.0
    # the serving model (planner/engine/serving_model.py): 1 when the GPU's datasheet and the models' facts are known;
    # 0: the legacy 8B-benchmark throughput above (a catalog whose GPU names no `accelerator`)
    serving_model: float = 0.0
    serving_precision: str = "bf16"
    serving_gpu_bandwidth_gb_per_second: float = 0.0
    serving_gpu_bf16_tflops: float = 0.0
    serving_gpu_fp8_tflops: float = 0.0
    serving_gpu_fp4_tflops: float = 0.0
    # each side's model facts (base: stack.llm; tuned: the fine-tuning offer's base model)
    serving_base_total_parameters_billion: float = 8.0
    serving_base_active_parameters_billion: float = 8.0
    serving_base_layers: float = 32.0
    serving_base_kv_bytes_per_token_full: float = 131072.0
    serving_base_kv_bytes_per_token_window: float = 0.0
    serving_base_window_tokens: float = float("inf")
    serving_base_weights_precision: str = "bf16"
    serving_tuned_total_parameters_billion: float = 8.0
    serving_tuned_active_parameters_billion: float = 8.0
    serving_tuned_layers: float = 32.0
    serving_tuned_kv_bytes_per_token_full: float = 131072.0
    serving_tuned_kv_bytes_per_token_window: float = 0.0
    serving_tuned_window_tokens: float = float("inf")
    serving_tuned_weights_precision: str = "bf16"
    # the scenario's latency limit on the full answer (ms; inf: none), which sets each replica's batch
    latency_limit_full_answer_ms: float = float("inf")
    # hidden reasoning tokens per request (billed as output, decoded before the answer)
    llm_reasoning_tokens: float = 0.0
    tuned_reasoning_tokens: float = 0.0
    cache_hit_share_ceiling: float = -1.0  # set by the scenario; negative: the model's own ceiling
    cache_lifetime_1h: float = 0.0  # 1: the 1-hour cache where offered
    explicit_cache: float = 0.0  # 1: an explicit cache where offered (storage billed per hour)
    llm_cache_write_1h_usd_per_1m_tokens: float = float("nan")
    llm_cache_storage_usd_per_1m_tokens_per_hour: float = float("nan")
    llm_cache_min_prefix_tokens: float = 0.0
    llm_cache_first_token_saving_share: float = 0.0
    llm_cache_hit_share_ceiling: float = 1.0
    tuned_cache_write_1h_usd_per_1m_tokens: float = float("nan")
    tuned_cache_storage_usd_per_1m_tokens_per_hour: float = float("nan")
    tuned_cache_min_prefix_tokens: float = 0.0
    tuned_cache_first_token_saving_share: float = 0.0
    tuned_cache_hit_share_ceiling: float = 1.0

    def replace(self, **changes) -> Inputs:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        return Inputs(**data)


@dataclass(frozen=True)
class PriceUsed:
    """One catalog figure that fed the estimate, for the assumptions table and the evidence check."""

    role: str  # e.g. "LLM (prompt only, RAG)"
    entry: str  # catalog key
    name: str  # human name of the entry
    field: str  # field name, with its unit
    figure: Figure
    #: the monthly or one-time components the figure feeds (keys of COMPONENT_LABELS / ONE_TIME_LABELS);
    #: empty for a figure that moves no money (a latency)
    components: tuple[str, ...] = ()
    #: the options whose spend it feeds (empty: none)
    options: tuple[str, ...] = ()
    #: what it is: "input", "output", "cached_input", "cache_write", "batch_input", "batch_output",
    #: "long_context.input", ..., "usd_per_hour", "training", "throughput", "latency", ...
    kind: str = ""


#: Figures read as a throughput or a lifetime (their unit says so): what they feed is capacity, not a price.
_THROUGHPUT_UNITS = ("tokens_per_second", "queries_per_second", "ttl_seconds")


def price_kind(field_name: str) -> str:
    """The kind of a figure from its unit-bearing field name: `cached_input_usd_per_1m_tokens` → "cached_input",
    `long_context.input_usd_per_1m_tokens` → "long_context.input", `latency_p50_ms` → "latency"."""
    if field_name.endswith("_ms"):
        return "latency"
    if field_name.endswith(_THROUGHPUT_UNITS):
        return "throughput"
    for unit in ("_usd_per_1m_tokens", "_usd_per_hour", "_usd_per_1k_searches"):
        if field_name.endswith(unit):
            return field_name[: -len(unit)]
    return field_name


# For a throughput, the low-cost end of the range is the high figure.
_SWAP = {"low": "high", "high": "low"}


class Taker:
    """Picks each figure's chosen end and records which catalog figure fed which input."""

    def __init__(self, which: str):
        self.which = which
        self.used: list[PriceUsed] = []
        self._components: tuple[str, ...] = ()
        self._options: tuple[str, ...] = ()

    def feeding(self, components: tuple[str, ...], options: tuple[str, ...]) -> Taker:
        """From now on, the figures taken feed these components of these options (a latency feeds none)."""
        self._components, self._options = components, options
        return self

    def _record(self, role: str, key: str, name: str, field_name: str, fig: Figure) -> None:
        kind = price_kind(field_name)
        comps = () if kind == "latency" else self._components
        self.used.append(PriceUsed(role, key, name, field_name, fig, comps, self._options if comps else (), kind))

    def __call__(self, role: str, key: str, entry, field_name: str) -> float:
        fig = getattr(entry, field_name)
        self._record(role, key, entry.name, field_name, fig)
        return fig.pick(self.which)

    def throughput(self, role: str, key: str, entry, field_name: str, fig: Figure | None = None) -> float:
        """A throughput: the low-cost end of its range is the high figure."""
        fig = fig if fig is not None else getattr(entry, field_name)
        self._record(role, key, entry.name, field_name, fig)
        return fig.pick(_SWAP.get(self.which, self.which))

    def note(self, role: str, key: str, name: str, field_name: str, fig: Figure) -> None:
        self._record(role, key, name, field_name, fig)
