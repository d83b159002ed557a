"""The catalog this session prices with, and what the Pricing page does to it.

The session starts on the catalog file (`$PLANNER_CATALOG` or the shipped default) and follows
it while it has no edit of its own; Apply, Upload, Save and Reset change it. Every change
validates first: an invalid text changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from planner.ui import access, session
from planner.ui.messages import problem_lines
from planner.ui.session import MAX_EDITOR_CHARS, MAX_UPLOAD_BYTES, Outcome, flash
from pricing import loader
from pricing.errors import ConflictError, InputError, Problem, SaveError
from pricing.loader import (
    DEFAULT_CATALOG_PATH,
    LoadedCatalog,
    catalog_key,
    default_catalog_text,
    fingerprint,
    read_text,
)
from pricing.models import Catalog
from pricing.store import SavedCatalog, save_catalog

if TYPE_CHECKING:  # pandas (and pyarrow with it) loads only where a table is drawn
    import pandas as pd

#: How long a Save waits for another save of the same file (it waits on the thread that draws the page).
SAVE_LOCK_WAIT_SECONDS = 1.0
#: The Pricing page's YAML editor (a widget key).
EDITOR_KEY = "cat_editor"
#: The Pricing page's catalog uploader (a widget key).
UPLOAD_KEY = "cat_upload"


def request_headers() -> dict[str, str]:
    """The headers of this session's request (its websocket's opening request): Host, Origin, ..."""
    return dict(st.context.headers)


def write_access() -> access.WriteAccess:
    """May this request save the catalog file? (`planner.ui.access`: only with the operator's opt-in,
    `PLANNER_WRITABLE=1`, and only for a request whose Host names this machine; read from the request's
    headers every time it is asked.)"""
    return access.write_access(os.environ, st.get_option("server.address"), request_headers())


def catalog_path() -> Path:
    """The catalog file this app was started with: `$PLANNER_CATALOG`, or the shipped default."""
    env = os.environ.get("PLANNER_CATALOG", "").strip()
    return Path(env) if env else DEFAULT_CATALOG_PATH


def _read_catalog_file(path: Path) -> tuple[str, str, tuple[int, int]]:
    """(text, its fingerprint — what `save_catalog` checks for conflicts, (mtime_ns, size)). Raises InputError."""
    text = read_text(path, MAX_UPLOAD_BYTES)
    stat = path.stat()
    return text, fingerprint(text), (stat.st_mtime_ns, stat.st_size)


def _adopt_catalog(text: str, file: str, *, custom: bool) -> LoadedCatalog:
    """Validate `text` and make it this session's catalog (raises InputError, changing nothing).

    Its key (`cat_sha`, which keys every cached result) covers the default catalog's text too:
    an override means something else once the default file changed."""
    stamp = _stamp(loader.DEFAULT_CATALOG_PATH)  # before the read: a change made in between shows on the next rerun
    base = default_catalog_text()
    sha = catalog_key(text, base)
    loaded = session.parse_catalog_cached(sha, text, base, file)
    s = session.get()
    s.cat_text, s.cat_sha, s.cat_custom = text, sha, custom
    s.catalog_memo = (sha, loaded.catalog)
    s.default_stamp = stamp
    return loaded


def load_catalog_file() -> None:
    """Start (or reset) the session on the catalog file."""
    s = session.get()
    path = catalog_path()
    s.cat_path = str(path)
    try:
        text, file_sha, stamp = _read_catalog_file(path)
    except InputError as exc:
        s.cat_file_sha, s.cat_stamp = None, None
        flash(
            "error",
            f"The catalog file {path.name} cannot be read; using the shipped default.",
            problem_lines(exc.problems),
        )
        _fallback_to_default()
        return
    s.cat_file_sha, s.cat_stamp = file_sha, stamp
    try:
        _adopt_catalog(text, str(path), custom=False)
        set_editor(text)
    except InputError as exc:
        flash(
            "error",
            f"The catalog file {path.name} is not valid; using the shipped default. Fix it on the Pricing page.",
            problem_lines(exc.problems),
        )
        _fallback_to_default()
        set_editor(text)  # the broken file, to repair in the editor


def _fallback_to_default() -> None:
    text = DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")
    _adopt_catalog(text, str(DEFAULT_CATALOG_PATH), custom=True)
    set_editor(text)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st_ = path.stat()
    except OSError:
        return None
    return (st_.st_mtime_ns, st_.st_size)


def follow_default() -> None:
    """An override (the file's or this session's edit) is layered over the default catalog: when
    `pricing/default.yaml` changed since, the next rerun layers it over the new default (an override
    that no longer holds over it keeps the last good catalog)."""
    s = session.get()
    stamp = _stamp(loader.DEFAULT_CATALOG_PATH)
    if stamp is None or stamp == s.default_stamp:
        return
    if not s.cat_text or catalog_key(s.cat_text, default_catalog_text()) == s.cat_sha:
        s.default_stamp = stamp
        return
    try:
        _adopt_catalog(s.cat_text, s.cat_path, custom=s.cat_custom)
    except InputError:
        s.default_stamp = stamp  # the last good catalog stays; the Pricing page reports the file when reset


def follow_file() -> None:
    """A session without its own edits follows the file: a save made elsewhere shows on the next rerun;
    a session on an override follows the default catalog it extends too (`follow_default`)."""
    s = session.get()
    follow_default()
    if s.cat_custom or not s.cat_stamp:
        return
    path = Path(s.cat_path)
    try:
        stat = path.stat()
    except OSError:
        return
    if (stat.st_mtime_ns, stat.st_size) == tuple(s.cat_stamp):
        return
    try:
        text, file_sha, stamp = _read_catalog_file(path)
        editor_was_clean = s.cat_draft == s.cat_text
        _adopt_catalog(text, str(path), custom=False)
    except InputError:
        return  # keep the last good catalog; the Pricing page reports the file when reset
    s.cat_file_sha, s.cat_stamp = file_sha, stamp
    if editor_was_clean:
        set_editor(text)


def set_editor(text: str) -> None:
    """Put `text` in the Pricing page's YAML editor (and keep it as the draft across page switches)."""
    st.session_state[EDITOR_KEY] = session.get().cat_draft = text


