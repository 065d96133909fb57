"""`sql.dialect`: the project names the SQL dialect of its `*.sql` files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archlint.config.load import load_config
from archlint.errors import ConfigError
from archlint.frontends.sql_dialects import known_dialects
from tests.test_cli import run, write_tree

# Snowflake: `CREATE OR REPLACE TABLE` is no PostgreSQL, and nothing in it marks a dialect.
SNOWFLAKE = (
    "CREATE OR REPLACE TABLE users (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    created_at TIMESTAMP_NTZ,\n"
    "    updated_at TIMESTAMP_NTZ\n"
    ");\n"
)


def _project(root: Path, dialect: str | None) -> Path:
    config = 'extends = ["fullstack"]\n'
    if dialect is not None:
        config += f'\n[sql]\ndialect = "{dialect}"\n'
    return write_tree(root, {"archlint.toml": config, "migrations/V1__users.sql": SNOWFLAKE})


def _findings(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[tuple]:
    code, out, _ = run(["check", str(root), "--format", "json", *extra], capsys)
    assert code in (0, 1)
    return [(f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"]]


def test_without_a_dialect_the_file_is_read_as_postgresql(tmp_path, capsys) -> None:
    found = _findings(_project(tmp_path, None), capsys, "--no-cache")
    assert found == [("AL001", "migrations/V1__users.sql", 1)]


def test_the_dialect_reads_the_file_and_the_data_rules_see_its_tables(tmp_path, capsys) -> None:
    found = _findings(_project(tmp_path, "snowflake"), capsys, "--no-cache")
    assert found == [("AL701", "migrations/V1__users.sql", 2)]  # non-uuid-primary-key


def test_changing_the_dialect_is_not_answered_from_the_cache(tmp_path, capsys) -> None:
    root = _project(tmp_path, None)
    assert _findings(root, capsys) == [("AL001", "migrations/V1__users.sql", 1)]
    _project(tmp_path, "Snowflake")  # names are case-insensitive
    assert _findings(root, capsys) == [("AL701", "migrations/V1__users.sql", 2)]
    _project(tmp_path, None)
    assert _findings(root, capsys) == [("AL001", "migrations/V1__users.sql", 1)]


def test_an_empty_dialect_means_the_default(tmp_path) -> None:
    assert load_config(_project(tmp_path, "") / "archlint.toml").sql_dialect is None
    assert load_config(_project(tmp_path, "pg") / "archlint.toml").sql_dialect == "pg"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[sql]\ndialect = "mysq"\n', "unknown SQL dialect 'mysq' in 'sql.dialect' (did you mean 'mysql'?)"),
        ("[sql]\ndialect = 8\n", "'sql.dialect' must be a string, not an integer"),
        ('[sql]\ndialet = "mysql"\n', "unknown key 'dialet' in 'sql' (did you mean 'dialect'?)"),
        ('sql = "mysql"\n', "'sql' must be a table, not a string"),
    ],
)
def test_bad_settings_name_the_file_and_the_line(tmp_path, capsys, table: str, message: str) -> None:
    write_tree(tmp_path, {"archlint.toml": table})
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "archlint.toml")
    assert message in str(error.value)
    code, _, err = run(["check", str(tmp_path)], capsys)
    assert code == 2
    assert "archlint.toml" in err and message in err


def test_known_dialects_are_postgresql_and_sqlglots() -> None:
    known = known_dialects()
    assert {"postgres", "postgresql", "pg", "mysql", "sqlite", "tsql", "oracle", "snowflake"} <= known
    assert "" not in known
