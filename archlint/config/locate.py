"""Line numbers for a TOML document: tomllib parses without positions, so we scan it again.

:class:`Locator` maps key paths to the line where they are written. A path is a tuple of
keys and array indices, as in ``("tool", "archlint", "contracts", 1, "ignore_imports", 0)``:

* a table header records its path (``[tool.archlint.components]``); the Nth
  ``[[tool.archlint.contracts]]`` header records ``(..., "contracts", N)``;
* a key records the full path it defines, including each part of a dotted key
  (``python.roots = [...]`` records ``("python",)`` and ``("python", "roots")``) and keys of
  inline tables;
* each element of an array records its index, on the line where the element starts.

The scanner trusts that the text already parsed as TOML; on anything it does not understand it
stops and keeps what it found. Looking up a path never raises: unknown paths give ``None``.
"""

from __future__ import annotations

import re

Path_ = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_ESCAPE = re.compile(r'\\(.)')


class _ScanError(Exception):
    """The text is not what the scanner expects; stop scanning."""


class _Scanner:
    def __init__(self, text: str, out: dict[Path_, int]) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.out = out
        self.table: Path_ = ()
        self.arrays: dict[tuple[str, ...], int] = {}  # [[x]] header keys -> times seen

    # -- low level ------------------------------------------------------------------------
    def _at(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def _advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def _expect(self, token: str) -> None:
        if not self._at(token):
            raise _ScanError(f"expected {token!r} at line {self.line}")
        self._advance_to(self.pos + len(token))

    def _skip(self, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance_to(self.pos + 1)
            elif char == "#":
                end = text.find("\n", self.pos)
                self._advance_to(len(text) if end == -1 else end)
            else:
                return

    def _record(self, path: Path_, line: int) -> None:
        self.out.setdefault(path, line)

    # -- document -------------------------------------------------------------------------
    def run(self) -> None:
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.text):
                return
            line = self.line
            if self._at("[["):
                self._advance_to(self.pos + 2)
                raw = tuple(self._keys())
                self._skip(newlines=False)
                self._expect("]]")
                base = self._resolve(raw[:-1]) + (raw[-1],)
                index = self.arrays.get(raw, 0)
                self.arrays[raw] = index + 1
                self._record(base, line)
                self.table = base + (index,)
                self._record(self.table, line)
            elif self._at("["):
                self._advance_to(self.pos + 1)
                raw = tuple(self._keys())
                self._skip(newlines=False)
                self._expect("]")
                self.table = self._resolve(raw)
                self._record(self.table, line)
            else:
                self._key_value(self.table)

    def _resolve(self, raw: tuple[str, ...]) -> Path_:
        """A header's keys as a path: through an array of tables, into its last element.

        Tables a header defines implicitly (``tool`` in ``[tool.archlint]``) get its line
        unless they are written somewhere before.
        """
        out: Path_ = ()
        for n, key in enumerate(raw):
            out += (key,)
            self._record(out, self.line)
            count = self.arrays.get(raw[: n + 1])
            if count:
                out += (count - 1,)
        return out

    def _keys(self) -> list[str]:
        keys: list[str] = []
        while True:
            self._skip(newlines=False)
            if self._at('"'):
                keys.append(self._basic_string())
            elif self._at("'"):
                end = self.text.find("'", self.pos + 1)
                if end == -1:
                    raise _ScanError("unclosed literal key")
                keys.append(self.text[self.pos + 1 : end])
                self._advance_to(end + 1)
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise _ScanError(f"expected a key at line {self.line}")
                keys.append(match.group())
                self._advance_to(match.end())
            self._skip(newlines=False)
            if not self._at("."):
                return keys
            self._advance_to(self.pos + 1)

    def _key_value(self, table: Path_) -> None:
        line = self.line
        path = table
        for key in self._keys():
            path += (key,)
            self._record(path, line)
        self._skip(newlines=False)
        self._expect("=")
        self._skip(newlines=False)
        self._value(path)

    # -- values ---------------------------------------------------------------------------
    def _basic_string(self) -> str:
        text = self.text
        i = self.pos + 1
        while i < len(text) and text[i] != '"':
            if text[i] == "\n":
                raise _ScanError("newline in a basic string")
            i += 2 if text[i] == "\\" else 1
        if i >= len(text):
            raise _ScanError("unclosed string")
        value = _BASIC_ESCAPE.sub(lambda m: m.group(1), text[self.pos + 1 : i])
        self._advance_to(i + 1)
        return value

    def _multiline_string(self, quote: str) -> None:
        text = self.text
        delimiter = quote * 3
        i = self.pos + 3
        while True:
            if i >= len(text):
                raise _ScanError("unclosed multi-line string")
            if quote == '"' and text[i] == "\\":
                i += 2
            elif text.startswith(delimiter, i):
                i += 3
                while i < len(text) and text[i] == quote:  # up to two quotes before the end
                    i += 1
                break
            else:
                i += 1
        self._advance_to(i)

    def _value(self, path: Path_) -> None:
        text = self.text
        if self._at('"""') or self._at("'''"):
            self._multiline_string(text[self.pos])
        elif self._at('"'):
            self._basic_string()
        elif self._at("'"):
            end = text.find("'", self.pos + 1)
            if end == -1:
                raise _ScanError("unclosed literal string")
            self._advance_to(end + 1)
        elif self._at("["):
            self._array(path)
        elif self._at("{"):
            self._inline_table(path)
        else:
            start = self.pos
            while self.pos < len(text) and text[self.pos] not in ",]}\n#":
                self.pos += 1
            if self.pos == start:
                raise _ScanError(f"expected a value at line {self.line}")

    def _array(self, path: Path_) -> None:
        self._expect("[")
        index = 0
        while True:
            self._skip(newlines=True)
            if self._at("]"):
                self._advance_to(self.pos + 1)
                return
            self._record(path + (index,), self.line)
            self._value(path + (index,))
            index += 1
            self._skip(newlines=True)
            if self._at(","):
                self._advance_to(self.pos + 1)
            elif not self._at("]"):
                raise _ScanError(f"expected ',' or ']' at line {self.line}")

    def _inline_table(self, path: Path_) -> None:
        self._expect("{")
        while True:
            self._skip(newlines=True)
            if self._at("}"):
                self._advance_to(self.pos + 1)
                return
            self._key_value(path)
            self._skip(newlines=True)
            if self._at(","):
                self._advance_to(self.pos + 1)
            elif not self._at("}"):
                raise _ScanError(f"expected ',' or '}}' at line {self.line}")


class Locator:
    """Where keys, tables and array elements of one TOML document are written.

    ``prefix`` is prepended to every looked-up path: ``("tool", "archlint")`` for a
    ``pyproject.toml``, ``()`` for an ``archlint.toml``.
    """

    def __init__(self, text: str, prefix: tuple[str, ...] = ()) -> None:
        self.prefix: tuple[str, ...] = prefix
        self._lines: dict[Path_, int] = {}
        try:
            _Scanner(text, self._lines).run()
        except (_ScanError, IndexError, ValueError, RecursionError):
            pass  # best effort: keep the lines found so far

    def line(self, *path: str | int) -> int | None:
        """The line of exactly this path (below the prefix), or None."""
        return self._lines.get(self.prefix + path)

    def near(self, *path: str | int) -> int | None:
        """The line of this path, else of its closest enclosing key or table, else None."""
        full: Path_ = self.prefix + path
        while full:
            if full in self._lines:
                return self._lines[full]
            full = full[:-1]
        return None