def editor_text() -> str:
    """Set the editor from the draft before it is drawn (a page switch drops or resets the widget's
    state; every submit goes through Apply or Save, which record the draft first). Returns the text."""
    s = session.get()
    if s.cat_draft is None:
        s.cat_draft = s.cat_text
    session.sync_widget(EDITOR_KEY, s.cat_draft)
    return s.cat_draft


def catalog() -> Catalog:
    """The catalog this session prices with."""
    s = session.get()
    memo = s.catalog_memo
    if memo is None or memo[0] != s.cat_sha:
        try:
            _adopt_catalog(s.cat_text, s.cat_path, custom=s.cat_custom)
        except InputError:  # an edit that no longer holds over a changed default: back to the file
            load_catalog_file()
        memo = s.catalog_memo
        assert memo is not None
    return memo[1]


def apply_catalog_text(text: str, file: str = "<editor>") -> list[Problem]:
    """Validate and apply for this session. Returns the problems ([] when applied)."""
    try:
        _adopt_catalog(text, file, custom=True)
    except InputError as exc:
        return exc.problems
    return []


def reset_catalog() -> None:
    load_catalog_file()


def figures_table(cat_sha: str, catalog: Catalog) -> pd.DataFrame:
    """The catalog's figures as a table (see `planner.ui.tables.figures_frame`); shared between sessions by
    the catalog's key unless the catalog is too big to share (`session.SHARED_CATALOG_MAX_BYTES`)."""
    from planner.ui import tables

    if len(session.get().cat_text) > session.SHARED_CATALOG_MAX_BYTES:
        return tables.figures_frame(catalog)
    return _figures_table_shared(cat_sha, catalog)


@st.cache_data(show_spinner=False, max_entries=16, ttl=session.CACHE_TTL_SECONDS)
def _figures_table_shared(cat_sha: str, _catalog: Catalog) -> pd.DataFrame:
    from planner.ui import tables

    return tables.figures_frame(_catalog)


