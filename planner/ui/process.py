"""Once per server process: keep Streamlit's after-run garbage collection cheap.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`). In this
server that pass walks about a million objects — the modules of plotly, pydantic, numpy, pandas and
Streamlit itself, which live as long as the process — and took 85–125 ms of every rerun's CPU on the
benchmark machine, holding the interpreter lock while the last of the run's messages waited to be
sent (docs/benchmarks.md, "Where a rerun's time went"). `freeze_long_lived` moves what exists once
the modules are loaded into the collector's permanent generation (`gc.freeze`): the after-run pass
then walks only what the run made, in about 1 ms, and still frees it.

It freezes again whenever a run has loaded new modules (a page's first table loads pandas, the first
PDF reportlab), after one full collection so that no garbage is frozen. Frozen objects are never
walked again: one that later becomes part of an unreachable cycle stays in memory. Only objects alive
at a freeze can be frozen — the modules and, at most once per such run, that session's own state —
so what can be kept this way is bounded by the few runs that load modules.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_at_last_freeze = 0


def freeze_long_lived() -> bool:
    """Freeze what is alive now if modules were loaded since the last freeze; True if it froze."""
    global _modules_at_last_freeze
    with _lock:
        loaded = len(sys.modules)
        if loaded == _modules_at_last_freeze:
            return False
        gc.collect()
        gc.freeze()
        _modules_at_last_freeze = loaded
        return True
