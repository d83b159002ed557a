"""Save a catalog without losing anything.

A save validates first (an invalid catalog is never written), refuses to
overwrite a file that changed on disk since it was loaded, keeps the previous
version as `<file>.bak`, and replaces the file atomically (temporary file in
the same folder, fsync, `os.replace`), so a crash leaves either the old or the
new file, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pricing.errors import ConflictError
from pricing.loader import LoadedCatalog, fingerprint, parse_catalog


def _text_fingerprint(raw: bytes) -> str | None:
    """Fingerprint of a file's text as `read_text` decodes it (a UTF-8 BOM is not part of the text)."""
    try:
        return fingerprint(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def backup_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")


def save_catalog(text: str, path: str | Path, expected_sha256: str | None) -> LoadedCatalog:
    """Validate `text` and write it to `path`.

    `expected_sha256` is the fingerprint of the file as it was when loaded
    (`LoadedCatalog.sha256`); `None` means the file must not exist yet.
    Raises `InputError` (invalid text, nothing written) or `ConflictError`.
    """
    p = Path(path)
    loaded = parse_catalog(text, str(p))  # raises InputError before touching the disk
    current = p.read_bytes() if p.exists() else None
    if current is None and expected_sha256 is not None:
        raise ConflictError(f"{p} was deleted since it was loaded: reload it before saving")
    if current is not None and _text_fingerprint(current) != expected_sha256:
        raise ConflictError(
            f"{p} changed on disk since it was loaded (someone else saved in between): "
            "reload it, apply your edits again, then save"
        )
    directory = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if current is not None:
            shutil.copy2(p, backup_path(p))
            os.chmod(tmp, os.stat(p).st_mode & 0o777)
        else:  # a new file gets the usual permissions, not mkstemp's private 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    return LoadedCatalog(loaded.catalog, text, str(p), fingerprint(text), loaded.is_override)
