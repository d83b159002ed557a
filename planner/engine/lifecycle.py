"""Can the entries a scenario uses still be bought, and for how long?

Pure functions over a catalog, a scenario and a day: which entries the scenario uses are shut
down, closed to new customers, or stop inside the scenario's horizon, each with its date and
the replacement the vendor names. The estimate's warnings carry `LifecycleIssue.message()`, so the
CLI, the Python API, the app and the PDF all say it; the app offers to switch `stack.<field>` to
the replacement. `catalog_notices` lists every catalog entry past or near its end for `validate`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from planner.model.scenario import Scenario, start_day
from pricing.lifecycle import Lifecycle
from pricing.models import Catalog, walk_figures

#: The families that carry a lifecycle, with the word for one entry.
FAMILIES = {
    "llms": "LLM",
    "embedding_models": "embedding model",
    "rerankers": "reranker",
    "fine_tune_offers": "fine-tuning offer",
}

#: `validate` reports entries that shut down or close within this many days.
NEAR_DAYS = 90

# What happened, from worst to mildest (the order issues are listed in).
SHUT_DOWN = "shut_down"
CLOSED = "closed_to_new"
SHUTS_DOWN_IN_HORIZON = "shuts_down_in_horizon"
CLOSES_IN_HORIZON = "closes_in_horizon"
_ORDER = (SHUT_DOWN, CLOSED, SHUTS_DOWN_IN_HORIZON, CLOSES_IN_HORIZON)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class LifecycleIssue:
    """One entry a scenario uses that cannot be bought, or stops, inside the horizon."""

    family: str  # "llms", "fine_tune_offers", ...
    key: str
    name: str
    role: str  # what the scenario uses it for, e.g. "LLM" or "base model of the fine-tuning offer"
    kind: str  # SHUT_DOWN, CLOSED, SHUTS_DOWN_IN_HORIZON or CLOSES_IN_HORIZON
    on: date
    horizon_months: int
    replacement: str | None = None  # key, in the same family
    replacement_name: str | None = None
    field: str | None = None  # the scenario's `stack` field that switching to the replacement changes
    shuts_down_on: date | None = None  # for a closed entry: when it stops for existing customers too

    @property
    def unavailable(self) -> bool:
        """True when the entry cannot be bought today."""
        return self.kind in (SHUT_DOWN, CLOSED)

    def message(self) -> str:
        what = f"{self.role} {self.name} (`{self.key}`)"
        when = self.on.isoformat()
        if self.kind == SHUT_DOWN:
            text = f"{what} was shut down on {when}: it cannot be used, its prices here are for reference only"
        elif self.kind == CLOSED:
            text = f"{what} is closed to new customers since {when}: a new team cannot buy it"
            if self.shuts_down_on is not None:
                text += f", and it shuts down on {self.shuts_down_on.isoformat()}"
        elif self.kind == SHUTS_DOWN_IN_HORIZON:
            text = f"{what} shuts down on {when}, inside the scenario's {self.horizon_months}-month horizon"
        else:
            text = (
                f"{what} closes to new customers on {when}, inside the scenario's "
                f"{self.horizon_months}-month horizon (no new jobs or accounts after that)"
            )
        if self.replacement:
            text += f" — its replacement: {self.replacement_name} (`{self.replacement}`)"
        else:
            text += " — no replacement is named"
        return text


def _issue(life: Lifecycle, today: date, end: date) -> tuple[str, date] | None:
    status = life.status_on(today)
    if status == "shut_down":
        return SHUT_DOWN, life.shuts_down_on  # type: ignore[return-value]
    if status == "closed_to_new":
        return CLOSED, life.closed_to_new_on  # type: ignore[return-value]
    if life.shuts_down_on is not None and life.shuts_down_on < end:
        return SHUTS_DOWN_IN_HORIZON, life.shuts_down_on
    if life.closed_to_new_on is not None and life.closed_to_new_on < end:
        return CLOSES_IN_HORIZON, life.closed_to_new_on
    return None


def _used(catalog: Catalog, scenario: Scenario) -> list[tuple[str, str, str, str | None]]:
    """(family, key, role, stack field) of every entry with a lifecycle the scenario's estimate uses."""
    st, w = scenario.stack, scenario.workload
    used: list[tuple[str, str, str, str | None]] = []
    api = st.serving == "api"
    if api:  # served on own GPUs, open weights do not shut down with the vendor's API
        used.append(("llms", st.llm, "LLM", "llm"))
    used.append(("embedding_models", st.embedding_model, "Embedding model", "embedding_model"))
    if w.rerank:
        used.append(("rerankers", st.reranker, "Reranker", "reranker"))
    used.append(("fine_tune_offers", st.fine_tune, "Fine-tuning offer", "fine_tune"))
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    if offer is not None and api and offer.hosting == "serverless" and offer.base_llm != st.llm:
        # a tuned model served per token stops with its base model
        used.append(("llms", offer.base_llm, "Base model of the fine-tuning offer", None))
    return used


