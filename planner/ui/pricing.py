"""Pricing: the catalog's figures with their sources, and the YAML to edit, apply, save, download or upload."""

import functools
from pathlib import Path

import streamlit as st

from planner.ui import catalog, results, session, tables
from planner.ui.messages import md, message
from pricing.store import backup_path, target_path
from pricing.versions import genai_prices_versions

ss = st.session_state
#: Lines shown around a problem in the focused editor.
FOCUS_CONTEXT_LINES = 6


def problem_markdown(title: str, problems, text: str) -> str:
    """Every problem with its location and the text of its line (wrapped, nothing interpreted)."""
    lines = text.splitlines()
    out = [md(title), ""]
    for p in problems[:60]:
        where = f"line {p.line}, column {p.column}"
        what = f"{md(p.path)}: {md(p.message)}" if p.path else md(p.message)
        head = f"- **{where}** — {what}"
        out.append(head)
        if 1 <= p.line <= len(lines) and lines[p.line - 1].strip():
            shown = lines[p.line - 1].strip().replace("`", "'")[:300]
            out.append(f"  `{p.line}: {shown}`")
    if len(problems) > 60:
        out.append(f"- … and {len(problems) - 60} more")
    return "\n".join(out)


def on_focus_back() -> None:
    """Put the focused lines back into the editor's text (Apply or Save to use it)."""
    state = session.get()
    if state.cat_focus_range is None:  # (the button is drawn only with its lines)
        return
    first, last = state.cat_focus_range
    lines = (state.cat_draft or "").splitlines(keepends=True)
    new = ss["cat_focus_text"]
    if not new.endswith("\n"):
        new += "\n"
    catalog.set_editor("".join(lines[: first - 1]) + new + "".join(lines[last:]))
    ss.pop("cat_focus", None)


def problems_panel() -> None:
    """The last invalid text's problems, all at once, each with its line, and the way to each line."""
    kept = session.get().cat_problems
    if not kept:
        return
    text, problems, name = kept
    where = f"{name} is" if name else "The catalog is"
    title = (
        f"{where} not valid, so nothing changed (the last good catalog is still in use). "
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''}, each with its line:"
    )
    st.error(problem_markdown(title, problems, text))
    focused_editor(text, problems)


def focused_editor(text: str, problems) -> None:
    """The problems' lines, one click away: pick a line, edit the lines around it, put them back."""
    if text != session.get().cat_draft:
        text = session.get().cat_draft or ""
    lines = text.splitlines(keepends=True)
    at = sorted({p.line for p in problems if 1 <= p.line <= len(lines)})
    if not at:
        return
    st.pills(
        "Go to the line of a problem",
        at,
        format_func=lambda n: f"line {n}",
        key="cat_focus",
        help="Opens the lines around it below, with their line numbers, to fix and put back into the editor.",
    )
    n = ss.get("cat_focus")
    if n is None:
        return
    first, last = max(1, n - FOCUS_CONTEXT_LINES), min(len(lines), n + FOCUS_CONTEXT_LINES)
    state = session.get()
    state.cat_focus_range = (first, last)
    numbered = "".join(f"{i:>5} | {lines[i - 1]}" for i in range(first, last + 1))
    st.code(numbered, language="yaml", wrap_lines=True)
    if state.cat_focus_for != (n, first, last, text):  # a new line to fix: fill the box once
        state.cat_focus_for = (n, first, last, text)
        ss["cat_focus_text"] = "".join(lines[first - 1 : last])
    st.text_area(
        f"Lines {first}–{last} (line {n} is the problem)",
        key="cat_focus_text",
        height=260,
        help="Edit these lines, then put them back into the catalog text; Apply or Save validates it again.",
    )
    st.button("Put these lines back into the catalog", key="cat_focus_back", on_click=on_focus_back)


def show_result() -> None:
    result = catalog.take_result()
    if result is None:
        return
    outcome, detail = result[0], result[1]
    ss.pop("cat_focus", None)
    state = session.get()
    if outcome == "invalid":  # kept, with the text it points into, until a valid result
        problems = detail if isinstance(detail, list) else []  # (an invalid outcome's detail is its problems)
        state.cat_problems = (state.cat_draft or "", problems, result[2] if len(result) > 2 else None)
        return
    if outcome in ("applied", "saved", "reset"):
        state.cat_problems = None
    if outcome == "applied":
        after = "until you save" if catalog.write_access().allowed else "(saving is off on this server)"
        message(
            "success",
            f"Applied {detail} for this session: every chart now uses it. Other sessions are not affected {after}; "
            "a reload of this page drops it, so download the YAML to keep it.",
        )
    elif outcome == "saved":
        message("success", f"Saved to {detail}.")
    elif outcome == "reset":
        message("info", f"Back to the catalog in {detail}.")
    else:  # conflict, error
        message("error", str(detail))


ctx = results.context()
results.page_header("Pricing", ctx, "every price with its source and the date it was checked")
cat = ctx.catalog
df = catalog.figures_table(ctx.cat_sha, cat)

prices = df["Unit"].str.startswith("USD")
stale_prices = int((df["Stale"] & prices).sum())
if stale_prices:
    st.warning(
        f"{stale_prices} of {int(prices.sum())} prices were checked more than 180 days ago "
        f"({int(df['Stale'].sum())} of {len(df)} figures in all): vendors change prices often, "
        "so check them against their sources before relying on them. Filter with “stale only” below."
    )
