"""One browser tab on the Pricing page as the server sees it: Streamlit's websocket protocol, no browser.

`PricingClient(port, host=..., origin=...)` opens the page under any `Host` and `Origin` (a DNS-rebound page's),
still connecting to 127.0.0.1 only; `run()` is one script run of the page (its alerts and markdown as text),
`press(label, text)` puts `text` in the catalog editor and presses the form's button. The forged-save test
(tests/test_secure_saving.py) and the editor's memory benchmark (benchmarks/bench_editor.py) drive the page with it.
"""

from __future__ import annotations

import asyncio
import time

#: How long a connection or a run may take before the client gives up (seconds).
WAIT_S = 60.0


class PricingClient:
    """One browser tab on the Pricing page, as the server sees it, opened as `host` (default 127.0.0.1)."""

    def __init__(self, port: int, host: str | None = None, origin: str | None = None) -> None:
        self.port, self.host, self.origin = port, host or f"127.0.0.1:{port}", origin
        self.ws = None
        self.ids: dict[str, str] = {}

    async def connect(self) -> None:
        import websockets

        # the URL's name is what the Host header says; the TCP connection goes to 127.0.0.1 only
        self.ws = await websockets.connect(
            f"ws://{self.host}/_stcore/stream",
            host="127.0.0.1",
            port=self.port,
            origin=self.origin,
            subprotocols=["streamlit"],
            max_size=None,
            proxy=None,
            open_timeout=WAIT_S,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, widgets: list | None = None) -> str:
        """A run of the Pricing page (with these widget states); the page's text once it finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.page_name = "pricing"
        msg.rerun_script.widget_states.widgets.extend(widgets or [])
        await self.ws.send(msg.SerializeToString())
        chunks: list[str] = []
        deadline = time.monotonic() + WAIT_S
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic())))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._remember(fwd.delta.new_element, chunks)
            elif kind == "script_finished":
                return "\n".join(chunks)

    def _remember(self, e, chunks: list[str]) -> None:
        kind = e.WhichOneof("type")
        if kind == "text_area" and e.text_area.label == "Catalog YAML":
            self.ids["editor"] = e.text_area.id
            self.editor_text = e.text_area.value if e.text_area.set_value else e.text_area.default
        elif kind == "button":
            self.ids[e.button.label] = e.button.id
            if e.button.label.startswith("Save"):
                self.save_disabled = e.button.disabled
        elif kind in ("alert", "markdown"):
            chunks.append(getattr(e, kind).body)

    async def press(self, button_label: str, text: str) -> str:
        """Put `text` in the editor and press the form's button `button_label` (as a browser's tab sends it)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        editor = WidgetState(id=self.ids["editor"], string_value=text)
        button = WidgetState(id=self.ids[button_label], trigger_value=True)
        return await self.run([editor, button])
