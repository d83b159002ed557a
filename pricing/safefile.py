"""Files from and to paths a user names: read bounded, write only regular files. Pure (no streamlit).

* `read_regular_file(path, max_bytes)` — the bytes of a regular file, at most `max_bytes` of them. A FIFO,
  a device (`/dev/zero`), a socket or a folder is refused with a located `InputError` before anything is
  read, so reading never hangs (a FIFO is opened without waiting for a writer) and never reads without
  end. Symbolic links are followed (what matters is what is read).
* `write_regular_file(path, data)` — write `data` to `path` when `path` is a writable regular file or does not
  exist yet, atomically (a temporary file in the same folder, fsync, `os.replace`). A symbolic link, a FIFO, a
  device (`/dev/null`), a socket or a folder at `path` is refused with a `WriteRefused` sentence and left as
  it was: replacing it would damage something the user never asked to write (as root, `--out /dev/null`
  would replace the machine's `/dev/null` with a file).

The CLI, the traffic import, the catalog loader and the catalog store read and write through these.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from pricing.errors import InputError, Problem
from pricing.safeyaml import CATALOG_SIZE_NOTE, too_big

#: Read in pieces of this size (a file that grows while read still stops at the bound).
_CHUNK = 1 << 16


class WriteRefused(OSError):
    """A path the CLI will not write: not a regular file, or a folder that does not exist. Its text is a sentence."""


def kind_of(mode: int) -> str:
    """What a file of this `st_mode` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _refuse(path: str, message: str) -> InputError:
    return InputError([Problem(path, 1, 1, "", message)])


def read_regular_file(path: str | Path, max_bytes: int, size_note: str = CATALOG_SIZE_NOTE) -> bytes:
    """The bytes of the regular file at `path` (at most `max_bytes`), or a located `InputError` saying why not:
    missing, a folder, a FIFO, a device, unreadable, or above the bound (`size_note` ends that sentence). Never
    blocks on a FIFO."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _refuse(name, "no such file: check the path") from None
    except IsADirectoryError:
        raise _refuse(name, "this is a folder, not a regular file: give the path of a file") from None
    except PermissionError:
        raise _refuse(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise _refuse(name, f"cannot be opened ({(exc.strerror or str(exc)).lower()})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _refuse(name, "this is a folder, not a regular file: give the path of a file")
        if not stat.S_ISREG(mode):
            raise _refuse(name, f"this is {kind_of(mode)}, not a regular file: give the path of a file")
        size = os.fstat(fd).st_size
        if size > max_bytes:  # refused before reading it
            raise InputError([too_big(name, size, max_bytes, size_note)])
        chunks, total = [], 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            except OSError as exc:
                raise _refuse(name, f"cannot be read ({(exc.strerror or str(exc)).lower()})") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise InputError([too_big(name, total, max_bytes, size_note)])
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_writable_path(path: str | Path) -> None:
    """Raise `WriteRefused` unless `path` is a regular file (not a link) or does not exist in an existing folder."""
    p = Path(path)
    try:
        mode = os.lstat(p).st_mode
    except FileNotFoundError:
        if not p.parent.is_dir():
            raise WriteRefused(f"{p}: the folder {p.parent} does not exist; nothing was written") from None
        return
    if stat.S_ISLNK(mode):
        raise WriteRefused(
            f"{p} is a symbolic link: it was left as it is and nothing was written. Give the path of a regular "
            "file (or of a new one)."
        )
    if not stat.S_ISREG(mode):
        raise WriteRefused(
            f"{p} is {kind_of(mode)}, not a regular file: it was left as it is and nothing was written. Give the "
            "path of a regular file (or of a new one)."
        )
    if not mode & 0o222 or not os.access(p, os.W_OK):  # root may write anything: the mode still says no
        raise WriteRefused(f"{p} is read-only, so it was not replaced (nothing was written); make it writable first")


def write_regular_file(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` atomically, only where `path` is a regular file or new (see the module's text).
    Raises `WriteRefused` (a sentence) or `OSError`; in every case `path` is whole (old or new)."""
    p = Path(path)
    check_writable_path(p)
    try:
        mode = stat.S_IMODE(os.stat(p).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        check_writable_path(p)  # again, just before the replace: what is there now is what gets replaced
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
