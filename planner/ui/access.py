"""Who may write the catalog file: the read-only mode of a server. Pure (no streamlit).

Saving is off unless the operator opts in: `PLANNER_WRITABLE=1` (`make run` sets it, with
`--server.address 127.0.0.1`). The app cannot prove who is behind a request — a reverse proxy on
the same machine makes every visitor look local — so the bind address alone never turns saving on.
`PLANNER_READ_ONLY=1` turns it off whatever else says (and the older `PLANNER_READ_ONLY=0` still
counts as the opt-in). A flag with any other value than `1/true/yes/on` or `0/false/no/off` is a
`FlagError`: the app refuses to start and says which variable to fix, rather than guess.

Even when writing is on, each save must come from a request whose `Host` (and `Origin`, when the
browser sends one) names this machine: a loopback name (`localhost`, `127.0.0.1`, `::1`, any
address `ipaddress` calls loopback), the address the server was told to listen on, or a name listed
in `PLANNER_HOSTS`. A page served from another name and re-pointed at 127.0.0.1 by DNS (a
rebinding attack) sends its own name, so its Save is refused and the user is told why. A request a
reverse proxy relayed (it carries `Forwarded`, `X-Forwarded-For`, `X-Forwarded-Host` or `X-Real-IP`)
may save only under a name listed in `PLANNER_HOSTS`: through a proxy that sends `Host: 127.0.0.1`,
every visitor would otherwise look local.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

ENV_WRITABLE = "PLANNER_WRITABLE"
ENV_READ_ONLY = "PLANNER_READ_ONLY"
ENV_HOSTS = "PLANNER_HOSTS"
#: Kept for callers that named the read-only variable `ENV`.
ENV = ENV_READ_ONLY
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}
_WILDCARD = {"", "0.0.0.0", "::", "[::]"}
#: Headers a reverse proxy adds: a request with one came through a proxy, whatever its Host says.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")


class FlagError(ValueError):
    """An environment flag with a value that is neither yes nor no: the app does not start."""


@dataclass(frozen=True)
class WriteAccess:
    allowed: bool
    reason: str  # why saving is off (shown beside the disabled button); "" when allowed


def flag(env: Mapping[str, str], name: str) -> bool | None:
    """The yes/no value of the environment variable `name`: None when unset or empty. Raises `FlagError`."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return None
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise FlagError(
        f"{name}={raw.strip()[:40]!r} is not a yes/no value: set it to 1 (or true, yes, on) or 0 (or false, no, off), "
        "or unset it. The app does not start on a value it would have to guess."
    )


def check_environment(env: Mapping[str, str]) -> None:
    """Raise `FlagError` when a flag of this module has a value that is neither yes nor no."""
    flag(env, ENV_WRITABLE)
    flag(env, ENV_READ_ONLY)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or address, without port or brackets) is this machine's loopback, exactly:
    `localhost` or an address `ipaddress` calls loopback (127.0.0.0/8, ::1) — `127.evil.example` is not."""
    h = host.strip().lower().rstrip(".")
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a `Host` header (`name:port`, `[::1]:8501`, `name`), lower case, without port or brackets."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1 : h.find("]")] if "]" in h else h[1:]
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


def trusted_hosts(env: Mapping[str, str], server_address: str | None) -> set[str]:
    """Names a saving request may use besides loopback: the configured address and `PLANNER_HOSTS`."""
    names = {host_name(n) for n in (env.get(ENV_HOSTS) or "").split(",") if n.strip()}
    address = host_name(server_address or "")
    if address not in _WILDCARD:
        names.add(address)
    return names


def request_refusal(headers: Mapping[str, str], env: Mapping[str, str], server_address: str | None) -> str:
    """Why a save from a request with these headers is refused ("" when its Host and Origin name this machine)."""
    trusted = trusted_hosts(env, server_address)

    def ok(name: str) -> bool:
        return bool(name) and (is_loopback(name) or name in trusted)

    lower = {k.lower(): v for k, v in headers.items()}
    host, origin = lower.get("host", ""), lower.get("origin", "")
    name = host_name(host)
    relayed = sorted(h for h in FORWARDING_HEADERS if h in lower)
    listed = {host_name(n) for n in (env.get(ENV_HOSTS) or "").split(",") if n.strip()}
    if relayed and name not in listed:  # a proxy on this machine: its visitors only look local
        return (
            f"Saving is off for this page: it came through a proxy (the request carries {', '.join(relayed)}), so "
            "it may come from anyone the proxy serves. To let the team's one writer save behind the proxy's own "
            f"authentication, list the name the proxy passes as Host in {ENV_HOSTS}."
        )
    if not ok(name):
        seen = f"as {host.strip()[:80]!r}" if host.strip() else "without a Host header"
        return (
            f"Saving is off for this page: it was opened {seen}, not as localhost or 127.0.0.1. A page under "
            "another name pointed at this machine (DNS rebinding) could otherwise overwrite the catalog. Open the "
            f"app at http://localhost:PORT/ to save, or list the name in {ENV_HOSTS} when it is yours."
        )
    if origin and origin.strip().lower() != "null":
        origin_name = host_name(urlsplit(origin.strip()).netloc)
        if not ok(origin_name):
            return (
                f"Saving is off for this page: the request came from a page of {origin.strip()[:80]!r}, not from "
                "this app on localhost."
            )
    return ""


def write_access(
    env: Mapping[str, str], server_address: str | None, headers: Mapping[str, str] | None = None
) -> WriteAccess:
    """Whether a save may write the catalog file: the operator's opt-in (`PLANNER_WRITABLE=1`), no
    `PLANNER_READ_ONLY=1`, and (when `headers` are given: the request's) a Host that names this machine.
    Raises `FlagError` on a flag value that is neither yes nor no."""
    writable, read_only = flag(env, ENV_WRITABLE), flag(env, ENV_READ_ONLY)
    if read_only:
        return WriteAccess(False, f"This server is read-only ({ENV_READ_ONLY}={env.get(ENV_READ_ONLY, '').strip()}).")
    if not (writable or read_only is False):
        return WriteAccess(
            False,
            "This server is read-only: saving the catalog file is off unless the server is started with "
            f"{ENV_WRITABLE}=1 (as `make run` does), because the app cannot tell whether other people reach it "
            "(through a proxy every visitor looks local).",
        )
    if headers is not None:
        refusal = request_refusal(headers, env, server_address)
        if refusal:
            return WriteAccess(False, refusal)
    return WriteAccess(True, "")
