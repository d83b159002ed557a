"""Who may write the catalog file: the read-only mode of a shared server. Pure (no streamlit).

A server that only this machine can reach (`--server.address 127.0.0.1`, `localhost` or `::1`;
`make run` binds there) may save the catalog file. A server other machines can reach (Streamlit
listens on every interface unless told otherwise) is read-only: each visitor's edits apply to
their own session and download, and *Save* is off with the reason shown. The environment
variable `PLANNER_READ_ONLY` decides instead when set: `1` (or `true`, `yes`, `on`) read-only,
`0` (or `false`, `no`, `off`) writable wherever the server listens (for the one writer of a team,
behind their own access control).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ENV = "PLANNER_READ_ONLY"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class WriteAccess:
    allowed: bool
    reason: str  # why saving is off (shown beside the disabled button); "" when allowed


def write_access(env: Mapping[str, str], server_address: str | None) -> WriteAccess:
    """Whether this server may save the catalog file, from `PLANNER_READ_ONLY` and the listening address."""
    flag = (env.get(ENV) or "").strip().lower()
    if flag in _YES:
        return WriteAccess(False, f"This server is read-only ({ENV}={env.get(ENV, '').strip()}).")
    if flag in _NO:
        return WriteAccess(True, "")
    address = (server_address or "").strip().lower()
    if address in LOOPBACK or address.startswith("127."):
        return WriteAccess(True, "")
    where = f"listens on {address}" if address else "listens on every network interface"
    return WriteAccess(
        False,
        f"This server {where}, so it is read-only: anyone who can reach it could otherwise overwrite "
        f"the shared catalog. Start it with --server.address 127.0.0.1 (as `make run` does) or set {ENV}=0 "
        "to allow saving.",
    )
