"""Errors a user can cause, each carrying its place in the file and a sentence a person understands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    path: str  # dotted field path, "" when the problem is about the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(Exception):
    """A file or text failed to parse or validate. `problems` lists every place."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConflictError(Exception):
    """The file changed on disk since it was loaded: saving would overwrite someone's work."""


class SaveError(Exception):
    """A save was refused or failed (read-only file, unwritable folder, disk full, ...): nothing was written."""


class UnknownEntryError(Exception):
    """A scenario names a catalog entry that does not exist."""
