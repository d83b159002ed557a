"""What runs on hardware the team controls: an owned GPU's hourly price from its purchase price, power and
hosting (docs/formulas.md, "Owned GPUs"), and a self-hosted reranker's throughput."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic_core import PydanticCustomError

from pricing.units import (
    DocumentsPerSecond,
    Key,
    PowerUsageEffectiveness,
    Strict,
    UsdPerKwh,
    UsdPerKwMonth,
    UsdPurchase,
    Watts,
)

#: Hours in a month for owned hardware: it costs every hour of the month, used or not.
HOURS_PER_MONTH_OWNED = 730
#: The source an hourly price computed from `owned` carries (recomputed on every load).
OWNED_SOURCE = "computed from `owned`"


class OwnedGPU(Strict):
    """Hardware you buy: per GPU (with its share of the server), the purchase price amortized over months, the
    power it draws times the facility's PUE at an electricity price, and colocation billed per kW of IT load."""

    purchase_usd: UsdPurchase
    amortization_months: int = Field(
        36, ge=1, le=120, strict=True, description="Months the purchase price is spread over (straight line)."
    )
    power_watts: Watts
    usd_per_kwh: UsdPerKwh
    pue: PowerUsageEffectiveness
    hosting_usd_per_kw_month: UsdPerKwMonth

    def usd_per_hour(self, which: str = "value") -> float:
        """One GPU's cost an hour: purchase ÷ (months × 730) + kW × PUE × $/kWh + kW × hosting ÷ 730."""
        kw = self.power_watts.pick(which) / 1000
        hours = self.amortization_months * HOURS_PER_MONTH_OWNED
        return (
            self.purchase_usd.pick(which) / hours
            + kw * self.pue.pick(which) * self.usd_per_kwh.pick(which)
            + kw * self.hosting_usd_per_kw_month.pick(which) / HOURS_PER_MONTH_OWNED
        )

    def hourly_figure(self, gpu_count: int) -> dict:
        """The instance's hourly price as a `Figure` (its range from the parts' ranges)."""
        parts = (self.purchase_usd, self.power_watts, self.usd_per_kwh, self.pue, self.hosting_usd_per_kw_month)
        return {
            "value": gpu_count * self.usd_per_hour("value"),
            "low": gpu_count * self.usd_per_hour("low"),
            "high": gpu_count * self.usd_per_hour("high"),
            "source": f"{OWNED_SOURCE}: purchase over {self.amortization_months} months, power, hosting",
            "checked": min(p.checked for p in parts),
            "verified": all(p.verified for p in parts),
            "note": "Owned hardware: see each part's source under `owned`.",
        }


def owned_hourly(data: Any) -> Any:
    """Owned hardware: the hourly price is computed from `owned` (a given one must agree with it)."""
    if not isinstance(data, dict) or not isinstance(data.get("owned"), dict):
        return data
    try:
        owned = OwnedGPU.model_validate(data["owned"])
    except Exception:  # noqa: BLE001 - the field's own validation reports it, located
        return data
    count = data.get("gpu_count", 1)
    figure = owned.hourly_figure(count if isinstance(count, int) else 1)
    given = data.get("usd_per_hour")
    computed = isinstance(given, dict) and str(given.get("source", "")).startswith(OWNED_SOURCE)
    if given is not None and not computed:
        value = given.get("value") if isinstance(given, dict) else None
        if not isinstance(value, (int, float)) or abs(value - figure["value"]) > 1e-6 * max(1.0, figure["value"]):
            raise PydanticCustomError(
                "owned_price",
                "usd_per_hour ({given}) disagrees with the owned costs ({computed:.4f} an hour): leave "
                "usd_per_hour out for owned hardware, it is computed from `owned`",
                {"given": value, "computed": figure["value"], "at": ("usd_per_hour",)},
            )
    return {**data, "usd_per_hour": figure}


class SelfHostedReranking(Strict):
    """A reranker on the team's own GPU: priced as GPU time at the documents it scores a second."""

    gpu: Key = Field(description="Key of an entry under `gpus`.")
    documents_per_second: DocumentsPerSecond


def one_reranker_billing(*given: object) -> None:
    """A reranker bills exactly one way: per search, per token, or self-hosted GPU time."""
    if sum(g is not None for g in given) != 1:
        raise PydanticCustomError(
            "pricing_shape",
            "give exactly one of `usd_per_1k_searches` (billed per search), `usd_per_1m_tokens` "
            "(billed per token of query and candidates) or `self_hosted` (GPU + documents per second) "
            "— a missing price is never taken as zero",
        )
