"""Every kind of control, app against the bare page, from one interleaved run.

    python -m benchmarks controls              # 16 changes per control and page (about 6 minutes)
    python -m benchmarks.bench_controls [N]

For each control the app has — the volume slider, a sidebar number input, a toggle, a select
box, a questionnaire answer and the preset — the same kind of control on the bare page
(`bare_app.py`: one slider, one metric, one plotly chart, one number input, toggle, select box
and segmented control) is changed the same way with the keyboard. Both servers run at once and
the changes are interleaved (bare slider, app slider, bare number, app number, ..., then the next
round), so a burst of load on a shared machine hits both alike.

Two times per change, both from the key press that changes the value (a capture-phase `keydown`
listener, `performance.now()` in the page; no Playwright polling inside the measured interval):

* **updated** — the first mutation of the chart (its marker moved) and, where the page has them,
  of the read-outs (the `st.metric` values; on Decide the recommendation's text), whichever is later;
* **settled** — the last of those mutations and the script idle (`notRunning`, no skeleton),
  after 300 ms without any further change (the quiet wait itself is not counted).

Per control: median and p95 of both, for the bare page and the app, and the app / bare ratio of
the settled medians (the issue's target for every control except the slider is ≤ 1.5×).
"""

from __future__ import annotations

import os
import statistics
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_server import (
    BARE_APP,
    DOCS_JS,
    ROOT,
    THUMB_STATE_JS,
    app_url,
    catalog_copy,
    goto_ready,
    launch_chromium,
    server,
    slider_thumb,
    wait_idle,
)

ARM_JS = (
    r"""
([timeoutMs, startKey, watchSel, readSel]) => new Promise((resolve) => {
  const app = document.querySelector("[data-testid='stApp']");
  const quietMs = 300;
  let t0 = null, watchFirst = null, watchLast = null, readFirst = null, readLast = null, idleAt = null;
  let quietTimer = null;
  const idle = () => app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector("[data-testid='stSkeleton']") === null;
  const within = (n, sel) => {
    const el = n && (n.nodeType === 1 ? n : n.parentElement);
    return !!(sel && el && el.closest && el.closest(sel));
  };
  const hasRead = readSel && [document, ...Array.from(document.querySelectorAll('iframe')).map((f) => {
    try { return f.contentDocument; } catch (e) { return null; } })].some((d) => d && d.querySelector(readSel));
  const finish = (ok, why) => {
    obs.disconnect();
    for (const d of docs) if (d.defaultView) d.defaultView.removeEventListener('keydown', onKey, true);
    clearTimeout(guard); clearTimeout(quietTimer);
    const rel = (t) => (t !== null && t0 !== null) ? t - t0 : null;
    const updated = hasRead ? (readFirst === null ? null : Math.max(watchFirst, readFirst)) : watchFirst;
    const settled = Math.max(watchLast, hasRead && readLast !== null ? readLast : 0, idleAt);
    resolve({ok, why, updatedMs: ok ? rel(updated) : null, settledMs: ok ? rel(settled) : null,
             watchFirstMs: rel(watchFirst), readFirstMs: rel(readFirst), idleMs: rel(idleAt)});
  };
  const check = (now) => {
    if (t0 === null || watchFirst === null) return;
    if (!idle()) { idleAt = null; return; }
    if (idleAt === null) idleAt = now;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => { if (idle()) finish(true, 'ok'); }, quietMs);
  };
  const obs = new MutationObserver((records) => {
    const now = performance.now();
    if (t0 === null) return;
    for (const r of records) {
      // The stale styling of a running script is not a change of what is shown.
      if (r.type === 'attributes' && !within(r.target, '.js-plotly-plot')) {
        const state = r.attributeName === 'data-test-script-state' && r.target.getAttribute(r.attributeName);
        if (state && state !== 'notRunning') idleAt = null;
        continue;
      }
      // a change inside a region, or a node added that is or holds one (not: a parent of the region)
      const added = Array.from(r.addedNodes).filter((n) => n.nodeType === 1);
      const hit = (sel) => within(r.target, sel) || added.some((n) => within(n, sel) || n.querySelector(sel) !== null);
      if (hit(watchSel)) {
        if (watchFirst === null) watchFirst = now;
        watchLast = now;
      }
      if (hasRead && hit(readSel)) {
        if (readFirst === null) readFirst = now;
        readLast = now;
      }
    }
    check(now);
  });
  const onKey = (e) => { if (t0 === null && (!startKey || e.key === startKey)) t0 = performance.now(); };
  const docs = """
    + DOCS_JS
    + """;
  for (const d of docs) {
    d.defaultView.addEventListener('keydown', onKey, {capture: true});
    obs.observe(d.body, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const guard = setTimeout(() => finish(false, t0 === null ? 'no keydown' :
      (watchFirst === null ? 'nothing watched changed' : 'never idle')), timeoutMs);
})
"""
)

