"""The building blocks of the catalog's models: the strict base model, the sourced `Figure`, and one
annotated type per unit (`UsdPer1MTokens`, `LatencyMs`, ...) with its plausibility ceiling and description.
Every figure names its unit in the field that holds it; the ceilings catch the classic unit mistake (a
per-token price stored as a per-1M price). `pricing.models` builds the catalog from these."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

STALE_AFTER_DAYS = 180


class Strict(BaseModel):
    """Frozen, no unknown keys; an unknown key names the closest known one."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = set(cls.model_fields)
            for key in data:
                if not isinstance(key, str):
                    raise PydanticCustomError("key_type", "keys must be text, found `{key}`", {"key": repr(key)})
            unknown = [k for k in data if k not in known]
            if unknown:
                key = unknown[0]
                close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
                hint = f" — did you mean `{close[0]}`?" if close else f" (known keys: {', '.join(sorted(known))})"
                raise PydanticCustomError("unknown_key", "unknown key `{key}`{hint}", {"key": key, "hint": hint})
        return data


FiniteNonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]


class Figure(Strict):
    """A sourced number: a price, a latency or a throughput."""

    value: FiniteNonNeg = Field(description="The typical figure, in the unit its field name states.")
    low: FiniteNonNeg | None = Field(None, description="Low end of the plausible range (default: value).")
    high: FiniteNonNeg | None = Field(None, description="High end of the plausible range (default: value).")
    source: str = Field(min_length=3, max_length=500, description="URL or citation of where the figure was read.")
    checked: date = Field(description="Date the figure was last checked against its source (YYYY-MM-DD).")
    verified: bool = Field(True, description="False when the figure could not be confirmed at its source.")
    note: str | None = Field(None, max_length=1000, description="Anything a reader should know about the figure.")

    @model_validator(mode="after")
    def _range_brackets_value(self) -> Figure:
        lo = self.value if self.low is None else self.low
        hi = self.value if self.high is None else self.high
        if not lo <= self.value <= hi:
            raise PydanticCustomError(
                "range",
                "the range must bracket the value: low {low} ≤ value {value} ≤ high {high}",
                {"low": lo, "value": self.value, "high": hi},
            )
        if self.checked > date.today():
            raise PydanticCustomError(
                "future_date", "checked date {checked} is in the future", {"checked": str(self.checked)}
            )
        return self

    @property
    def lo(self) -> float:
        return self.value if self.low is None else self.low

    @property
    def hi(self) -> float:
        return self.value if self.high is None else self.high

    def pick(self, which: str) -> float:
        """`which` is "value", "low" or "high"."""
        return {"value": self.value, "low": self.lo, "high": self.hi}[which]

    def age_days(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.checked).days

    def is_stale(self, today: date | None = None, after_days: int = STALE_AFTER_DAYS) -> bool:
        return self.age_days(today) > after_days


def _ceiling(limit: float, unit: str, hint: str, positive: bool = False):
    def check(fig: Figure) -> Figure:
        if fig.hi > limit or not math.isfinite(fig.hi):
            raise PydanticCustomError(
                "implausible",
                "{value} {unit} is above the plausible ceiling of {limit} — {hint}",
                {"value": fig.hi, "unit": unit, "limit": limit, "hint": hint},
            )
        if positive and fig.lo <= 0:
            raise PydanticCustomError(
                "not_positive",
                "{value} {unit} must be above zero: the planner divides by this figure",
                {"value": fig.lo, "unit": unit},
            )
        return fig

    return check


@dataclass(frozen=True)
class Unit:
    """A figure type's unit as text ("USD per 1M tokens"), carried in the type's metadata for the pages that
    show it (`unit_text`); pydantic ignores it."""

    text: str


def figure(
    limit: float, unit: str, hint: str, description: str, positive: bool = False
) -> tuple[AfterValidator, FieldInfo, Unit]:
    """What makes a `Figure` field of a unit: a plausibility ceiling in that unit (and, if `positive`, a floor
    above zero: figures the planner divides by — throughputs, lifetimes — must not be zero, even at the low
    end), its description, and the unit's text. Use as `Annotated[Figure, *figure(...)]`, a type checkers
    can read."""
    floor = "; must be above zero" if positive else ""
    return (
        AfterValidator(_ceiling(limit, unit, hint, positive)),
        Field(description=f"{description} ({unit}); must not exceed {limit}{floor}."),
        Unit(unit),
    )


