"""What the estimate says about prompt caching it could not apply as asked (docs/formulas.md, "Caching as
vendors bill it"): a prefix under the model's minimum, a 1-hour cache or an explicit cache the model does
not sell."""

from __future__ import annotations

import math
from collections.abc import Iterable

from planner.engine.costs import model_prefix, prefix_tokens
from planner.engine.inputs import Inputs
from planner.model.scenario import Scenario
from planner.model.vocabulary import LABELS


def cache_warnings(scenario: Scenario, i: Inputs, priced: Iterable[str]) -> list[str]:
    """One sentence per caching request the estimate could not honour, API serving only."""
    if i.self_hosted:
        return []
    out: list[str] = []
    w = scenario.workload
    short = []
    for a in priced:
        m = model_prefix(a)
        if math.isnan(getattr(i, f"{m}_cached_input_usd_per_1m_tokens")):
            continue
        minimum = getattr(i, f"{m}_cache_min_prefix_tokens")
        if prefix_tokens(i, a) < minimum:
            short.append(f"{LABELS[a]} ({prefix_tokens(i, a):,.0f} tokens, minimum {minimum:,.0f})")
    if short:
        out.append(
            "prompt prefix under the model's minimum cacheable prefix, never cached (billed at the input price): "
            + "; ".join(short)
        )
    for a in priced if w.cache_lifetime == "1h" or w.explicit_cache else ():
        m = model_prefix(a)
        if math.isnan(getattr(i, f"{m}_cached_input_usd_per_1m_tokens")):
            continue  # no cache at all (said elsewhere, or a model billed by the hour)
        if w.cache_lifetime == "1h" and math.isnan(getattr(i, f"{m}_cache_write_1h_usd_per_1m_tokens")):
            out.append(f"{LABELS[a]}: its model sells no 1-hour cache; the default lifetime and write price apply")
        if w.explicit_cache and math.isnan(getattr(i, f"{m}_cache_storage_usd_per_1m_tokens_per_hour")):
            out.append(f"{LABELS[a]}: its model sells no explicit cache; caching from traffic applies")
    return list(dict.fromkeys(out))
