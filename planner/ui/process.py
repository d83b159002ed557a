"""After every script run: free the run's garbage without walking the whole process.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`). In this
server that pass walks about a million objects — the modules of plotly, pydantic, numpy, pandas and
Streamlit itself, which live as long as the process — and took 78–125 ms of every rerun's CPU on the
benchmark machine, holding the interpreter lock while the last of the run's messages waited to be
sent (docs/benchmarks.md, "Where a rerun's time went"). `freeze_long_lived` moves what exists once
the modules are loaded into the collector's permanent generation (`gc.freeze`): the after-run pass
then walks only what the run made, in about 1 ms, and still frees it.

A full pass still walks every session's objects, so its cost grew with the sessions alive — a
20-session load test with a visitor reloading every 1–3 s (whose closed sessions Streamlit keeps for
two minutes) slowed from phase to phase. So the app turns Streamlit's full pass off
(`runner.postScriptGC = false` in `.streamlit/config.toml`) and `after_run` collects only the young
generations instead: what the run made and dropped, whatever the number of sessions. Garbage that
reached the oldest generation before being dropped waits for Python's own full collections, which
run when that generation has grown by a quarter — memory stays bounded, as in any Python program.

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


def after_run() -> None:
    """What `app.py` calls at the end of every run: the freeze when modules were loaded, then a collection
    of the young generations (the run's own cyclic garbage)."""
    freeze_long_lived()
    gc.collect(1)
