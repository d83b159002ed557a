"""GPUs of the catalog (rented by the hour, or owned: the hourly price computed from `owned`) and a
self-hosted throughput on one of them (embedding, training)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from pricing.owned import OwnedGPU, owned_hourly
from pricing.units import (
    Key,
    Name,
    Strict,
    TokensPerSecond,
    UsdPerHour,
)


class SelfHostedThroughput(Strict):
    gpu: Key = Field(description="Key of an entry under `gpus`.")
    tokens_per_second: TokensPerSecond


class GPU(Strict):
    name: Name
    provider: Name
    gpu_type: Name
    gpu_count: int = Field(1, ge=1, le=64, strict=True)
    usd_per_hour: UsdPerHour  # rented; owned hardware leaves it out: computed from `owned`
    owned: OwnedGPU | None = None  # owned hardware: purchase, power and hosting per GPU (usd_per_hour computed)
    vllm_8b_tokens_per_second: TokensPerSecond | None = Field(
        None, description="Serving throughput of an 8B model on vLLM (output tokens per second, whole instance)."
    )
    memory_gb_per_gpu: int | None = Field(
        None, ge=1, le=4096, strict=True, description="Memory of one GPU in GB (the instance has `gpu_count` GPUs)."
    )
    accelerator: Key | None = Field(
        None,
        description="Key of the GPU's datasheet under `accelerators` (bandwidth, compute): needed to self-host on it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _owned_hourly(cls, data: Any) -> Any:  # the hourly price computed from `owned` (pricing/owned.py)
        return owned_hourly(data)