def scenario_issues(catalog: Catalog, scenario: Scenario, today: date | None = None) -> list[LifecycleIssue]:
    """Entries the scenario uses that are shut down, closed to new customers, or stop inside its horizon (from
    `today`, by default the first day of the scenario's horizon)."""
    today = today or start_day(scenario)
    end = add_months(today, scenario.horizon_months)
    out = []
    reported: set[tuple[str, str]] = set()
    for family, key, role, field in _used(catalog, scenario):
        entry = getattr(catalog, family).get(key)
        if entry is None or entry.lifecycle is None or (family, key) in reported:
            continue
        if field is None and ("fine_tune_offers", scenario.stack.fine_tune) in reported:
            continue  # the offer's own notice already says when its tuned model stops
        found = _issue(entry.lifecycle, today, end)
        if found is None:
            continue
        reported.add((family, key))
        kind, on = found
        rep = entry.lifecycle.replacement
        rep_entry = getattr(catalog, family).get(rep) if rep else None
        out.append(
            LifecycleIssue(
                family=family,
                key=key,
                name=entry.name,
                role=role,
                kind=kind,
                on=on,
                horizon_months=scenario.horizon_months,
                replacement=rep if rep_entry is not None else None,
                replacement_name=rep_entry.name if rep_entry is not None else None,
                field=field if rep_entry is not None else None,
                shuts_down_on=entry.lifecycle.shuts_down_on if kind == CLOSED else None,
            )
        )
    out.sort(key=lambda i: _ORDER.index(i.kind))
    return out


def switched(scenario: Scenario, issue: LifecycleIssue) -> Scenario:
    """The scenario with the issue's entry swapped for its replacement (unchanged if there is none)."""
    if issue.field is None or issue.replacement is None:
        return scenario
    stack = scenario.stack.model_copy(update={issue.field: issue.replacement})
    return scenario.model_copy(update={"stack": stack})


@dataclass(frozen=True)
class CatalogNotice:
    """A catalog entry past, or within `NEAR_DAYS` of, its shutdown or closing."""

    family: str
    key: str
    status: str  # Lifecycle.status_on(today), or "shuts_down_soon" / "closes_soon"
    on: date
    replacement: str | None

    def message(self) -> str:
        where = f"{self.family}.{self.key}"
        text = {
            "shut_down": f"{where}: shut down on {self.on}",
            "closed_to_new": f"{where}: closed to new customers since {self.on}",
            "shuts_down_soon": f"{where}: shuts down on {self.on}",
            "closes_soon": f"{where}: closes to new customers on {self.on}",
        }[self.status]
        return text + (f" (replacement: `{self.replacement}`)" if self.replacement else "")


def catalog_notices(catalog: Catalog, today: date | None = None, near_days: int = NEAR_DAYS) -> list[CatalogNotice]:
    """Every entry with a lifecycle that is shut down, closed, or shuts down / closes within `near_days`."""
    today = today or date.today()
    soon = today + timedelta(days=near_days)
    out = []
    for family in FAMILIES:
        for key, entry in getattr(catalog, family).items():
            life = entry.lifecycle
            if life is None:
                continue
            status = life.status_on(today)
            if status == "shut_down":
                out.append(CatalogNotice(family, key, status, life.shuts_down_on, life.replacement))
            elif status == "closed_to_new":
                out.append(CatalogNotice(family, key, status, life.closed_to_new_on, life.replacement))
            elif life.shuts_down_on is not None and life.shuts_down_on <= soon:
                out.append(CatalogNotice(family, key, "shuts_down_soon", life.shuts_down_on, life.replacement))
            elif life.closed_to_new_on is not None and life.closed_to_new_on <= soon:
                out.append(CatalogNotice(family, key, "closes_soon", life.closed_to_new_on, life.replacement))
    order = ("shut_down", "closed_to_new", "shuts_down_soon", "closes_soon")
    out.sort(key=lambda n: (order.index(n.status), n.on, n.family, n.key))
    return out


def prices_checked_after_shutdown(catalog: Catalog) -> list[tuple[str, str, date]]:
    """(dotted path, checked date, shutdown date) of verified figures checked after their entry had shut down.

    A figure marked verified and checked on or after the shutdown claims a live price for something that
    no longer exists; a historical price kept for old files is marked `verified: false`."""
    out = []
    for family in FAMILIES:
        for key, entry in getattr(catalog, family).items():
            life = entry.lifecycle
            if life is None or life.shuts_down_on is None:
                continue
            for path, fig in walk_figures(entry, (family, key)):
                if fig.verified and fig.checked >= life.shuts_down_on:
                    out.append((".".join(path), fig.checked, life.shuts_down_on))
    return out
