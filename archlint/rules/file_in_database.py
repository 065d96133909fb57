"""## What it does
Reports a column that stores file contents in the database. Those are PostgreSQL `bytea`
(large objects are not judged: an `oid` column is also a plain id), MySQL `blob`,
`mediumblob`, `longblob`, SQL Server `image` and `varbinary(max)`, and `binary`/`varbinary`
longer than 1024 bytes — from `*.sql` migrations, Alembic (`sa.LargeBinary`, `BLOB`,
`BYTEA`) and Django (`models.BinaryField`). Columns that exist at the end of the migrations
are judged: one dropped later is fine. Small binary values are fine: `binary(16)`,
`varbinary(64)`, `tinyblob`, and `bytea` columns whose name says they hold a hash, digest,
checksum, signature, key, salt, nonce or token (the `allow_columns` option, globs on the
column name). `FileField`/`ImageField` store a path, not the file, and are fine too.

## Why is this bad?
A database is the most expensive and least scalable place to keep files: every backup,
replica and restore carries them, a `SELECT *` drags megabytes through the connection pool,
and serving a download ties up a database connection for its whole duration instead of
letting a CDN do it. Object storage (S3, GCS, Azure Blob, MinIO) is built for it: cheap,
streamed, served by signed URLs, with the database keeping the object key and metadata.

## Example
```sql
CREATE TABLE documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    filename text NOT NULL,
    content bytea NOT NULL
);
```

## Use instead
```sql
CREATE TABLE documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    filename text NOT NULL,
    storage_key text NOT NULL,      -- s3://bucket/documents/<id>
    size_bytes bigint NOT NULL,
    sha256 bytea NOT NULL           -- a 32-byte digest is fine
);
```
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.schema_scope import schema
from archlint.rules.scope import TEST_FILES
from archlint.schema import base_type, type_length

CODE = "AL704"
NAME = "file-in-database"
SEVERITY = "warning"
# Python migrations (Alembic, Django) are read through their code facts: those of the
# `migrations` component come from the same parse as their imports.
CODE_LAYERS = ("migrations",)
OPTIONS: dict[str, object] = {
    "allow_columns": [
        "*hash*", "*digest*", "*checksum*", "*sha1*", "*sha256*", "*sha512*", "*md5*",
        "*signature*", "*fingerprint*", "*salt*", "*nonce*", "iv", "*_iv", "key", "*_key",
        "*token*", "*mac",
    ],
    "exclude": TEST_FILES,
}  # fmt: skip

# Always file-sized: unbounded or up to gigabytes.
LARGE_BINARY = frozenset({"bytea", "blob", "mediumblob", "longblob", "image", "long raw"})
# Sized: file-sized only past this many bytes (or "max").
SIZED_BINARY = frozenset({"binary", "varbinary", "raw"})
MAX_INLINE_BYTES = 1024


def is_file_type(type_: str) -> bool:
    kind = base_type(type_)
    if kind in LARGE_BINARY:
        return True
    if kind in SIZED_BINARY:
        length = type_length(type_)
        if length.lower() == "max":
            return True
        return length.isdigit() and int(length) > MAX_INLINE_BYTES
    return False


def check(context: RuleContext) -> Iterator[Finding]:
    merged = schema(context)
    allowed = [str(p).lower() for p in context.options.get("allow_columns", ())]
    for path, table, column in merged.columns():
        if not is_file_type(column.type):
            continue
        if any(fnmatchcase(column.name.lower(), pattern) for pattern in allowed):
            continue
        yield context.at(
            path, column.line, column.column,
            f"column {table}.{column.name} stores files in the database ({column.type}): keep "
            "the bytes in object storage and store their key here",
        )  # fmt: skip