START_JS = (
    "(args) => { window.__benchResult = null; (" + ARM_JS + ")(args).then(r => { window.__benchResult = r; },"
    " e => { window.__benchResult = {ok: false, why: 'timer: ' + e}; }); }"
)

CHART = ".js-plotly-plot"
#: The read-outs: `st.metric`s (the bare page, the peers), or the volume chart's cards (drawn inside its frame)
METRICS = "[data-testid='stMetricValue'], [data-testid='volumeCardValue']"
#: On Decide the read-out is the recommendation (the right-hand column's text).
DECIDE_TEXT = "[data-testid='stMain'] [data-testid='stColumn']:nth-of-type(2)"


@dataclass
class Target:
    """A page and the regions whose change the timing waits for."""

    page: object
    watch: str
    read: str | None


class Control:
    """One control on one page; `change()` changes its value with the keyboard and times it."""

    kind = ""

    def __init__(self, target: Target, label: str, timeout_ms: int = 20_000):
        self.t, self.label, self.timeout_ms = target, label, timeout_ms
        self.step = 0

    @property
    def page(self):
        return self.t.page

    def prepare(self) -> str | None:
        """Focus the control and do whatever must precede the timed key; returns that key."""
        raise NotImplementedError

    def change(self) -> dict:
        page = self.page
        page.bring_to_front()
        key = self.prepare()
        page.evaluate(START_JS, [self.timeout_ms, key, self.t.watch, self.t.read])
        page.keyboard.press(key)
        page.wait_for_function("() => window.__benchResult !== null", timeout=self.timeout_ms + 5_000, polling=50)
        r = page.evaluate("() => window.__benchResult")
        if not r["ok"] and os.environ.get("BENCH_DEBUG"):
            print(f"{self.label}: {r['why']}", file=sys.stderr)
        self.step += 1
        wait_idle(page)
        page.wait_for_timeout(200)  # let the browser settle between changes
        return r


class Slider(Control):
    """ArrowRight / ArrowLeft alternating (every press changes the value)."""

    def prepare(self) -> str:
        thumb = slider_thumb(self.page, self.label)
        if self.step == 0:
            state = thumb.evaluate(THUMB_STATE_JS)
            at_max = state["value"] is not None and state["value"] == state["max"]
            self.first = "ArrowLeft" if at_max else "ArrowRight"
        thumb.focus()
        other = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}[self.first]
        return self.first if self.step % 2 == 0 else other


class Number(Control):
    """ArrowUp / ArrowDown alternating in the number field (each steps and commits the value)."""

    def prepare(self) -> str:
        self.page.get_by_role("spinbutton", name=self.label).first.focus()
        return "ArrowUp" if self.step % 2 == 0 else "ArrowDown"


class Toggle(Control):
    """Space on the focused switch."""

    def prepare(self) -> str:
        box = self.page.get_by_role("switch", name=self.label)
        if not box.count():
            box = self.page.get_by_role("checkbox", name=self.label)
        box.first.focus()
        return " "


class Select(Control):
    """Open the menu (a click, not timed), move to the next / previous option, Enter (timed)."""

    def prepare(self) -> str:
        box = self.page.get_by_role("combobox", name=self.label).first
        for attempt in range(3):
            if box.get_attribute("aria-expanded") != "true":
                box.click()  # opens the menu on the current option (not timed: only Enter starts the clock)
            try:
                self.page.get_by_role("option").first.wait_for(state="visible", timeout=3_000)
                break
            except Exception:  # noqa: BLE001 - a click that only moved the focus: try again
                if attempt == 2:
                    raise
                self.page.keyboard.press("Escape")
                self.page.wait_for_timeout(300)
        self.page.keyboard.press("ArrowDown" if self.step % 2 == 0 else "ArrowUp")
        return "Enter"


class Segmented(Control):
    """Two options of a segmented control (a questionnaire's yes / no), alternating; Enter on the focused one."""

    def __init__(self, target: Target, label: str, options: tuple[str, str], **kw):
        super().__init__(target, label, **kw)
        self.options = options

    def prepare(self) -> str:
        group = self.page.get_by_role("radiogroup", name=self.label, exact=True).first
        group.get_by_role("radio", name=self.options[self.step % 2], exact=True).first.focus()
        return "Enter"


