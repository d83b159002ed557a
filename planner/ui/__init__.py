"""The Streamlit user interface: thin pages over the pure core (planner/, pricing/).

    state.py    per-session state, cached computations, the sidebar (the scenario's controls)
    params.py   the scenario in the URL (pure, no streamlit)
    tables.py   the tables pages show (pure, no streamlit)
    decide.py, costs.py, latency.py, pricing.py, report.py   the pages (st.Page scripts, see app.py)

Only this package imports streamlit.
"""
