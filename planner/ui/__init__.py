"""The Streamlit user interface: thin pages over the pure core (planner/, pricing/).

    session.py  this browser session's state (one typed `Session`), cached computations, scenario controls
    results.py  what a page draws: the session started, this run's estimate and recommendation, the header
    catalog.py  the session's catalog and the Pricing page's actions (apply, save, upload, reset)
    pages.py    the app's pages: title, script, icon, URL path, whether the chart carries the volume (pure)
    sidebar.py  the scenario's controls, laid out, and the scenario in the URL; its sections' controls in
                workload_controls.py, stack_controls.py and assumptions.py
    messages.py alerts that show user text literally, located problems
    params.py   the scenario in the URL (pure, no streamlit)
    tables.py   the tables pages show (pure, no streamlit)
    decide.py, costs.py, latency.py, serving.py, pricing.py, report.py, traffic.py (Import)   the pages
                (st.Page scripts, listed in pages.py)

Only this package imports streamlit.
"""
