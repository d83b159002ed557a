"""Which genai-prices the catalog was checked against, and which is installed: `validate` and the Pricing page
show both and warn when they differ (a check or a sync with another version may report or write other prices)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from pricing.models import Catalog


@dataclass(frozen=True)
class GenaiPricesVersions:
    stamped: str | None  # the catalog's `genai_prices_version`
    installed: str | None  # None: the package is not installed

    @property
    def differ(self) -> bool:
        return self.stamped is not None and self.installed != self.stamped

    def line(self) -> str:
        stamped = self.stamped or "none recorded"
        return f"genai-prices: catalog checked against {stamped}; installed {self.installed or 'none'}"

    def warning(self) -> str:
        if self.installed is None:
            return (
                f"the catalog was checked against genai-prices {self.stamped}, which is not installed: "
                f"`pip install genai-prices=={self.stamped}` to run `prices check` and `prices sync`"
            )
        return (
            f"the catalog was checked against genai-prices {self.stamped}, but {self.installed} is installed: "
            "run `prices check` to see what differs on today's date, `prices sync --write` to take the installed "
            "version's prices (and stamp it)"
        )


def installed_version() -> str | None:
    try:
        return metadata.version("genai-prices")
    except metadata.PackageNotFoundError:
        return None


def genai_prices_versions(catalog: Catalog) -> GenaiPricesVersions:
    return GenaiPricesVersions(catalog.genai_prices_version, installed_version())