unverified = int((~df["Verified"]).sum())
if unverified:
    st.caption(f"{unverified} figures are marked unverified (estimated, derived or unconfirmed at their source).")

if ctx.error:
    message("error", ctx.error)

st.subheader("Figures")
c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
text = c1.text_input(
    "Filter (words in the family, entry, field, unit, source or note)",
    key="cat_filter",
    placeholder="e.g. gpt-4o input, pinecone, latency",
    help="Every word must appear in the row.",
)
stale_only = c2.toggle("Stale only", key="cat_stale_only", help="Figures checked more than 180 days ago.")
unverified_only = c3.toggle("Unverified", key="cat_unverified_only", help="Figures marked `verified: false`.")
view = tables.filter_frame(df, text)
if stale_only:
    view = view[view["Stale"]]
if unverified_only:
    view = view[~view["Verified"]]
st.dataframe(
    view,
    hide_index=True,
    height=420,
    column_config={
        "Family": st.column_config.TextColumn("Family", width=125),
        "Entry": st.column_config.TextColumn("Entry", width=165),
        "Field": st.column_config.TextColumn("Field", width=170),
        "Value": st.column_config.NumberColumn("Value", help="The typical figure, in the unit shown.", width=80),
        "Unit": st.column_config.TextColumn("Unit", help="From the field name.", width=135),
        "Low": st.column_config.NumberColumn("Low", width=70),
        "High": st.column_config.NumberColumn("High", width=70),
        "Checked": st.column_config.DateColumn(
            "Checked", format="YYYY-MM-DD", help="When the figure was last checked at its source.", width=95
        ),
        "Stale": st.column_config.CheckboxColumn("Stale", help="Checked more than 180 days ago.", width=60),
        "Verified": st.column_config.CheckboxColumn(
            "Verified", help="False when the figure is estimated, derived or unconfirmed.", width=70
        ),
        "Source": st.column_config.LinkColumn(
            "Source", display_text=r"https?://(?:www\.)?([^/]+)", help="Where the figure was read.", width=130
        ),
        "Citation": st.column_config.TextColumn("Citation", help="The source, when it is not a web page.", width=200),
        "Note": st.column_config.TextColumn("Note", width=300),
        "Key": st.column_config.TextColumn("Key", help="The key scenarios use (stack.llm, ...).", width=160),
    },
)
_versions = genai_prices_versions(cat)
_gp = f" · prices checked against genai-prices {md(cat.genai_prices_version)}" if cat.genai_prices_version else ""
_gp += f" · installed: genai-prices {md(_versions.installed or 'none')}"
st.caption(f"{len(view)} of {len(df)} figures · catalog {cat.version} ({cat.date}){_gp}.")
if _versions.differ:
    message("warning", _versions.warning())

st.subheader("Edit the catalog (YAML)")
path = Path(session.get().cat_path)
access = catalog.write_access()
save_how = (
    f"**Save** also writes the file (atomically, keeping the previous version as "
    f"{md(backup_path(target_path(path)).name)}, and refusing to "
    "overwrite a file someone changed since you loaded it)"
    if access.allowed
    else "**Save** is off on this server"
)
st.caption(
    f"Catalog file: {md(path.name)}. **Apply** validates the text and prices this session with it (every chart, at "
    f"once); {save_how}. An invalid text changes nothing. Applied edits and the editor's text live in this browser "
    "tab only: reloading the page or opening the link elsewhere starts again from the catalog file, so download the "
    "YAML to keep an edit."
)
if not access.allowed:
    message("info", access.reason + " Your edits apply to this session and its downloads only.")
catalog.editor_text()
with st.form("catalog_form", border=False):
    st.text_area(
        "Catalog YAML",
        key=catalog.EDITOR_KEY,
        height=460,
        max_chars=session.MAX_EDITOR_CHARS,
        help="The whole catalog, or an override starting with `extends: default`. Every figure needs a value, a "
        "source and a checked date.",
    )
    b1, b2, _ = st.columns([1, 1, 3])
    b1.form_submit_button("Apply for this session", key="cat_apply", type="primary", on_click=catalog.on_apply)
    b2.form_submit_button(
        "Save to catalog file",
        key="cat_save",
        on_click=catalog.on_save,
        disabled=not access.allowed,
        help=access.reason or None,
    )
show_result()  # beside the buttons the user just pressed
problems_panel()

d1, d2, d3 = st.columns([1, 2, 1], vertical_alignment="bottom")
d1.download_button(
    "Download catalog (YAML)",
    data=functools.partial(str, session.get().cat_text),
    file_name=path.name if path.suffix in (".yaml", ".yml") else "catalog.yaml",
    mime="application/x-yaml",
    on_click="ignore",
    help="The catalog this session uses (with the edits you applied).",
)
d2.file_uploader(
    "Upload a catalog (YAML, up to 1 MB)",
    type=["yaml", "yml"],
    key=catalog.UPLOAD_KEY,
    on_change=catalog.on_upload,
    max_upload_size=1,
    help="Validated before use; applied for this session only (save to write it to the file).",
)
d3.button(
    "Reset to the file's catalog",
    key="cat_reset",
    on_click=catalog.on_reset,
    help=f"Drop this session's edits and reload {path.name}.",
)
