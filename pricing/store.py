"""Save a catalog without losing anything.

A save

* validates first (an invalid catalog is never written) and refuses a text the
  app could not load back as that same file: an override (`extends: default`)
  saved over the default catalog itself would extend itself;
* holds an exclusive lock (`flock` on `.<file>.lock` beside the file, which also
  holds between processes) from the conflict check to the replace, so of two
  saves made at the same instant exactly one wins and the other is told. The lock
  file is opened read-only (a lock left by another user, e.g. one `sudo` run, still
  locks) and never through a symbolic link; the wait for it is bounded (the app
  waits 1 s, not 10: it waits on the thread that draws the page);
* refuses to overwrite a file that changed on disk since it was loaded, and a
  file that is read-only (no write permission bit, or not writable by us);
* writes through a symbolic link (the link stays, its target gets the new text);
* writes nothing when the text is what the file already holds (so the `.bak`
  stays the real previous version, not a copy of the text just saved);
* keeps the previous version as `<file>.bak` (beside the real file, the end of a
  chain of links; a new file has none) and replaces the file atomically
  (temporary file in the same folder, fsync, `os.replace`), so a crash leaves
  either the old or the new file, never half of one.

Every refusal and failure is a `ConflictError` (someone else's save) or a
`SaveError` (anything else), each a sentence; nothing is half-written.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pricing import loader
from pricing.errors import ConflictError, InputError, SaveError
from pricing.loader import LoadedCatalog, fingerprint, parse_catalog
from pricing.safefile import read_regular_file
from pricing.safeyaml import MAX_BYTES

#: How long a save waits for another save of the same file to finish before giving up.
LOCK_TIMEOUT_SECONDS = 10.0


def _text_fingerprint(raw: bytes) -> str | None:
    """Fingerprint of a file's text as `read_text` decodes it (a UTF-8 BOM is not part of the text)."""
    try:
        return fingerprint(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def backup_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")


def lock_path(path: str | Path) -> Path:
    """The lock file beside `path` (kept: deleting it would let two savers lock different files)."""
    p = Path(path)
    return p.with_name(f".{p.name}.lock")


def target_path(path: str | Path) -> Path:
    """Where a save to `path` writes: the file itself, or the end of its chain of symbolic links."""
    return Path(os.path.realpath(path))


def _open_lock(lock: Path, shown: Path) -> int:
    """The lock file, opened read-only (an `flock` needs no write access, so a lock file another user left
    still works), created when missing, never through a symbolic link, and only when it is a regular file."""
    flags = os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock, flags | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            why = "it is a symbolic link; delete it (it holds nothing)"
        elif exc.errno == errno.EACCES and lock.exists():
            why = "it belongs to another user and cannot be read (left by a save run as root?); delete it"
        else:
            why = _why(exc)
        raise SaveError(
            f"cannot save {shown}: cannot open the lock file {lock.name} ({why}); nothing was written"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SaveError(
            f"cannot save {shown}: the lock file {lock.name} is not a regular file; delete it. Nothing was written"
        )
    return fd


@contextlib.contextmanager
def file_lock(path: Path, timeout_seconds: float | None = None, shown: Path | None = None):
    """Hold an exclusive `flock` on the lock file beside `path` (between threads and processes alike)."""
    shown = shown or path
    fd = _open_lock(lock_path(path), shown)
    try:
        deadline = time.monotonic() + (LOCK_TIMEOUT_SECONDS if timeout_seconds is None else timeout_seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise SaveError(f"cannot lock {shown} ({_why(exc)}); nothing was written") from None
                if time.monotonic() >= deadline:
                    raise ConflictError(
                        f"{shown} is being saved by someone else right now: reload it, then save again"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # releases the lock


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _is_default_catalog(p: Path) -> bool:
    default = Path(loader.DEFAULT_CATALOG_PATH)
    try:
        return p.exists() and default.exists() and os.path.samefile(p, default)
    except OSError:
        return p == target_path(default)


def _check_loads_back(loaded: LoadedCatalog, p: Path, shown: Path) -> None:
    """Refuse a text that, once written to `p`, would not load back as the catalog just validated."""
    if loaded.is_override and _is_default_catalog(p):
        raise SaveError(
            f"{shown} is the default catalog that override files extend: saved there, this override "
            "(`extends: default`) would extend itself and no catalog could be loaded. Nothing was written. "
            "Save the override to its own file (start the app with PLANNER_CATALOG=that-file), or save a "
            "full catalog here (without `extends:`)."
        )


def _refuse_read_only(p: Path, shown: Path) -> None:
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        return
    if not mode & 0o222 or not os.access(p, os.W_OK):
        raise SaveError(
            f"{shown} is read-only, so it was not overwritten (nothing was written). "
            "Make it writable (chmod u+w) to save here, or download the catalog instead."
        )


@dataclass(frozen=True)
class SavedCatalog(LoadedCatalog):
    """What a save did: the catalog as written, and where its previous version is kept."""

    #: The previous version this save kept (`<real file>.bak`); None for a new file or when nothing was written.
    backup: Path | None = None
    #: False when the file already held this text (nothing was written; an older `.bak` stays as it was).
    written: bool = True


def save_catalog(
    text: str,
    path: str | Path,
    expected_sha256: str | None,
    *,
    shown_as: str | None = None,
    lock_timeout_seconds: float | None = None,
) -> SavedCatalog:
    """Validate `text` and write it to `path` (through a symbolic link, to the link's target).

    `shown_as` names the file in messages and problems (the app shows visitors the file's name,
    not the server's absolute path); default: `path` as given. `lock_timeout_seconds`: how long to
    wait for another save of the file (default `LOCK_TIMEOUT_SECONDS`).

    `expected_sha256` is the fingerprint of the file as it was when loaded
    (`LoadedCatalog.sha256`); `None` means the file must not exist yet.
    Raises `InputError` (invalid text), `ConflictError` (the file changed, or
    another save holds it) or `SaveError` (refused or failed); in every case
    nothing was written. The file keeps its byte-order mark and line endings (CRLF).
    """
    p = target_path(path)
    shown = Path(shown_as) if shown_as is not None else Path(path)
    loaded = parse_catalog(text, str(shown))  # raises InputError before touching the disk
    _check_loads_back(loaded, p, shown)
    with file_lock(p, lock_timeout_seconds, shown=shown):
        _refuse_read_only(p, shown)
        current = _current_bytes(p, shown)
        if current is None and expected_sha256 is not None:
            raise ConflictError(f"{shown} was deleted since it was loaded: reload it before saving")
        if current is not None and _text_fingerprint(current) != expected_sha256:
            raise ConflictError(
                f"{shown} changed on disk since it was loaded (someone else saved in between): "
                "reload it, apply your edits again, then save"
            )
        data = _encoded_like(text, current)
        if current is not None and _text_fingerprint(current) == _text_fingerprint(data):
            return SavedCatalog(loaded.catalog, text, str(path), fingerprint(text), loaded.is_override, None, False)
        try:
            _write(p, data, current)
        except OSError as exc:
            raise SaveError(f"could not write {shown}: {_why(exc)}; the file was not changed") from None
    written = data.decode("utf-8-sig")
    backup = backup_path(p) if current is not None else None
    return SavedCatalog(loaded.catalog, written, str(path), fingerprint(written), loaded.is_override, backup)


def _current_bytes(p: Path, shown: Path) -> bytes | None:
    """The file's bytes now (None when it does not exist); a FIFO, device or folder there is refused."""
    if not p.exists():
        return None
    try:
        return read_regular_file(p, 64 * MAX_BYTES)
    except InputError as exc:
        why = exc.problems[0].message if exc.problems else "cannot be read"
        raise SaveError(f"cannot save {shown}: {why}; nothing was written") from None


def _encoded_like(text: str, current: bytes | None) -> bytes:
    """`text` as UTF-8, kept as given but for two things it inherits from the file it replaces: its byte-order
    mark, and its line ends where the text mixes CRLF and LF (as a text edited line by line, e.g. by
    `prices sync --write`, does): all CRLF when the file used CRLF, else all LF."""
    crlf, lines = text.count("\r\n"), text.count("\n")
    if current is not None and 0 < crlf < lines:
        text = text.replace("\r\n", "\n")
        if current.count(b"\r\n") * 2 > current.count(b"\n"):
            text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if current is not None and current.startswith(codecs.BOM_UTF8) and not data.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    return data


def _atomic_write(p: Path, data: bytes, mode: int) -> None:
    """Write `data` to `p` through a temporary file in the same folder and `os.replace`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write(p: Path, data: bytes, current: bytes | None) -> None:
    if current is not None:
        mode = stat.S_IMODE(os.stat(p).st_mode)
        _atomic_write(backup_path(p), current, mode)  # the .bak is never half-written either
    else:  # a new file gets the usual permissions, not mkstemp's private 0600
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    _atomic_write(p, data, mode)
    try:
        dir_fd = os.open(p.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
