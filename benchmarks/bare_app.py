"""The baseline for the browser benchmark: one slider and one plotly line chart, nothing else.

    streamlit run benchmarks/bare_app.py --server.headless true

Whatever this page costs per slider move (websocket round trip, Python rerun, React
reconciliation, plotly redraw) is the floor the real app is compared with.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
n = st.slider("Queries per month", min_value=1, max_value=100, value=50, key="n")

x = np.geomspace(1e3, 1e7, 50)
fig = go.Figure()
fig.add_trace(go.Scatter(x=x, y=x * n * 1e-3, mode="lines", name="cost"))
fig.update_layout(height=360, margin=dict(l=40, r=10, t=10, b=40), xaxis_type="log", yaxis_type="log")
st.plotly_chart(fig, key="chart")
