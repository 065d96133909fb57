"""Where the data rules get the schema: every migration of the project, read and merged.

A migration is a ``*.sql`` file (read by :mod:`archlint.frontends.sql`) or a Python module
in a ``migrations/`` or ``versions/`` folder (Django, Alembic; read from its code facts by
:mod:`archlint.frontends.migrations_py`). :func:`load_schema` reads them and puts them in
migration order; :func:`merge` replays them into the schema the project ends up with, which
is what the rules judge: a column added by a later migration counts, a table dropped later
is gone, an index created later covers a foreign key declared earlier.

Migration order: by path, comparing runs of digits as numbers (``V2__`` before ``V10__``,
``0002_`` before ``0010_``, Prisma's timestamped folders in time order), except that the
Alembic modules of a folder follow their ``down_revision`` chain (their names are hashes).

What the engine provides: :func:`schema` reads ``context.paths``, every discovered path
(sources of every language, ``*.sql`` included) plus the project files, and falls back to
the graph's files while the engine does not set it. SQL bytes are read from
``context.config.root``; Python code facts come from ``context.code(path)``. One merged
schema is computed per run and shared by the rules (a one-entry memo keyed by the run's
code-facts store, the project root and the excluded globs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.codefacts import CodeFacts
from archlint.globs import path_matcher
from archlint.schema import (
    DIALECT_ALEMBIC,
    DIALECT_DJANGO,
    DROP_COLUMN,
    DROP_INDEX,
    DROP_TABLE,
    Column,
    ForeignKey,
    Index,
    SchemaFacts,
    Table,
)

# Folders whose Python modules may be migrations (Django's migrations/, Alembic's versions/).
MIGRATION_PY_FOLDERS = frozenset({"migrations", "versions"})
# Folders that hold a migration tool's migrations, whatever the tool: Django, Prisma, Knex,
# Sequelize, TypeORM (src/migration), golang-migrate, goose, dbmate, sqlx, Rails (migrate).
MIGRATION_FOLDERS = frozenset({"migrations", "migration", "migrate"})
# Project files that only a migration tool has.
MIGRATION_TOOL_FILES = frozenset({
    "alembic.ini", "flyway.conf", "flyway.toml", "liquibase.properties", "atlas.hcl",
    "sqitch.plan", "dbmate.yml",
})  # fmt: skip
_FLYWAY = re.compile(r"^[VUR]\d+(?:[._]\d+)*__.+\.sql$|^R__.+\.sql$", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")
# What every migration path below holds somewhere (a superset): most paths hold none of it.
_MAYBE_MIGRATION = re.compile(r"migrat|versions|\.sql", re.IGNORECASE)


def natural_key(path: str) -> tuple:
    """Sort key comparing runs of digits as numbers: "V2__a.sql" < "V10__a.sql"."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(path.lower()))


