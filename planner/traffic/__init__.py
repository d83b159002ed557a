"""Bring your own traffic: usage logs read, the workload fitted, the traffic repriced and reconciled.

    formats.py   the usage-export formats and their field mappings onto one normalized row
    read.py      file checks, format detection, reading into DuckDB (out of core), located errors
    fit.py       the observed workload (one SQL aggregate per figure) and the fitted scenario fields
    reprice.py   catalog prices for observed requests, reconciliation with reported cost, observed latency
    analysis.py  `analyze`: files → fit, reconciliation, the estimate on the fitted scenario, the round trip
    output.py    JSON, text and the fitted scenario file with a comment on each fitted field
    command.py   `llm-planner traffic fit|reconcile`

Pure: no streamlit (the Import page is planner/ui/traffic.py). Formulas in docs/formulas.md.
"""

__all__ = []