def open_sections(page, *labels: str) -> None:
    """Open the app's sidebar sections (they draw their controls only while open): click each one
    until its `<details>` is open and the rerun that opening causes has finished."""
    for label in labels:
        summary = page.locator("[data-testid='stSidebar'] summary").filter(has_text=label).first
        for _ in range(3):
            wait_idle(page, timeout=60_000)
            if summary.evaluate("s => s.parentElement.open"):
                break
            summary.click()
            page.wait_for_timeout(500)
        wait_idle(page, timeout=60_000)
        page.wait_for_timeout(300)
        wait_idle(page, timeout=60_000)
        if not summary.evaluate("s => s.parentElement.open"):
            raise RuntimeError(f"the sidebar section {label!r} does not open")


def _summary(samples: list[dict]) -> dict:
    from benchmarks.bench_browser import pct

    ok = [s for s in samples if s["ok"]]
    out: dict = {"n": len(ok), "failed": len(samples) - len(ok)}
    if len(ok) < len(samples):
        out["why"] = sorted({s["why"] for s in samples if not s["ok"]})
    for k in ("updatedMs", "settledMs"):
        xs = [s[k] for s in ok if s.get(k) is not None]
        name = k.removesuffix("Ms")
        if xs:
            out[f"{name}_median_ms"] = statistics.median(xs)
            out[f"{name}_p95_ms"] = pct(xs, 0.95)
    return out


#: The controls, in the order they are changed in each round.
CONTROLS = ("volume slider", "number input", "toggle", "select box", "questionnaire answer", "preset")


def app_controls(costs: Target, decide: Target) -> dict[str, Control]:
    return {
        "volume slider": Slider(costs, "Queries per month"),
        "number input": Number(costs, "Output (tokens/query)"),
        "toggle": Toggle(costs, "Rerank retrieved chunks (per search)"),
        "select box": Select(costs, "LLM (prompt only and RAG)"),
        "questionnaire answer": Segmented(decide, "Must users see the sources behind an answer?", ("Yes", "No")),
        "preset": Select(costs, "Preset scenario"),
    }


def _bare_controls(bare: Target) -> dict[str, Control]:
    return {
        "volume slider": Slider(bare, "Queries per month"),
        "number input": Number(bare, "Output tokens"),
        "toggle": Toggle(bare, "Rerank"),
        "select box": Select(bare, "Model"),
        "questionnaire answer": Segmented(bare, "Answer", ("yes", "no")),
        "preset": Select(bare, "Model"),
    }


#: The peer apps of the issue, run beside the planner when their checkout is given (`--peer DIR`): the
#: script, and their volume control — a number input in both — stepped with the arrow keys. Their
#: read-outs: RAGvsFT's `st.metric`s; long-context-surely-killed-RAG shows its figures as markdown.
PEERS = {
    "rag_vs_finetuned_token_calculator_embedded_logo.py": ("RAGvsFT", "Monthly Query Volume", METRICS),
    "src/calculators/long_context.py": ("long-context-surely-killed-RAG", "Requests per Day", None),
}
MAIN = "[data-testid='stMain']"


def peer_app(directory: Path) -> tuple[str, Path, str, str | None]:
    """A peer's checkout → (its name, the script to run, its volume control's label, its read-outs)."""
    for marker, (name, label, read) in PEERS.items():
        if (directory / marker).exists():
            script = directory / (marker if marker.endswith("_logo.py") else "app.py")
            return name, script, label, read
    known = ", ".join(n for n, _, _ in PEERS.values())
    raise ValueError(f"{directory}: not a checkout of a known peer app ({known})")


