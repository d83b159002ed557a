"""An entry's lifecycle: when it was deprecated, closes to new customers and shuts down, and what replaces
it (LLMs, embedding models, rerankers and fine-tuning offers carry one)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.units import (
    Key,
    Strict,
)

STATUSES = ("available", "deprecated", "closed_to_new", "shut_down")


class Lifecycle(Strict):
    """When an entry was deprecated, closes to new customers and shuts down, and what replaces it."""

    deprecated_on: date | None = Field(None, description="Deprecation announced or in effect from this date.")
    closed_to_new_on: date | None = Field(
        None, description="No new customers (or no new jobs) from this date; existing users may go on."
    )
    shuts_down_on: date | None = Field(None, description="Stops serving from this date.")
    replacement: Key | None = Field(
        None, description="Key of the entry that replaces it, in the same family (validated to exist)."
    )
    source: str = Field(min_length=3, max_length=500, description="URL or citation where the dates were read.")
    checked: date = Field(description="Date the lifecycle was last checked against its source (YYYY-MM-DD).")
    note: str | None = Field(None, max_length=1000, description="Anything a reader should know about it.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Lifecycle:
        if self.checked > date.today():
            raise PydanticCustomError(
                "future_date", "checked date {checked} is in the future", {"checked": str(self.checked)}
            )
        end = self.shuts_down_on
        for name in ("deprecated_on", "closed_to_new_on"):
            start = getattr(self, name)
            if end is not None and start is not None and start > end:
                raise PydanticCustomError(
                    "date_order",
                    "`{name}` {start} is after `shuts_down_on` {end}: an entry cannot change after it stops",
                    {"name": name, "start": str(start), "end": str(end), "at": (name,)},
                )
        return self

    def available_on(self, day: date) -> bool:
        """False once the entry is shut down or closed to new customers on or before `day`."""
        return self.status_on(day) in ("available", "deprecated")

    def status_on(self, day: date) -> str:
        """The status on `day`: "available", "deprecated", "closed_to_new" or "shut_down"."""
        if self.shuts_down_on is not None and self.shuts_down_on <= day:
            return "shut_down"
        if self.closed_to_new_on is not None and self.closed_to_new_on <= day:
            return "closed_to_new"
        if self.deprecated_on is not None and self.deprecated_on <= day:
            return "deprecated"
        return "available"


LIFECYCLE_DESCRIPTION = "Deprecation, closing and shutdown dates and the named replacement (absent: none known)."