def is_migration_path(path: str, paths: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether a file is (part of) a migration tool's migrations, from its path alone:
    in a migrations/migration/migrate folder, a Flyway ``V1__x.sql``, a golang-migrate
    ``*.up.sql``/``*.down.sql``, or an Alembic ``versions/`` module next to an ``env.py``
    (``paths``: every path of the project, to look for that env.py)."""
    if _MAYBE_MIGRATION.search(path) is None:
        return False  # the common case, without splitting the path
    parts = path.split("/")
    name = parts[-1]
    if any(part in MIGRATION_FOLDERS for part in parts[:-1]):
        return True
    if name.endswith((".up.sql", ".down.sql")) or _FLYWAY.match(name):
        return True
    if len(parts) >= 2 and parts[-2] == "versions":
        env = "/".join([*parts[:-2], "env.py"])
        return env in paths
    return False


def is_migration_tool_file(path: str) -> bool:
    return path.rpartition("/")[2] in MIGRATION_TOOL_FILES


# --- reading -----------------------------------------------------------------------------


def _django_label(path: str) -> str:
    """The app label of a Django migration: the folder holding ``migrations/``."""
    parts = path.split("/")
    if "migrations" in parts[:-1]:
        index = len(parts) - 2 - parts[:-1][::-1].index("migrations")
        return parts[index - 1] if index >= 1 else ""
    return ""


def load_schema(
    root: Path,
    sql_paths: Sequence[str],
    migration_code: Iterable[tuple[str, CodeFacts]],
    dialect: str | None = None,
) -> list[tuple[str, SchemaFacts]]:
    """(path, facts) of every migration that defines or changes something, in migration
    order. A file that cannot be read is left out (the run reports unreadable files)."""
    from archlint.frontends.migrations_py import schema_from_code
    from archlint.frontends.sql import extract_sql

    found: list[tuple[str, SchemaFacts]] = []
    for path in sql_paths:
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        facts = extract_sql(data, dialect)
        if not facts.empty:
            found.append((path, facts))
    for path, code in migration_code:
        facts = schema_from_code(code)
        if facts.dialect == DIALECT_DJANGO:
            facts = facts.with_app_label(_django_label(path))
        if not facts.empty or facts.revision:
            found.append((path, facts))
    return order(found)


def order(files: list[tuple[str, SchemaFacts]]) -> list[tuple[str, SchemaFacts]]:
    """Migration order: natural path order, Alembic folders along their revision chains."""
    files = sorted(files, key=lambda pair: natural_key(pair[0]))
    folders: dict[str, list[int]] = {}
    for index, (path, facts) in enumerate(files):
        if facts.dialect == DIALECT_ALEMBIC and facts.revision:
            folders.setdefault(path.rpartition("/")[0], []).append(index)
    for indices in folders.values():
        chained = _revision_order([files[i] for i in indices])
        for index, pair in zip(indices, chained):
            files[index] = pair
    return [(path, facts) for path, facts in files if not facts.empty]


def _revision_order(files: list[tuple[str, SchemaFacts]]) -> list[tuple[str, SchemaFacts]]:
    """Topological order along down_revision, ties (branches) by path; a revision whose
    parent is unknown starts a chain; leftovers of a cycle keep path order."""
    by_revision = {facts.revision: (path, facts) for path, facts in files}
    done: set[str] = set()
    result: list[tuple[str, SchemaFacts]] = []
    pending = list(files)
    while pending:
        ready = [pair for pair in pending
                 if all(r in done or r not in by_revision for r in pair[1].down_revisions)]  # fmt: skip
        if not ready:
            ready = pending[:1]
        for pair in ready:
            done.add(pair[1].revision)
            result.append(pair)
        pending = [pair for pair in pending if pair[1].revision not in done]
    return result


# --- merging -----------------------------------------------------------------------------


def table_key(name: str) -> str:
    """How table names are compared: case-insensitively, without the default schema."""
    key = name.lower()
    for prefix in ("public.", "dbo.", "main."):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@dataclass(slots=True)
class TableState:
    """A table created by the project's migrations, as the last migration leaves it."""

    path: str  # where it is created
    table: Table
    dialect: str
    columns: dict[str, tuple[str, Column]] = field(default_factory=dict)  # name -> (path, column)
    uniques: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.table.name


@dataclass(slots=True)
class Schema:
    """The merged schema: tables that exist at the end, their indexes and foreign keys."""

    files: list[tuple[str, SchemaFacts]] = field(default_factory=list)
    tables: dict[str, TableState] = field(default_factory=dict)  # table_key -> state, creation order
    indexes: dict[str, list[Index]] = field(default_factory=dict)  # table_key -> indexes
    foreign_keys: list[tuple[str, ForeignKey, str]] = field(default_factory=list)  # (path, key, dialect)
    # Columns added to tables that the migrations do not create: (path, table, column).
    extra_columns: list[tuple[str, str, Column]] = field(default_factory=list)

    def columns(self) -> list[tuple[str, str, Column]]:
        """(path, table, column) of every column that exists at the end, created or added."""
        found = [(path, state.name, column) for state in self.tables.values()
                 for path, column in state.columns.values()]  # fmt: skip
        return found + self.extra_columns

    def covered(self, table: str, columns: Sequence[str]) -> bool:
        """Whether an index (or primary key, or unique constraint) of ``table`` starts with
        ``columns``, in any order: an index on (a, b, c) covers (a) and (b, a) but not (b).
        Partial indexes and expressions cover nothing."""
        wanted = set(columns)
        if not wanted:
            return True
        width = len(wanted)
        key = table_key(table)
        candidates: list[tuple[str, ...]] = []
        state = self.tables.get(key)
        if state is not None:
            if state.table.primary_key:
                candidates.append(state.table.primary_key)
            candidates.extend(state.uniques)
        candidates.extend(i.columns for i in self.indexes.get(key, ()) if not i.partial)
        return any(len(c) >= width and set(c[:width]) == wanted for c in candidates)


def merge(files: Iterable[tuple[str, SchemaFacts]]) -> Schema:
    """Replay the migrations in order. Within a file statements run in document order."""
    schema = Schema()
    for path, facts in files:
        schema.files.append((path, facts))
        events: list[tuple[int, int, int, Any]] = []
        events.extend((t.line, t.column, 0, t) for t in facts.tables)
        events.extend((a.column.line, a.column.column, 1, a) for a in facts.added_columns)
        events.extend((k.line, k.column, 2, k) for k in facts.foreign_keys)
        events.extend((i.line, i.column, 3, i) for i in facts.indexes)
        events.extend((d.line, d.column, 4, d) for d in facts.drops)
        events.sort(key=lambda e: e[:3])
        for _, _, kind, record in events:
            if kind == 0:
                _create(schema, path, record, facts.dialect)
            elif kind == 1:  # its foreign key, if any, is among the file's foreign_keys
                state = schema.tables.get(table_key(record.table))
                if state is not None:
                    state.columns[record.column.name] = (path, record.column)
                    if record.column.unique:
                        state.uniques.append((record.column.name,))
                else:
                    schema.extra_columns.append((path, record.table, record.column))
            elif kind == 2:
                schema.foreign_keys.append((path, record, facts.dialect))
            elif kind == 3:
                schema.indexes.setdefault(table_key(record.table), []).append(record)
                if record.primary:
                    _set_primary_key(schema, record)
            else:
                _drop(schema, record)
    return schema


def _create(schema: Schema, path: str, table: Table, dialect: str) -> None:
    key = table_key(table.name)
    if key in schema.tables:
        return  # created again: a no-op with IF NOT EXISTS (an error without), first one wins
    state = TableState(path, table, dialect)
    for column in table.columns:
        state.columns[column.name] = (path, column)
    state.uniques.extend(table.uniques)
    schema.tables[key] = state
    schema.foreign_keys.extend((path, k, dialect) for k in table.foreign_keys)


def _set_primary_key(schema: Schema, index: Index) -> None:
    """``ALTER TABLE … ADD PRIMARY KEY``: the table's key, when it had none."""
    state = schema.tables.get(table_key(index.table))
    if state is None or state.table.primary_key or not all(index.columns):
        return
    state.table = state.table._replace(primary_key=index.columns)
    for name in index.columns:
        if name in state.columns:
            path, column = state.columns[name]
            state.columns[name] = (path, column._replace(primary_key=True, nullable=False))


def _drop(schema: Schema, drop: Any) -> None:
    if drop.kind == DROP_TABLE:
        key = table_key(drop.name)
        schema.tables.pop(key, None)
        schema.indexes.pop(key, None)
        schema.foreign_keys = [e for e in schema.foreign_keys if table_key(e[1].table) != key]
        schema.extra_columns = [e for e in schema.extra_columns if table_key(e[1]) != key]
    elif drop.kind == DROP_INDEX:
        name = drop.name.rpartition(".")[2].lower()
        keys = [table_key(drop.table)] if drop.table else list(schema.indexes)
        for key in keys:
            indexes = schema.indexes.get(key, [])
            schema.indexes[key] = [i for i in indexes if i.name.lower() != name]
    elif drop.kind == DROP_COLUMN:
        key = table_key(drop.table)
        state = schema.tables.get(key)
        if state is not None:
            state.columns.pop(drop.name, None)
            state.uniques = [u for u in state.uniques if drop.name not in u]
        schema.extra_columns = [
            e for e in schema.extra_columns if not (table_key(e[1]) == key and e[2].name == drop.name)
        ]  # fmt: skip
        schema.indexes[key] = [i for i in schema.indexes.get(key, []) if drop.name not in i.columns]
        schema.foreign_keys = [
            e for e in schema.foreign_keys
            if not (table_key(e[1].table) == key and drop.name in e[1].columns)
        ]  # fmt: skip


# --- from a rule context ---------------------------------------------------------------------

_MEMO: dict[str, tuple] = {}


def project_paths(context: Any) -> tuple[str, ...]:
    """Every path of the project: ``context.paths`` (all discovered files and project
    files), or the graph's files while the engine does not provide it (None)."""
    paths = getattr(context, "paths", None)
    if paths is None:
        paths = sorted({n.path for n in context.graph.nodes.values() if n.path})
    return tuple(paths)


def migration_sources(context: Any, exclude: Sequence[str]) -> tuple[list[str], list[str]]:
    """(SQL files, Python migration modules) of the project, minus ``exclude`` globs."""
    excluded = path_matcher(tuple(str(p) for p in exclude))
    sql: list[str] = []
    python: list[str] = []
    for path in project_paths(context):
        if excluded(path):
            continue
        if path.endswith(".sql"):
            sql.append(path)
        elif path.endswith(".py"):
            parts = path.split("/")
            if parts[-1] not in ("__init__.py", "env.py") and any(
                part in MIGRATION_PY_FOLDERS for part in parts[:-1]
            ):
                python.append(path)
    return sql, python


def schema(context: Any) -> Schema:
    """The merged schema of the project's migrations (tests excluded by the rule's
    ``exclude`` option), computed once per run."""
    from archlint.rules.scope import TEST_FILES

    exclude = tuple(str(p) for p in context.options.get("exclude", TEST_FILES))
    root = Path(context.config.root)
    code_of = getattr(context, "code_of", None)
    paths = project_paths(context)
    dialect = getattr(context.config, "sql_dialect", None)
    key = (id(code_of), str(root), exclude, hash(paths), dialect)
    remembered = _MEMO.get("schema")
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    sql, python = migration_sources(context, exclude)
    # Straight from the store, without the rule's CODE_TRIGGERS: the schema is shared by
    # every data rule, whichever of them asks first.
    codes = [(path, facts) for path in python
             if isinstance(facts := code_of(path, ()), CodeFacts)] if code_of else []  # fmt: skip
    merged = merge(load_schema(root, sql, codes, dialect))
    _MEMO["schema"] = (key, merged, code_of)  # code_of kept alive: its id stays unique
    return merged


# --- shared by the table rules ----------------------------------------------------------------


def judged_tables(
    context: Any, merged: Schema | None = None, whole_only: bool = True
) -> list[TableState]:
    """The tables the migrations create and do not drop, minus the ``exclude_tables`` globs
    (matched against the table name, case-insensitively) and tables whose columns are
    partly declared elsewhere (``PARTITION OF``, ``LIKE``, ``INHERITS``, ``AS SELECT``,
    Alembic's ``*columns()``) unless ``whole_only`` is False (a rule judging the columns it
    sees, not the ones that are missing)."""
    from fnmatch import fnmatchcase

    merged = merged if merged is not None else schema(context)
    patterns = [str(p).lower() for p in context.options.get("exclude_tables", ())]
    found = []
    for key, state in merged.tables.items():
        if (whole_only and state.table.derived) or not state.columns:
            continue
        if any(fnmatchcase(key, p) or fnmatchcase(state.name.lower(), p) for p in patterns):
            continue
        found.append(state)
    return found


def is_link_table(state: TableState, merged: Schema) -> bool:
    """A pure many-to-many table: at least two foreign keys and every column part of one.
    Its rows are a relation, inserted and deleted, never updated."""
    key = table_key(state.name)
    keys = [k for _, k, _ in merged.foreign_keys if table_key(k.table) == key]
    linked = {c for k in keys for c in k.columns}
    return len(keys) >= 2 and all(name in linked for name in state.columns)


def column_alternatives(entry: object) -> tuple[str, ...]:
    """An entry of a ``columns`` option: "created_at|inserted_at" -> both names, as
    :func:`name_key` compares them."""
    return tuple(name_key(part) for part in str(entry).split("|") if part.strip())


def name_key(name: str) -> str:
    """How column names are compared: case and underscores aside, so Prisma's
    ``createdAt`` is ``created_at``."""
    return name.strip().lower().replace("_", "")


_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_$]*$")


def quoted(name: str) -> str:
    """A name as SQL must spell it: "orders", "public.orders", '"Post"'."""
    return ".".join(part if _PLAIN_NAME.match(part) else '"' + part.replace('"', '""') + '"'
                    for part in name.split("."))  # fmt: skip
