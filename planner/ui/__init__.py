"""The Streamlit user interface: thin pages over the pure core (planner/, pricing/).

    session.py  this browser session's state (one typed `Session`), cached computations, scenario controls
    results.py  what a page draws: the session started, this run's estimate and recommendation, the header
    catalog.py  the session's catalog and the Pricing page's actions (apply, save, upload, reset)
    sidebar.py  the scenario's controls, laid out, and the scenario in the URL
    messages.py alerts that show user text literally, located problems
    params.py   the scenario in the URL (pure, no streamlit)
    tables.py   the tables pages show (pure, no streamlit)
    decide.py, costs.py, latency.py, pricing.py, report.py, traffic.py (Import)   the pages (st.Page scripts,
                see app.py)

Only this package imports streamlit.
"""
