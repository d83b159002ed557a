"""LLM architecture planner — the Streamlit app. A router only: the pages live in planner/ui/.

    streamlit run app.py

The sidebar (the scenario's controls) is drawn here, before the page runs, so its
widgets are the same widgets on every page (widgets drawn by a page script get a
per-page identity and would be rebuilt on every page switch).
"""

import os
import sys

import streamlit as st

from planner.ui import access, messages, process, results, sidebar

#: The sidebar's starting width (pixels): wide enough that its labels and the longest entry names of
#: the catalog (presets, fine-tuning offers) show whole; the user can still drag it.
SIDEBAR_WIDTH_PX = 500
st.set_page_config(
    page_title="LLM architecture planner",
    page_icon=":material/architecture:",
    layout="wide",
    initial_sidebar_state=SIDEBAR_WIDTH_PX,
)

try:  # a yes/no flag with another value: say so, rather than guess read-only or writable
    access.check_environment(os.environ)
except access.FlagError as exc:
    print(f"error: {exc}", file=sys.stderr)
    st.error(f"The app did not start: {exc}")
    st.stop()

page = st.navigation(
    [
        st.Page("planner/ui/decide.py", title="Decide", icon=":material/fact_check:", default=True),
        st.Page("planner/ui/costs.py", title="Costs", icon=":material/payments:", url_path="costs"),
        st.Page("planner/ui/latency.py", title="Latency", icon=":material/timer:", url_path="latency"),
        st.Page("planner/ui/serving.py", title="Serving", icon=":material/dns:", url_path="serving"),
        st.Page("planner/ui/pricing.py", title="Pricing", icon=":material/sell:", url_path="pricing"),
        st.Page("planner/ui/report.py", title="Report", icon=":material/picture_as_pdf:", url_path="report"),
        st.Page("planner/ui/traffic.py", title="Import", icon=":material/upload_file:", url_path="import"),
    ]
)
results.start()  # this session's catalog, and the scenario from the URL on its first run
messages.show_flash()  # what the last action left to say
sidebar.draw(page.url_path)  # the scenario's controls; the URL follows the scenario
try:
    page.run()
finally:  # also when the page stops or reruns early
    process.after_run()  # frees the run's garbage without walking the whole process (see there)
