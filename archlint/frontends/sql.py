"""The SQL frontend: :class:`~archlint.schema.SchemaFacts` from the bytes of a ``*.sql`` file.

Real parsers only. PostgreSQL files are read by pglast, which is PostgreSQL's own parser
(libpg_query) compiled into a wheel; other dialects by sqlglot. Which one reads a file:

* ``dialect="postgres"`` (or "postgresql"): pglast alone. Any other ``dialect``: sqlglot
  in that dialect alone.
* No dialect (the default): the file's own markers decide what is tried first. Backticks,
  ``AUTO_INCREMENT``, ``ENGINE=``, ``UNSIGNED`` … say MySQL; ``AUTOINCREMENT``, ``PRAGMA``,
  ``WITHOUT ROWID`` say SQLite; ``[dbo]``, ``IDENTITY(1,1)``, ``NVARCHAR``, ``GO`` lines say
  T-SQL; ``VARCHAR2``, ``NUMBER(`` say Oracle. A marked file is read by sqlglot in that
  dialect, then by pglast if sqlglot fails. An unmarked file is PostgreSQL, read by pglast
  only: sqlglot's generic dialect accepts too much (``a int,, b int``) to tell a typo from
  another dialect, and the typo is what a user wants to hear about.

A file that does not parse as a whole is read statement by statement (split by the first
parser's own tokenizer, so comments, strings and dollar-quoted bodies never split), and
``problem`` is the first error with its location; the facts are those of every statement
that parsed. ``extract_sql`` never raises.

Before parsing: a UTF-8 or UTF-16 BOM is honoured, bytes that are not UTF-8 are read as
Latin-1 (legacy dumps; every byte then means something, so nothing is lost), a NUL byte
makes the file binary, psql meta-commands (``\\connect``, ``\\i``) are blanked and a file
with Jinja markers (``{{``, ``{%``: dbt models, templates) is not parsed at all.
Blanking keeps every offset, so locations are those of the original text.
"""

from __future__ import annotations

from archlint.facts import FileFacts, ParseProblem
from archlint.frontends.sql_dialects import POSTGRES_NAMES, _read_sqlglot
from archlint.frontends.sql_postgres import _read_postgres
from archlint.frontends.sql_text import (
    _COPY_DATA,
    _META_COMMAND,
    _TEMPLATE,
    _TEMPLATED,
    _blank,
    _blank_rows,
    _decode,
    _guess_dialect,
    _Lines,
)
from archlint.schema import SchemaFacts

# Part of the cache key: bump whenever the facts extracted from the same bytes change.
SQL_VERSION = "sql-1"
LANGUAGE = "sql"

_POSTGRES_NAMES = POSTGRES_NAMES


# --- entry points ---------------------------------------------------------------------


def extract_sql(data: bytes, dialect: str | None = None) -> SchemaFacts:
    """What the migration in ``data`` defines; see the module docstring. Never raises."""
    try:
        return _extract(data, dialect)
    except RecursionError:
        return SchemaFacts(problem=ParseProblem("too deeply nested to parse"))
    except Exception as error:  # a parser bug must not end the run  # noqa: BLE001
        return SchemaFacts(problem=ParseProblem(f"internal error reading SQL: {error!r}"))


def parse_sql(data: bytes, dialect: str | None = None) -> FileFacts:
    """The import facts of a ``*.sql`` file: none, and the reason it cannot be read. A
    templated file (Jinja) is no error: it is not meant to be parsed as it stands."""
    facts = extract_sql(data, dialect)
    problem = facts.problem
    if problem is not None and problem.message.startswith(_TEMPLATED):
        problem = None
    return FileFacts(LANGUAGE, problem=problem)


def _extract(data: bytes, dialect: str | None) -> SchemaFacts:
    text, problem = _decode(data)
    if problem is not None:
        return SchemaFacts(problem=problem)
    template = _TEMPLATE.search(text)
    if template is not None:
        line, column = _Lines(text).at(template.start())
        return SchemaFacts(problem=ParseProblem(
            f"{_TEMPLATED} (Jinja markers) is not parsed", line, column))  # fmt: skip
    if "\\" in text:
        text = _COPY_DATA.sub(_blank_rows, text)
        text = _META_COMMAND.sub(_blank, text)
    lines = _Lines(text)
    wanted = (dialect or "").lower() or None
    if wanted in _POSTGRES_NAMES:
        return _read_postgres(text, lines, salvage=True)  # type: ignore[return-value]
    if wanted is not None:
        return _read_sqlglot(text, lines, wanted, salvage=True)  # type: ignore[return-value]
    guess = _guess_dialect(text)
    if guess is None:
        return _read_postgres(text, lines, salvage=True)  # type: ignore[return-value]
    facts = _read_sqlglot(text, lines, guess, salvage=False)
    if facts is not None:
        return facts
    facts = _read_postgres(text, lines, salvage=False)
    if facts is not None:
        return facts
    return _read_sqlglot(text, lines, guess, salvage=True)  # type: ignore[return-value]
