"""The Alembic migrations, run on a temporary SQLite database: the schema they build, and
that it matches the SQLAlchemy mappings the repositories use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect

from blog.repositories.orm import Base

TABLES = {"users", "posts", "comments", "refresh_tokens"}
SOFT_DELETED = {"users", "posts", "comments"}


@pytest.fixture
def migrated(
    tmp_path: Path, alembic_config: Callable[[str], Config]
) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    yield url, engine
    engine.dispose()


def test_upgrade_head_creates_every_table_at_the_latest_revision(
    migrated: tuple[str, Engine], alembic_config: Callable[[str], Config]
) -> None:
    url, engine = migrated
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()

    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
    assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_primary_keys_are_uuids(migrated: tuple[str, Engine], table: str) -> None:
    inspector = inspect(migrated[1])
    columns = {c["name"]: c for c in inspector.get_columns(table)}

    assert inspector.get_pk_constraint(table)["constrained_columns"] == ["id"]
    # SQLAlchemy's Uuid is a native uuid on PostgreSQL and CHAR(32) on SQLite.
    assert str(columns["id"]["type"]) in {"UUID", "CHAR(32)"}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_audit_and_soft_delete_columns(migrated: tuple[str, Engine], table: str) -> None:
    columns = {c["name"]: c for c in inspect(migrated[1]).get_columns(table)}

    for audit in ("created_at", "updated_at"):
        assert not columns[audit]["nullable"]
        assert columns[audit]["default"] is not None  # the database fills them in too
    if table in SOFT_DELETED:
        assert columns["deleted_at"]["nullable"]
    else:
        assert "deleted_at" not in columns and columns["revoked_at"]["nullable"]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_foreign_key_has_an_index_starting_with_it(
    migrated: tuple[str, Engine], table: str
) -> None:
    inspector = inspect(migrated[1])
    indexed = [tuple(i["column_names"]) for i in inspector.get_indexes(table)]

    for foreign_key in inspector.get_foreign_keys(table):
        columns = tuple(foreign_key["constrained_columns"])
        assert any(index[: len(columns)] == columns for index in indexed), (table, columns)


def test_filtered_columns_are_indexed(migrated: tuple[str, Engine]) -> None:
    inspector = inspect(migrated[1])
    indexes = {
        table: {tuple(i["column_names"]): bool(i["unique"]) for i in inspector.get_indexes(table)}
        for table in TABLES
    }

    assert indexes["users"][("email",)] is True  # unique among live accounts
    assert ("deleted_at", "created_at") in indexes["posts"]  # the post listing
    assert ("post_id", "deleted_at", "created_at") in indexes["comments"]  # a post's comments
    assert indexes["refresh_tokens"][("token_hash",)] is True  # refresh lookups
    assert ("user_id", "revoked_at") in indexes["refresh_tokens"]  # revoke every session


def test_the_mappings_match_the_migrations(migrated: tuple[str, Engine]) -> None:
    with migrated[1].connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []


def test_downgrade_to_base_drops_every_table(
    migrated: tuple[str, Engine], alembic_config: Callable[[str], Config]
) -> None:
    url, engine = migrated

    command.downgrade(alembic_config(url), "base")

    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