def unit_text(model: type[BaseModel], name: str) -> str | None:
    """The unit the type of `model`'s field `name` states ("USD per 1M tokens"), or None when it states none."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    metadata = list(info.metadata)
    for arg in get_args(info.annotation):  # `UsdPer1MTokens | None`: the unit sits inside the union
        metadata += getattr(arg, "__metadata__", ())
    return next((m.text for m in metadata if isinstance(m, Unit)), None)


_PER_TOKEN_HINT = "is it a price per token or per 1K tokens entered as per 1M? Enter USD per 1M tokens"

UsdPer1MTokens = Annotated[Figure, *figure(1000, "USD per 1M tokens", _PER_TOKEN_HINT, "Price per million tokens")]
UsdPer1MTokensPerHour = Annotated[
    Figure,
    *figure(1000, "USD per 1M tokens per hour", _PER_TOKEN_HINT, "Storage price per million tokens per hour"),
]
UsdPer1MEmbedTokens = Annotated[
    Figure, *figure(10, "USD per 1M tokens", _PER_TOKEN_HINT, "Embedding price per million tokens")
]
UsdPer1MTrainTokens = Annotated[
    Figure, *figure(1000, "USD per 1M training tokens", _PER_TOKEN_HINT, "Training price per million tokens")
]
UsdPerHour = Annotated[
    Figure, *figure(500, "USD per hour", "is it a monthly price? Enter USD per hour", "Hourly price")
]
UsdPerGbMonth = Annotated[
    Figure, *figure(50, "USD per GB-month", "is it per TB? Enter USD per GB per month", "Storage price")
]
UsdPer1MUnits = Annotated[
    Figure, *figure(1000, "USD per 1M units", "enter USD per million units", "Price per million units")
]
UsdPerMonth = Annotated[
    Figure, *figure(100_000, "USD per month", "is it a yearly figure or in cents? Enter USD per month", "Monthly fee")
]
UsdPer1KSearches = Annotated[
    Figure,
    *figure(
        100, "USD per 1K searches", "is it per 1M searches? Enter USD per 1,000 searches", "Price per thousand searches"
    ),
]
UsdPer1MDims = Annotated[
    Figure,
    *figure(
        10,
        "USD per 1M dimensions per month",
        "enter USD per million dimensions stored per month",
        "Price per million vector dimensions stored per month",
    ),
]
UsdPerGb = Annotated[Figure, *figure(100, "USD per GB", "enter USD per GB", "Price per GB")]
UsdPerTb = Annotated[Figure, *figure(1000, "USD per TB", "enter USD per TB", "Price per TB")]
LatencyMs = Annotated[Figure, *figure(600_000, "ms", "latencies are in milliseconds, not microseconds", "Latency")]
MsPer1KTokens = Annotated[
    Figure,
    *figure(
        600_000,
        "ms per 1K input tokens",
        "latencies are in milliseconds, not microseconds",
        "Latency added per 1,000 input tokens",
    ),
]
TokensPerSecond = Annotated[
    Figure, *figure(10_000_000, "tokens per second", "enter tokens per second", "Throughput", positive=True)
]
QueriesPerSecond = Annotated[
    Figure, *figure(10_000_000, "queries per second", "enter queries per second", "Throughput", positive=True)
]
UsdPer1MRerankTokens = Annotated[
    Figure,
    *figure(
        10,
        "USD per 1M tokens",
        _PER_TOKEN_HINT,
        "Reranking price per million tokens of query and candidate text",
    ),
]
DocumentsPerSecond = Annotated[
    Figure,
    *figure(10_000_000, "documents per second", "enter documents per second", "Throughput", positive=True),
]
UsdPurchase = Annotated[
    Figure,
    *figure(10_000_000, "USD", "is it in cents? Enter USD", "Purchase price of one GPU with its share of server"),
]
Watts = Annotated[
    Figure,
    *figure(20_000, "W", "is it in kW? Enter watts", "Power drawn by one GPU with its share of server", positive=True),
]
UsdPerKwh = Annotated[Figure, *figure(5, "USD per kWh", "is it in cents? Enter USD per kWh", "Electricity price")]
PowerUsageEffectiveness = Annotated[
    Figure,
    *figure(5, "ratio", "PUE is facility power ÷ IT power, about 1.1 to 2", "Power usage effectiveness", positive=True),
]
UsdPerKwMonth = Annotated[
    Figure, *figure(10_000, "USD per kW per month", "enter USD per kW of IT load per month", "Colocation price")
]
Seconds = Annotated[
    Figure,
    *figure(
        30 * 86_400,
        "seconds",
        "is it in minutes or hours? Enter seconds (5 minutes = 300, 1 hour = 3600)",
        "Duration",
        positive=True,
    ),
]

Key = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError("blank_name", "the name is blank: give it a name")
    return text


#: A display name: not blank (a blank one renders as an empty cell or a rule).
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_not_blank)]
GenaiPricesRef = Annotated[
    str,
    Field(
        min_length=3,
        max_length=300,
        pattern=r"^[a-z0-9][a-z0-9_-]*:\S+$",
        description='The model in the genai-prices database, as "provider_id:model_id" (e.g. "openai:gpt-5").',
    ),
]
