"""Errors a user can act on. The CLI prints them in one line and exits 2, never a traceback."""

from __future__ import annotations


class ArchlintError(Exception):
    """A problem with the user's input: options, paths or configuration."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.message


class ConfigError(ArchlintError):
    """The configuration is invalid: unknown key, wrong type, unknown component, bad glob."""


class UsageError(ArchlintError):
    """The command line asks for something impossible: a missing path, a bad option value."""
