"""The baseline for the browser benchmarks: the bare Streamlit page.

    streamlit run benchmarks/bare_app.py --server.headless true

One slider, one metric (the read-out) and one plotly line chart; below the chart one of each of
the other kinds of control the app has (a number input, a toggle, a select box, a segmented
control like the questionnaire's yes/no answers), each changing the chart. Whatever this page
costs per change (websocket round trip, Python rerun, React reconciliation, plotly redraw) is the
floor the app is compared with, control kind by control kind.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
n = st.slider("Queries per month", min_value=1, max_value=100, value=50, key="n")
scale = st.session_state.get("scale", 100) / 100
bump = 1.2 if st.session_state.get("toggle") else 1.0
pick = {"a": 1.0, "b": 1.1, "c": 1.3}[st.session_state.get("select", "a")]
answer = {"yes": 1.05, "no": 0.95}.get(st.session_state.get("answer") or "", 1.0)
st.metric("Cost per month", f"${n * 10 * scale * bump * pick * answer:,.2f}")

x = np.geomspace(1e3, 1e7, 50)
fig = go.Figure()
fig.add_trace(go.Scatter(x=x, y=x * n * 1e-3 * scale * bump * pick * answer, mode="lines", name="cost"))
fig.update_layout(height=360, margin=dict(l=40, r=10, t=10, b=40), xaxis_type="log", yaxis_type="log")
st.plotly_chart(fig, key="chart")

st.number_input("Output tokens", min_value=0, max_value=10_000, value=100, step=50, key="scale")
st.toggle("Rerank", key="toggle")
st.selectbox("Model", ["a", "b", "c"], key="select")
st.segmented_control("Answer", ["yes", "no", "unsure"], key="answer")
