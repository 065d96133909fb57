"""## What it does
Reports a project that defines database tables but has no migrations. Tables are defined by
SQLAlchemy declarative models (a class with `__tablename__`) or `Table("name", metadata, …)`,
Django models (`models.Model` subclasses) and Flask-SQLAlchemy ones (`db.Model`), a Prisma
`schema.prisma` with a `model`, a `CREATE TABLE` in a `*.sql` file, or a `CREATE TABLE`
string in the application code. Migrations are any of: files in a `migrations/`,
`migration/` or `migrate/` folder (Django, Prisma `prisma/migrations/`, Knex, Sequelize,
TypeORM, golang-migrate, goose, dbmate, sqlx; a Django `migrations/` package holding only
`__init__.py` has none yet), an Alembic `versions/` folder next to its `env.py` or an
`alembic.ini`, Flyway's `V1__name.sql` files or `flyway.conf`, golang-migrate's `*.up.sql`,
a `liquibase.properties`, `atlas.hcl`, `sqitch.plan` or `dbmate.yml`. One finding per
project, at the first definition in path order. Python files are looked at when they match
the `model_files` globs or belong to the `layers` components; tests are excluded. The rule
needs every path of the project (SQL files and tool files included): it stays quiet when the
run does not provide them.

## Why is this bad?
Without migrations the database schema is whatever someone last did by hand, or whatever
`create_all()` / `prisma db push` / `syncdb` made of the models on that machine: it drifts
between developers, staging and production, a column rename drops data, and nobody can say
which schema a given release needs or roll it back. Versioned migrations make schema
changes reviewed, repeatable, ordered and deployable with the code that needs them.

## Example
```python
# app/models.py — and Base.metadata.create_all(engine) at start-up
class User(Base):
    __tablename__ = "users"
    id = mapped_column(Uuid, primary_key=True)
```

## Use instead
```text
alembic init migrations
alembic revision --autogenerate -m "create users"
alembic upgrade head
```
and the same with `python manage.py makemigrations`, `prisma migrate dev`, Flyway or
golang-migrate: commit the migrations and run them on deploy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from archlint.codefacts import KIND_CLASS, CodeFacts
from archlint.findings import Finding
from archlint.globs import path_matcher
from archlint.rules.context import RuleContext
from archlint.rules.schema_scope import (
    is_migration_path,
    is_migration_tool_file,
    project_paths,
    schema,
)
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES

CODE = "AL706"
NAME = "no-migration-tool"
SEVERITY = "warning"
OPTIONS: dict[str, object] = {
    "exclude": TEST_FILES,
    "layers": [*APPLICATION_LAYERS, "models"],
    "model_files": [
        "**/models.py", "**/models/**/*.py", "**/model.py", "**/entities/**/*.py",
        "**/entity.py", "**/tables.py", "**/db.py", "**/database.py", "**/orm.py",
    ],
}  # fmt: skip

# Only files holding one of these are read (their code facts extracted) for models.
CODE_TRIGGERS = (b"__tablename__", b"__table__", b"Model", b"Table(", b"CREATE TABLE",
                 b"create table", b"Create table", b"CREATE table")  # fmt: skip
MODEL_BASES = frozenset({"models.Model", "db.Model", "django.db.models.Model"})
_CREATE_TABLE = re.compile(r"^\s*create\s+(?:(?:or\s+replace|unlogged)\s+)*table\b", re.IGNORECASE)
_PRISMA_MODEL = re.compile(r"^[ \t]*model[ \t]+(\w+)[ \t]*\{", re.MULTILINE)


def has_migrations(paths: tuple[str, ...]) -> bool:
    pathset = frozenset(paths)
    for path in paths:
        if is_migration_tool_file(path):
            return True
        name = path.rpartition("/")[2]
        if name == "__init__.py" and path.split("/")[-2:-1] == ["migrations"]:
            continue  # an empty migrations package: makemigrations never ran
        if is_migration_path(path, pathset):
            return True
    return False


def check(context: RuleContext) -> Iterator[Finding]:
    if getattr(context, "paths", None) is None:
        return  # without every path (SQL files, alembic.ini …) "no migrations" cannot be told
    paths = project_paths(context)
    if has_migrations(paths):
        return
    # One regex per list (as any() of the globs' regexes), remembering its answers.
    excluded = path_matcher(tuple(context.options.get("exclude", TEST_FILES)))
    model_file = path_matcher(tuple(context.options.get("model_files", ())))
    layers = [str(name) for name in context.options.get("layers", ())]
    in_layers = {path for _, path in context.files(*layers)} if layers else set()
    sql_tables = {path: facts.tables for path, facts in schema(context).files if facts.tables}
    for path in sorted(paths):
        if excluded(path):
            continue
        found = None
        if path.rpartition("/")[2] == "schema.prisma":
            found = _prisma(Path(context.config.root), path)
        elif path in sql_tables:
            table = sql_tables[path][0]
            found = (table.line, table.column, f"CREATE TABLE {table.name}")
        elif path.endswith(".py") and (path in in_layers or model_file(path)):
            facts = context.code(path)
            if facts is not None:
                found = _python(facts)
        if found is not None:
            line, column, what = found
            yield context.at(
                path, line, column,
                f"{what} defines a database table but the project has no migrations: manage "
                "the schema with a migration tool (Alembic, Django migrations, Prisma Migrate, "
                "Flyway …)",
            )  # fmt: skip
            return


def _prisma(root: Path, path: str) -> tuple[int, int, str] | None:
    try:
        text = (root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _PRISMA_MODEL.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start(1) - (text.rfind("\n", 0, match.start()) + 1) - len("model ") + 1
    return line, max(column, 1), f"Prisma model {match.group(1)}"


def _python(facts: CodeFacts) -> tuple[int, int, str] | None:
    abstract: set[int] = set()  # classes whose Meta says abstract = True: no table
    for index, function in enumerate(facts.functions):
        if function.kind != KIND_CLASS or function.name != "Meta" or function.parent < 0:
            continue
        if any(a.scope == index and a.target == "abstract" and a.value is not None
               and a.value.text == "true" for a in facts.assigns):  # fmt: skip
            abstract.add(function.parent)
    tablenames = {a.scope for a in facts.assigns if a.target in ("__tablename__", "__table__")}
    found: list[tuple[int, int, str]] = []
    for index, function in enumerate(facts.functions):
        if function.kind != KIND_CLASS:
            continue
        if index in tablenames or (MODEL_BASES.intersection(function.bases) and index not in abstract):
            found.append((function.line, function.column, f"class {function.name}"))
    for call in facts.calls:
        first = call.args[0] if call.args else None
        if first is None or first.kind != "str":
            continue
        if call.callee.rpartition(".")[2] == "Table" and len(call.args) > 1 \
                and "meta" in call.args[1].text.lower():  # fmt: skip
            found.append((call.line, call.column, f"Table({first.text!r})"))
        elif _CREATE_TABLE.match(first.text):
            found.append((call.line, call.column, "CREATE TABLE in " + (call.callee or "a call")))
    for assign in facts.assigns:
        value = assign.value
        if value is not None and value.kind == "str" and _CREATE_TABLE.match(value.text):
            found.append((assign.line, assign.column, f"CREATE TABLE in {assign.target}"))
    return min(found) if found else None
