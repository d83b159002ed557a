"""Catalog facts the self-hosted serving model reads (planner/engine/serving_model.py): an open-weights model's
architecture and reasoning tokens, and a GPU's datasheet. Each block names its source and checked date."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.units import Name, Strict


class ModelArchitecture(Strict):
    """What self-hosted sizing needs of an open-weights model, read from its config.json or model card."""

    total_parameters_billion: float = Field(
        gt=0, le=10_000, allow_inf_nan=False, strict=True, description="All weights held in GPU memory."
    )
    active_parameters_billion: float = Field(
        gt=0,
        le=10_000,
        allow_inf_nan=False,
        strict=True,
        description="Weights one token runs through (a mixture-of-experts model: the experts it routes to).",
    )
    layers: int = Field(ge=1, le=1000, strict=True, description="Transformer layers (`num_hidden_layers`).")
    kv_heads: int = Field(ge=1, le=1024, strict=True, description="Key/value heads (`num_key_value_heads`).")
    head_dim: int = Field(ge=1, le=4096, strict=True, description="Dimensions of one attention head.")
    sliding_window_layers: int = Field(
        0, ge=0, le=1000, strict=True, description="Layers that attend to the last `sliding_window_tokens` only."
    )
    sliding_window_tokens: int | None = Field(
        None, ge=1, le=100_000_000, strict=True, description="Tokens a sliding-window (or chunked) layer keeps."
    )
    weights_precision: Literal["bf16", "fp8", "mxfp4"] = Field(
        "bf16", description="Precision the weights ship in (gpt-oss: MXFP4 experts); never stored wider."
    )
    kv_bytes_per_token: float | None = Field(
        None,
        gt=0,
        le=1e8,
        allow_inf_nan=False,
        strict=True,
        description="KV-cache bytes one token holds at 16 bits (absent: from layers, KV heads and head dimension).",
    )
    source: str = Field(min_length=3, max_length=500, description="config.json or model card the facts were read in.")
    checked: date = Field(description="Date the facts were last checked against their source (YYYY-MM-DD).")
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _consistent(self) -> ModelArchitecture:
        if self.active_parameters_billion > self.total_parameters_billion:
            raise PydanticCustomError(
                "too_large",
                "`active_parameters_billion` {active} is above `total_parameters_billion` {total}",
                {"active": self.active_parameters_billion, "total": self.total_parameters_billion},
            )
        if self.sliding_window_layers > self.layers:
            raise PydanticCustomError(
                "too_large",
                "`sliding_window_layers` {given} is above `layers` {layers}",
                {"given": self.sliding_window_layers, "layers": self.layers, "at": ("sliding_window_layers",)},
            )
        if self.sliding_window_layers and self.sliding_window_tokens is None:
            raise PydanticCustomError(
                "pricing_shape",
                "sliding-window layers need `sliding_window_tokens` (the tokens one such layer keeps)",
                {"at": ("sliding_window_tokens",)},
            )
        return self


class Reasoning(Strict):
    """Hidden reasoning tokens a reasoning model writes before its answer, at a stated effort."""

    tokens_per_request: float = Field(ge=0, le=1_000_000, allow_inf_nan=False, strict=True)
    effort: Name = Field(description="The reasoning effort the figure is for (e.g. low, medium, high).")
    source: str = Field(min_length=3, max_length=500)
    checked: date
    note: str | None = Field(None, max_length=1000)


class Accelerator(Strict):
    """A GPU's datasheet facts the serving model needs, per GPU (dense, without sparsity)."""

    name: Name
    memory_gb: float = Field(gt=0, le=4096, allow_inf_nan=False, strict=True)
    memory_bandwidth_gb_per_second: float = Field(gt=0, le=100_000, allow_inf_nan=False, strict=True)
    dense_bf16_tflops: float = Field(gt=0, le=100_000, allow_inf_nan=False, strict=True)
    dense_fp8_tflops: float | None = Field(
        None, gt=0, le=100_000, allow_inf_nan=False, strict=True, description="Absent: no fp8 tensor cores."
    )
    dense_fp4_tflops: float | None = Field(
        None, gt=0, le=100_000, allow_inf_nan=False, strict=True, description="Absent: no fp4 tensor cores."
    )
    source: str = Field(min_length=3, max_length=500, description="Datasheet or page the facts were read in.")
    checked: date
    note: str | None = Field(None, max_length=1000)


__all__ = ["Accelerator", "ModelArchitecture", "Reasoning"]
