"""LLM architecture planner — the Streamlit app. A router only: the pages live in planner/ui/.

    streamlit run app.py

The sidebar (the scenario's controls) is drawn here, before the page runs, so its
widgets are the same widgets on every page (widgets drawn by a page script get a
per-page identity and would be rebuilt on every page switch).
"""

import os
import sys

import streamlit as st

from planner.ui import access, messages, pages, process, results, sidebar

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

page = st.navigation(  # the pages and their order: planner/ui/pages.py
    [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in pages.PAGES]
)
results.start()  # this session's catalog, and the scenario from the URL on its first run
messages.show_flash()  # what the last action left to say
sidebar.draw(page.url_path)  # the scenario's controls; the URL follows the scenario
try:
    page.run()
finally:  # also when the page stops or reruns early
    process.after_run()  # frees the run's garbage without walking the whole process (see there)
