"""SQL text before parsing: decoding, blanking, dialect markers, offsets -> positions,
and the builder that collects one file's records (shared by both parsers)."""

from __future__ import annotations

import bisect
import re

from archlint.facts import ParseProblem
from archlint.schema import (
    AddedColumn,
    Column,
    Drop,
    ForeignKey,
    Index,
    SchemaFacts,
    Table,
)

_BOM8 = b"\xef\xbb\xbf"
_BOM16 = (b"\xff\xfe", b"\xfe\xff")

_TEMPLATE = re.compile(r"\{\{|\{%")
_META_COMMAND = re.compile(r"(?m)^[ \t]*\\[^\n]*")
# pg_dump's data: COPY … FROM stdin; then rows up to a line "\.".
_COPY_DATA = re.compile(r"(?im)^[ \t]*copy\b[^;]*?\bfrom\s+stdin\b[^;]*;[^\n]*\n(.*?)^\\\.[ \t]*$", re.DOTALL)
_GO_LINE = re.compile(r"(?im)^[ \t]*go[ \t]*$")

# Dialect markers, strongest first. Checked on the text with comments still in: a false
# positive only changes which parser is tried first.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mysql", re.compile(
        r"`|\bauto_increment\b|\bengine\s*=|\bunsigned\b|\b(?:tiny|medium|long)(?:blob|text)\b"
        r"|\bdefault\s+charset\b|\bmodify\s+column\b|^\s*delimiter\b", re.IGNORECASE | re.MULTILINE)),
    ("sqlite", re.compile(r"\bautoincrement\b|\bpragma\b|\bwithout\s+rowid\b", re.IGNORECASE)),
    ("tsql", re.compile(r"\[dbo\]|\bidentity\s*\(\s*\d+\s*,\s*\d+\s*\)|\bnvarchar\b"
                        r"|^\s*go\s*$", re.IGNORECASE | re.MULTILINE)),
    ("oracle", re.compile(r"\bvarchar2\b|\bnumber\s*\(", re.IGNORECASE)),
)  # fmt: skip


_TEMPLATED = "templated SQL"


def _decode(data: bytes) -> tuple[str, ParseProblem | None]:
    if data.startswith(_BOM16):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            return "", ParseProblem(f"file cannot be decoded as UTF-16: {error.reason}")
    if b"\0" in data:
        return "", ParseProblem("binary file (contains NUL bytes)")
    data = data.removeprefix(_BOM8)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def _blank(match: re.Match[str]) -> str:
    """Spaces for the match, newlines kept: every offset after it stays the same."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_rows(match: re.Match[str]) -> str:
    """A COPY statement with its rows blanked."""
    start = match.start(1) - match.start(0)
    return match.group(0)[:start] + _blank(match)[start:]


class _Lines:
    """Offsets -> 1-based (line, column in characters). sqlglot and pglast's scanner and
    errors count characters; pglast's parse tree counts bytes of the UTF-8 text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.ascii = text.isascii()
        if not self.ascii:
            self.raw = text.encode("utf-8")
            self.byte_starts = [0] + [m.end() for m in re.finditer(b"\n", self.raw)]

    def at(self, offset: int) -> tuple[int, int]:
        """(line, column) of a character offset."""
        offset = max(offset, 0)
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def at_byte(self, offset: int) -> tuple[int, int]:
        """(line, column) of a byte offset."""
        if self.ascii:
            return self.at(offset)
        offset = max(offset, 0)
        index = bisect.bisect_right(self.byte_starts, offset) - 1
        prefix = self.raw[self.byte_starts[index] : offset].decode("utf-8", "replace")
        return index + 1, len(prefix) + 1

    def char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        line, column = self.at_byte(byte_offset)
        return self.starts[line - 1] + column - 1

    def byte(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        line, _ = self.at(char_offset)
        start = self.starts[line - 1]
        return self.byte_starts[line - 1] + len(self.text[start:char_offset].encode("utf-8"))


def _skip_space_and_comments(text: str, offset: int) -> int:
    """The offset of the first token at or after ``offset``."""
    end = len(text)
    while offset < end:
        char = text[offset]
        if char.isspace():
            offset += 1
        elif text.startswith("--", offset):
            newline = text.find("\n", offset)
            offset = end if newline < 0 else newline + 1
        elif text.startswith("/*", offset):
            close = text.find("*/", offset + 2)
            offset = end if close < 0 else close + 2
        else:
            break
    return offset


# Substrings one of which a marker needs (lower case): most files need no regex search.
_MARKER_HINTS = {
    "mysql": ("`", "auto_increment", "engine", "unsigned", "blob", "tinytext", "mediumtext",
              "longtext", "charset", "modify", "delimiter"),
    "sqlite": ("autoincrement", "pragma", "rowid"),
    "tsql": ("[dbo]", "identity", "nvarchar", "go"),
    "oracle": ("varchar2", "number"),
}  # fmt: skip


def _guess_dialect(text: str) -> str | None:
    lower = text.lower()
    for name, marker in _MARKERS:
        if any(hint in lower for hint in _MARKER_HINTS[name]) and marker.search(text):
            return name
    return None


class _Builder:
    """Collects the records of one file."""

    def __init__(self, text: str, lines: _Lines) -> None:
        self.text = text
        self.lines = lines
        self.tables: list[Table] = []
        self.indexes: list[Index] = []
        self.added: list[AddedColumn] = []
        self.foreign_keys: list[ForeignKey] = []
        self.drops: list[Drop] = []

    def at(self, offset: int | None, fallback: int = 0) -> tuple[int, int]:
        return self.lines.at(offset if offset is not None and offset >= 0 else fallback)

    def facts(self, dialect: str, problem: ParseProblem | None = None) -> SchemaFacts:
        return SchemaFacts(
            tables=tuple(self.tables),
            indexes=tuple(self.indexes),
            added_columns=tuple(self.added),
            foreign_keys=tuple(self.foreign_keys),
            drops=tuple(self.drops),
            problem=problem,
            dialect=dialect,
        )


def _apply_keys(
    columns: list[Column], primary_key: tuple[str, ...], foreign_keys: list[ForeignKey]
) -> list[Column]:
    """Table constraints marked on their columns: primary key, single-column references."""
    keyed = set(primary_key)
    references = {
        k.columns[0]: (k.ref_table, k.ref_columns[0] if k.ref_columns else "")
        for k in foreign_keys
        if len(k.columns) == 1
    }
    result = []
    for column in columns:
        if column.name in keyed and not column.primary_key:
            column = column._replace(primary_key=True, nullable=False)
        if column.references is None and column.name in references:
            column = column._replace(references=references[column.name])
        result.append(column)
    return result