def run(moves: int = 16, warmup: int = 2, app_script=None, baseline_script=None, peers=()) -> dict:
    """Interleaved: for each round, for each control, one change on the bare page, one in the app (and,
    with `baseline_script` — the app of another checkout, e.g. before a change — one there too). Each
    checkout in `peers` (see `PEERS`) runs beside them: its volume control, in the volume row."""
    from playwright.sync_api import sync_playwright

    app_script = app_script or ROOT / "app.py"
    peer_apps = [peer_app(Path(d)) for d in peers]
    sides = ["bare", "app"] + (["baseline app"] if baseline_script else []) + [p[0] for p in peer_apps]
    samples: dict[str, dict[str, list[dict]]] = {c: {side: [] for side in sides} for c in CONTROLS}
    with sync_playwright() as p, ExitStack() as stack:
        browser = launch_chromium(p)
        stack.callback(browser.close)

        def open_(srv, page_name):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(ctx.close)
            page = ctx.new_page()
            goto_ready(page, app_url(srv.url, page_name), chart=page_name != "")
            return page

        def start(script):
            cat = stack.enter_context(catalog_copy())
            return stack.enter_context(server(script, catalog=cat, cwd=ROOT if script == BARE_APP else script.parent))

        bare_page = open_(start(BARE_APP), None)
        controls = {"bare": _bare_controls(Target(bare_page, CHART, METRICS))}
        elements = {"bare page": _count_elements(bare_page)}
        for side, script in (("app", app_script), ("baseline app", baseline_script)):
            if script is None:
                continue
            srv = start(script)
            costs_page = open_(srv, "costs")
            open_sections(costs_page, "Tokens per query", "Retrieval", "Stack")
            decide_page = open_(srv, "")
            elements[f"{side} Costs page"] = _count_elements(costs_page)
            elements[f"{side} Decide page"] = _count_elements(decide_page)
            controls[side] = app_controls(Target(costs_page, CHART, METRICS), Target(decide_page, DECIDE_TEXT, None))
        for name, script, label, read in peer_apps:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(ctx.close)
            page = ctx.new_page()
            goto_ready(page, stack.enter_context(server(script, cwd=script.parent)).url, chart=False)
            elements[name] = _count_elements(page)
            controls[name] = {"volume slider": Number(Target(page, MAIN, read), label)}
        for i in range(warmup + moves):
            for name in CONTROLS:
                for side in sides:
                    if name not in controls[side]:
                        continue
                    if os.environ.get("BENCH_DEBUG"):
                        print(f"round {i}: {name}, {side}", file=sys.stderr)
                    r = controls[side][name].change()
                    if i >= warmup:
                        samples[name][side].append(r)
    res: dict = {}
    for name in CONTROLS:
        row = {side: _summary(samples[name][side]) for side in sides if samples[name][side]}
        b = row["bare"]
        for side in sides[1:]:
            if "settled_median_ms" in b and "settled_median_ms" in row.get(side, {}):
                row[f"ratio settled {side} / bare"] = row[side]["settled_median_ms"] / b["settled_median_ms"]
        res[name] = row
    res["elements drawn"] = elements
    return res


def _count_elements(page) -> dict:
    """How much a rerun sends and React reconciles: elements (main area, sidebar) and widgets; plotly charts
    in the page and its frames (the volume chart)."""
    return page.evaluate(
        """() => ({
        main: document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length,
        sidebar: document.querySelectorAll("[data-testid='stSidebar'] [data-testid='stElementContainer']").length,
        markdown: document.querySelectorAll("[data-testid='stMarkdownContainer']").length,
        plotly: ("""
        + DOCS_JS
        + """).reduce((n, d) => n + d.querySelectorAll('.js-plotly-plot').length, 0)})"""
    )


def table(res: dict) -> str:
    """The figures as a markdown table (medians / p95, ms)."""
    res = {k: v for k, v in res.items() if k in CONTROLS}
    sides = [k for k in res["volume slider"] if not k.startswith("ratio")]  # (peers are in the volume row only)
    head = " | ".join(f"{side} updated" for side in sides) + " | " + " | ".join(f"{side} settled" for side in sides)
    ratios = " | ".join(f"{side} / bare settled" for side in sides[1:])
    lines = [f"| control | {head} | {ratios} |", "|---" * (1 + 3 * len(sides) - 1) + "|"]

    def mp(d: dict | None, k: str) -> str:
        if d is None:
            return "–"
        if f"{k}_median_ms" not in d:
            return f"failed ({', '.join(d.get('why', []))})"
        return f"{d[f'{k}_median_ms']:.0f} / {d[f'{k}_p95_ms']:.0f}"

    for name, row in res.items():
        cells = [mp(row.get(side), "updated") for side in sides] + [mp(row.get(side), "settled") for side in sides]
        for side in sides[1:]:
            ratio = row.get(f"ratio settled {side} / bare")
            cells.append(f"{ratio:.2f}×" if ratio else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """python -m benchmarks.bench_controls [MOVES] [BASELINE_APP_PY]"""
    argv = sys.argv[1:] if argv is None else argv
    moves = int(argv[0]) if argv else 16
    baseline = Path(argv[1]).resolve() if len(argv) > 1 else None
    print(table(run(moves=moves, baseline_script=baseline)))


if __name__ == "__main__":
    main()