def save_catalog_text(text: str) -> Outcome:
    """Save `text` to the catalog file (validated, atomic, conflict-safe, previous version kept as .bak).

    Returns (outcome, detail): ("saved", path), ("invalid", problems), ("conflict", message) or ("error", message).
    """
    s = session.get()
    path = Path(s.cat_path)
    allowed = write_access()
    if not allowed.allowed:  # the button is disabled; a crafted request is refused all the same
        return "error", allowed.reason
    try:
        loaded = save_catalog(
            text, path, s.cat_file_sha, shown_as=path.name, lock_timeout_seconds=SAVE_LOCK_WAIT_SECONDS
        )
    except InputError as exc:
        return "invalid", exc.problems
    except ConflictError as exc:
        return "conflict", str(exc)
    except SaveError as exc:
        return "error", str(exc)
    except OSError as exc:
        return "error", f"Could not save {path.name}: {exc.strerror or exc}; the file was not changed"
    _adopt_catalog(loaded.text, str(path), custom=False)
    stat = path.stat()
    s.cat_file_sha, s.cat_stamp = loaded.sha256, (stat.st_mtime_ns, stat.st_size)
    return "saved", saved_detail(loaded, path)


def saved_detail(saved: SavedCatalog, path: Path) -> str:
    """What a save did, naming the real `.bak` (beside the file a link points to), or saying there is none."""
    if not saved.written:
        return f"{path.name}: nothing to write, it already holds this text (its previous version is unchanged)"
    if saved.backup is None:
        return f"{path.name} (a new file: there was no previous version to keep)"
    beside = "" if saved.backup.parent == path.parent else f", beside {saved.backup.parent.name}/ where the link points"
    return f"{path.name} (the previous version is kept as {saved.backup.name}{beside})"


def catalog_upload(f: UploadedFile) -> Outcome:
    """Validate an uploaded catalog and apply it for this session."""
    if f.size > MAX_UPLOAD_BYTES:
        return "error", f"{f.name}: the file is {f.size:,} bytes; catalogs are limited to {MAX_UPLOAD_BYTES:,} bytes."
    try:
        text = f.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        return "error", f"{f.name}: not UTF-8 text. Save the catalog as UTF-8 YAML."
    problems = apply_catalog_text(text, f.name)
    if len(text) > MAX_EDITOR_CHARS:  # too long for the editor: applied (or refused) without it
        if problems:
            shown = "; ".join(problem_lines(problems[:5]))
            return "error", f"{f.name} is not valid, so nothing changed: {shown}"
        return "applied", (
            f"{f.name} (its {len(text):,} characters are more than the editor holds, {MAX_EDITOR_CHARS:,}: "
            "the editor keeps its text)"
        )
    set_editor(text)  # an invalid upload goes to the editor, to be fixed where the problems point
    if problems:
        return "invalid", problems, f.name
    return "applied", f.name


# ------------------------------------------------------------------ the Pricing page's buttons (callbacks)


def _take_editor_text() -> str | None:
    """The editor's submitted text, now the draft; None (and the draft put back in the editor, the text not
    kept anywhere) when it is above `MAX_UPLOAD_BYTES` of UTF-8 (a client that ignores the editor's cap)."""
    s = session.get()
    text = st.session_state.get(EDITOR_KEY) or ""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_UPLOAD_BYTES:
        st.session_state[EDITOR_KEY] = s.cat_draft if s.cat_draft is not None else s.cat_text
        s.cat_result = ("error", f"The text is {size:,} bytes; catalogs are limited to {MAX_UPLOAD_BYTES:,} bytes.")
        return None
    s.cat_draft = text
    return text


def on_apply() -> None:
    text = _take_editor_text()
    if text is not None:
        problems = apply_catalog_text(text)
        session.get().cat_result = ("invalid", problems) if problems else ("applied", "your edit")


def on_save() -> None:
    text = _take_editor_text()
    if text is not None:
        session.get().cat_result = save_catalog_text(text)


def on_upload() -> None:
    f = st.session_state.get(UPLOAD_KEY)
    if f is not None:
        session.get().cat_result = catalog_upload(f)


def on_reset() -> None:
    reset_catalog()
    s = session.get()
    s.cat_result = ("reset", Path(s.cat_path).name)


def take_result() -> Outcome | None:
    """The outcome of the last button pressed on the Pricing page, once."""
    s = session.get()
    result, s.cat_result = s.cat_result, None
    return result
