"""Save a catalog without losing anything.

A save

* validates first (an invalid catalog is never written) and refuses a text the
  app could not load back as that same file: an override (`extends: default`)
  saved over the default catalog itself would extend itself;
* holds an exclusive lock (`flock` on `.<file>.lock` beside the file, which also
  holds between processes) from the conflict check to the replace, so of two
  saves made at the same instant exactly one wins and the other is told;
* refuses to overwrite a file that changed on disk since it was loaded, and a
  file that is read-only (no write permission bit, or not writable by us);
* writes through a symbolic link (the link stays, its target gets the new text);
* keeps the previous version as `<file>.bak` and replaces the file atomically
  (temporary file in the same folder, fsync, `os.replace`), so a crash leaves
  either the old or the new file, never half of one.

Every refusal and failure is a `ConflictError` (someone else's save) or a
`SaveError` (anything else), each a sentence; nothing is half-written.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from pathlib import Path

from pricing import loader
from pricing.errors import ConflictError, SaveError
from pricing.loader import LoadedCatalog, fingerprint, parse_catalog

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


@contextlib.contextmanager
def file_lock(path: Path, timeout_seconds: float | None = None, shown: Path | None = None):
    """Hold an exclusive `flock` on the lock file beside `path` (between threads and processes alike)."""
    lock = lock_path(path)
    shown = shown or path
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise SaveError(
            f"cannot save {shown}: cannot create the lock file {lock.name} ({_why(exc)}); nothing was written"
        ) from None
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


def save_catalog(
    text: str, path: str | Path, expected_sha256: str | None, *, shown_as: str | None = None
) -> LoadedCatalog:
    """Validate `text` and write it to `path` (through a symbolic link, to the link's target).

    `shown_as` names the file in messages and problems (the app shows visitors the file's name,
    not the server's absolute path); default: `path` as given.

    `expected_sha256` is the fingerprint of the file as it was when loaded
    (`LoadedCatalog.sha256`); `None` means the file must not exist yet.
    Raises `InputError` (invalid text), `ConflictError` (the file changed, or
    another save holds it) or `SaveError` (refused or failed); in every case
    nothing was written.
    """
    p = target_path(path)
    shown = Path(shown_as) if shown_as is not None else Path(path)
    loaded = parse_catalog(text, str(shown))  # raises InputError before touching the disk
    _check_loads_back(loaded, p, shown)
    with file_lock(p, shown=shown):
        _refuse_read_only(p, shown)
        current = p.read_bytes() if p.exists() else None
        if current is None and expected_sha256 is not None:
            raise ConflictError(f"{shown} was deleted since it was loaded: reload it before saving")
        if current is not None and _text_fingerprint(current) != expected_sha256:
            raise ConflictError(
                f"{shown} changed on disk since it was loaded (someone else saved in between): "
                "reload it, apply your edits again, then save"
            )
        try:
            _write(p, text.encode("utf-8"), current)
        except OSError as exc:
            raise SaveError(f"could not write {shown}: {_why(exc)}; the file was not changed") from None
    return LoadedCatalog(loaded.catalog, text, str(path), fingerprint(text), loaded.is_override)


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
