"""Schema facts: the SQL frontend (pglast for PostgreSQL, sqlglot for other dialects) and
the Python migration frontend (Alembic, Django, from code facts)."""

from __future__ import annotations

import marshal
import textwrap

import pytest

from archlint.facts import ParseProblem
from archlint.frontends.migrations_py import schema_from_code
from archlint.frontends.python_code import extract_python_code
from archlint.frontends.sql import extract_sql, parse_sql
from archlint.rules.schema_scope import load_schema, merge, order
from archlint.schema import (
    AddedColumn,
    Column,
    Drop,
    ForeignKey,
    Index,
    SchemaFacts,
    Table,
    base_type,
    type_length,
)

POSTGRES = """\
-- Every kind of statement the data rules read.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS public.customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) NOT NULL UNIQUE,
    "displayName" text,
    tags text[] DEFAULT '{}'::text[],
    balance numeric(12, 2) NOT NULL DEFAULT 0,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    number bigint GENERATED ALWAYS AS IDENTITY,
    legacy_id serial,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    region char(2),
    shard smallint,
    PRIMARY KEY (number),
    UNIQUE (region, shard),
    CONSTRAINT orders_region_fk FOREIGN KEY (region, shard) REFERENCES shards (region, shard)
);

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_live_idx ON orders USING btree (customer_id, lower(region)) WHERE shard > 0;
CREATE INDEX ON orders (legacy_id);

ALTER TABLE ONLY orders
    ADD COLUMN note text DEFAULT 'n/a' NOT NULL,
    ADD COLUMN invoice_id uuid REFERENCES invoices,
    ADD CONSTRAINT orders_note_key UNIQUE (note),
    ADD CONSTRAINT orders_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id),
    DROP COLUMN shard;

CREATE TEMPORARY TABLE scratch (id serial PRIMARY KEY);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM (1) TO (100);
CREATE TABLE order_copy AS SELECT * FROM orders;
DROP INDEX IF EXISTS orders_live_idx, archive.old_idx;
DROP TABLE legacy_orders CASCADE;
"""


def test_postgres_ddl_of_every_kind() -> None:
    facts = extract_sql(POSTGRES.encode())
    assert (facts.problem, facts.dialect) == (None, "postgres")
    customers, orders, partition, copy = facts.tables
    assert customers == Table(
        "public.customers",
        (
            Column("id", "uuid", True, False, "gen_random_uuid()", None, False, False, 5, 5),
            Column("email", "varchar(255)", False, False, "", None, False, True, 6, 5),
            Column("displayName", "text", False, True, "", None, False, False, 7, 5),
            Column("tags", "text[]", False, True, "'{}'::text[]", None, False, False, 8, 5),
            Column("balance", "numeric(12,2)", False, False, "0", None, False, False, 9, 5),
            Column("created_at", "timestamptz", False, False, "now()", None, False, False, 10, 5),
        ),
        primary_key=("id",), uniques=(("email",),), line=4, column=28,
    )  # fmt: skip
    assert orders.columns == (
        Column("number", "bigint", True, False, "", None, True, False, 14, 5),
        Column("legacy_id", "serial", False, True, "", None, False, False, 15, 5),
        Column("customer_id", "uuid", False, False, "", ("customers", "id"), False, False, 16, 5),
        Column("region", "char(2)", False, True, "", None, False, False, 17, 5),
        Column("shard", "smallint", False, True, "", None, False, False, 18, 5),
    )  # fmt: skip
    assert (orders.primary_key, orders.uniques, orders.line, orders.column) == (
        ("number",), (("region", "shard"),), 13, 14,
    )  # fmt: skip
    assert orders.foreign_keys == (
        ForeignKey("orders", ("customer_id",), "customers", ("id",), 16, 31),
        ForeignKey("orders", ("region", "shard"), "shards", ("region", "shard"), 21, 5),
    )
    # Partitions and CREATE TABLE AS take their columns from elsewhere; temp tables are no schema.
    assert [(t.name, t.columns, t.derived) for t in (partition, copy)] == [
        ("orders_2024", (), True), ("order_copy", (), True),
    ]  # fmt: skip
    assert facts.indexes == (
        Index("orders_live_idx", "orders", ("customer_id", ""), True, True, 24, 1),
        Index("", "orders", ("legacy_id",), False, False, 25, 1),
        Index("orders_note_key", "orders", ("note",), True, False, 30, 9),
    )
    assert facts.added_columns == (
        AddedColumn("orders", Column("note", "text", False, False, "'n/a'", None, False, False, 28, 16)),
        AddedColumn("orders", Column("invoice_id", "uuid", False, True, "", ("invoices", ""), False, False, 29, 16)),
    )  # fmt: skip
    assert facts.foreign_keys == (
        ForeignKey("orders", ("invoice_id",), "invoices", (), 29, 32),
        ForeignKey("orders", ("invoice_id",), "invoices", ("id",), 31, 9),
    )
    assert facts.drops == (
        Drop("column", "orders", "shard", 27, 1),
        Drop("index", "", "orders_live_idx", 37, 1),
        Drop("index", "", "archive.old_idx", 37, 1),
        Drop("table", "legacy_orders", "legacy_orders", 38, 1),
    )


def test_records_survive_marshal() -> None:
    facts = extract_sql(POSTGRES.encode())
    facts = SchemaFacts(**{**{f: getattr(facts, f) for f in facts.__slots__},
                           "problem": ParseProblem("x", 2, 3), "revision": "r1",
                           "down_revisions": ("r0",)})  # fmt: skip
    assert SchemaFacts.from_record(marshal.loads(marshal.dumps(facts.to_record()))) == facts


MYSQL = b"""\
-- MySQL dump
CREATE TABLE `users` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `avatar` LONGBLOB,
  `org_id` BIGINT NOT NULL,
  `token_hash` VARBINARY(32),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  KEY `ix_org` (`org_id`),
  UNIQUE KEY `uq_token` (`token_hash`),
  CONSTRAINT `fk_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX ix_created ON users (created_at);
ALTER TABLE users ADD COLUMN deleted_at DATETIME NULL;
DROP TABLE IF EXISTS old_users;
"""


def test_mysql_file_is_read_by_sqlglot() -> None:
    facts = extract_sql(MYSQL)
    assert (facts.problem, facts.dialect) == (None, "mysql")
    (users,) = facts.tables
    assert (users.name, users.primary_key, users.uniques, users.line, users.column) == (
        "users", ("id",), (("token_hash",),), 2, 14,
    )  # fmt: skip
    assert users.columns == (
        Column("id", "int unsigned", True, False, "", None, True, False, 3, 3),
        Column("avatar", "longblob", False, True, "", None, False, False, 4, 3),
        Column("org_id", "bigint", False, False, "", ("orgs", "id"), False, False, 5, 3),
        Column("token_hash", "varbinary(32)", False, True, "", None, False, False, 6, 3),
        Column("created_at", "datetime", False, True, "CURRENT_TIMESTAMP()", None, False, False, 7, 3),
    )  # fmt: skip
    assert users.foreign_keys == (ForeignKey("users", ("org_id",), "orgs", ("id",), 11, 36),)
    assert facts.indexes == (
        Index("ix_org", "users", ("org_id",), False, False, 9, 7),
        Index("ix_created", "users", ("created_at",), False, False, 13, 1),
    )
    assert facts.added_columns == (
        AddedColumn("users", Column("deleted_at", "datetime", False, True, "", None, False, False, 14, 30)),
    )  # fmt: skip
    assert facts.drops == (Drop("table", "old_users", "old_users", 15, 1),)


def test_dialect_markers_and_the_dialect_option() -> None:
    sqlite = extract_sql(b"CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB);")
    assert sqlite.dialect == "sqlite" and sqlite.problem is None
    assert [(c.name, c.type, c.identity) for c in sqlite.tables[0].columns] == [
        ("id", "integer", True), ("body", "blob", False),
    ]  # fmt: skip
    # MySQL with no marker reads as PostgreSQL, which rejects it ...
    change = b"CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t CHANGE a b int;\n"
    unmarked = extract_sql(change)
    assert unmarked.dialect == "postgres"
    assert unmarked.problem == ParseProblem(
        'syntax error at or near "CHANGE" (read as PostgreSQL)', 2, 15
    )
    assert [t.name for t in unmarked.tables] == ["t"]
    # ... and parses when the dialect is given.
    told = extract_sql(change, dialect="mysql")
    assert (told.dialect, told.problem, [t.name for t in told.tables]) == ("mysql", None, ["t"])
    assert extract_sql(b"CREATE TABLE t (a int)", dialect="klingon").problem == ParseProblem(
        "unknown SQL dialect 'klingon'"
    )


def test_syntax_error_has_a_location_and_the_rest_is_read() -> None:
    broken = textwrap.dedent("""\
        CREATE TABLE a (id uuid PRIMARY KEY);
        CREATE TABLE b (
            id uuid PRIMARY KEY,
            name text NOT NULL,,
            x int
        );
        CREATE INDEX b_name ON b (name);
    """).encode()  # fmt: skip
    facts = extract_sql(broken)
    assert facts.problem == ParseProblem('syntax error at or near "," (read as PostgreSQL)', 4, 24)
    assert [t.name for t in facts.tables] == ["a"]  # b's statement is the broken one
    assert facts.indexes == (Index("b_name", "b", ("name",), False, False, 7, 1),)
    # An unclosed parenthesis does not swallow the statements after it.
    unclosed = b"CREATE TABLE a (x int);\nCREATE TABLE x (a int,\n b int, c int;\nCREATE TABLE b (y int);"
    facts = extract_sql(unclosed)
    assert facts.problem == ParseProblem('syntax error at or near ";" (read as PostgreSQL)', 3, 14)
    assert [t.name for t in facts.tables] == ["a", "b"]
    # An unterminated string: the statements before it are read.
    facts = extract_sql(b"CREATE TABLE a (id uuid PRIMARY KEY);\nINSERT INTO a VALUES ('oops);\n")
    assert facts.problem is not None and facts.problem.message.startswith("unterminated quoted string")
    assert (facts.problem.line, facts.problem.column) == (2, 23)
    assert [t.name for t in facts.tables] == ["a"]
    # The same for a MySQL file, with sqlglot's error.
    facts = extract_sql(b"CREATE TABLE `a` (`id` int PRIMARY KEY);\nCREATE TABLE `b` (`id` int,\n  `x` int\n;\n")
    assert facts.problem == ParseProblem("syntax error: Expecting ) (read as mysql)", 3, 7)
    assert [t.name for t in facts.tables] == ["a"]
    # The import frontend reports the same problem, for the parse-error rule.
    assert parse_sql(broken).problem == extract_sql(broken).problem
    assert parse_sql(broken).language == "sql" and parse_sql(broken).imports == ()


def test_comments_strings_and_dollar_quoted_bodies_hide_nothing() -> None:
    source = b"""\
/* CREATE TABLE commented_out (id serial); */
-- CREATE TABLE also_commented (id serial);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    EXECUTE 'CREATE TABLE inside_string (id serial)';
    NEW.updated_at := now();  -- a ; inside the body
    RETURN NEW;
END;
$body$;
CREATE TABLE real_one (id uuid PRIMARY KEY, note text DEFAULT 'a -- b; c');
CREATE TRIGGER t BEFORE UPDATE ON real_one FOR EACH ROW EXECUTE FUNCTION touch();
"""
    facts = extract_sql(source)
    assert facts.problem is None
    assert [(t.name, t.line, t.column) for t in facts.tables] == [("real_one", 10, 14)]
    assert [(c.name, c.default, c.column) for c in facts.tables[0].columns] == [
        ("id", "", 24), ("note", "'a -- b; c'", 45),
    ]  # fmt: skip


def test_encodings() -> None:
    text = "-- Grüße\nCREATE TABLE café (prénom text DEFAULT 'é', id uuid PRIMARY KEY);\n"
    expected = [("café", 2, 14, [("prénom", "'é'", 20), ("id", "", 45)])]

    def shape(facts: SchemaFacts) -> list:
        assert facts.problem is None
        return [(t.name, t.line, t.column, [(c.name, c.default, c.column) for c in t.columns])
                for t in facts.tables]  # fmt: skip

    # Columns count characters, whatever the bytes: UTF-8, Latin-1 (not UTF-8: read as
    # Latin-1), UTF-16 with its BOM (SQL Server Management Studio's default).
    assert shape(extract_sql(text.encode("utf-8"))) == expected
    assert shape(extract_sql(text.encode("latin-1"))) == expected
    assert shape(extract_sql(b"\xef\xbb\xbf" + text.encode("utf-8"))) == expected
    assert shape(extract_sql(text.encode("utf-16"))) == expected
    assert extract_sql(b"CREATE TABLE a (\x00)").problem == ParseProblem("binary file (contains NUL bytes)")


def test_templates_and_psql_meta_commands() -> None:
    dbt = extract_sql(b"select *\nfrom {{ ref('orders') }}")
    assert dbt.problem == ParseProblem("templated SQL (Jinja markers) is not parsed", 2, 6)
    assert parse_sql(b"select *\nfrom {{ ref('orders') }}").problem is None  # not an error
    psql = extract_sql(b"\\set ON_ERROR_STOP on\n\\connect app\nCREATE TABLE a (id uuid PRIMARY KEY);\n")
    assert psql.problem is None and [(t.name, t.line) for t in psql.tables] == [("a", 3)]


def test_type_helpers() -> None:
    assert [base_type(t) for t in ("varchar(255)", "int unsigned", "text[]", "double precision",
                                   "timestamptz(3)", "bigint")] == [
        "varchar", "int", "text[]", "double precision", "timestamptz", "bigint"]  # fmt: skip
    assert [type_length(t) for t in ("varbinary(max)", "numeric(10,2)", "bytea")] == ["max", "10", ""]


# --- Python migrations ----------------------------------------------------------------------

ALEMBIC = '''\
"""create orders"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "b2"
down_revision = "a1"


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("orgs.id"), nullable=False, index=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("code", sa.String(length=26), server_default=sa.text("'x'")),
        sa.Column("user_id", sa.Uuid()),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.UniqueConstraint("code"),
    )
    op.create_index(op.f("ix_orders_user_id"), "orders", ["user_id"], unique=False)
    op.add_column("orders", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text()))
        batch_op.drop_column("body")
    op.execute("CREATE INDEX orders_note ON orders (note)")


def downgrade():
    op.drop_table("orders")
'''


def test_alembic_migration() -> None:
    facts = schema_from_code(extract_python_code(ALEMBIC.encode()))
    assert (facts.dialect, facts.revision, facts.down_revisions) == ("alembic", "b2", ("a1",))
    (orders,) = facts.tables
    assert (orders.name, orders.primary_key, orders.uniques, orders.line, orders.column) == (
        "orders", ("id",), (("code",),), 11, 5,
    )  # fmt: skip
    assert orders.columns == (
        Column("id", "integer", True, False, "", None, False, False, 13, 9),
        Column("org_id", "uuid", False, False, "", ("orgs", "id"), False, False, 14, 9),
        Column("body", "bytea", False, True, "", None, False, False, 15, 9),
        Column("code", "varchar(26)", False, True, "'x'", None, False, False, 16, 9),
        Column("user_id", "uuid", False, True, "", ("users", "id"), False, False, 17, 9),
    )  # fmt: skip
    assert orders.foreign_keys == (
        ForeignKey("orders", ("org_id",), "orgs", ("id",), 14, 60),
        ForeignKey("orders", ("user_id",), "users", ("id",), 19, 9),
    )
    assert facts.indexes == (
        Index("", "orders", ("org_id",), False, False, 14, 9),
        Index("ix_orders_user_id", "orders", ("user_id",), False, False, 22, 5),
        Index("orders_note", "orders", ("note",), False, False, 27, 5),
    )
    assert [(a.table, a.column.name, a.column.type) for a in facts.added_columns] == [
        ("orders", "created_at", "timestamptz"), ("orders", "note", "text"),
    ]  # fmt: skip
    # downgrade() undoes upgrade(): its drop_table is not part of the schema.
    assert facts.drops == (Drop("column", "orders", "body", 26, 9),)


DJANGO = '''\
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="crm.customer")),
                ("buyer", models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL, db_index=False)),
                ("invoice", models.FileField(upload_to="invoices/")),
                ("thumbnail", models.BinaryField(null=True)),
                ("tags", models.ManyToManyField(to="shop.tag")),
            ],
            options={"indexes": [models.Index(fields=["buyer", "-invoice"], name="order_buyer_idx")]},
        ),
        migrations.CreateModel(name="OrderProxy", fields=[], options={"proxy": True}),
        migrations.CreateModel(
            name="Tag",
            fields=[("slug", models.SlugField(primary_key=True, serialize=False))],
            options={"db_table": "tags"},
        ),
        migrations.AddField(model_name="tag", name="created_at", field=models.DateTimeField(auto_now_add=True)),
        migrations.RunSQL("CREATE INDEX order_invoice ON shop_order (invoice)", migrations.RunSQL.noop),
    ]
'''


def test_django_migration() -> None:
    facts = schema_from_code(extract_python_code(DJANGO.encode()))
    assert facts.dialect == "django"
    order_, tag = facts.tables
    assert (order_.name, order_.primary_key, order_.line, order_.column) == ("{app}_order", ("id",), 11, 9)
    assert order_.columns == (
        Column("id", "bigint", True, False, "", None, True, False, 14, 24),
        Column("customer_id", "", False, False, "", ("crm_customer", "id"), False, False, 15, 30),
        Column("buyer_id", "", False, False, "", ("auth_user", "id"), False, False, 16, 27),
        Column("invoice", "varchar(100)", False, False, "", None, False, False, 17, 29),
        Column("thumbnail", "bytea", False, True, "", None, False, False, 18, 31),
    )  # fmt: skip
    assert (tag.name, tag.primary_key, [c.type for c in tag.columns]) == ("tags", ("slug",), ["varchar(50)"])
    # A ForeignKey has an index unless db_index=False; Meta indexes use column names.
    assert facts.indexes == (
        Index("", "{app}_order", ("customer_id",), False, False, 15, 30),
        Index("order_buyer_idx", "{app}_order", ("buyer_id", "invoice"), False, False, 21, 34),
        Index("order_invoice", "shop_order", ("invoice",), False, False, 30, 9),
    )
    assert [(a.table, a.column.name) for a in facts.added_columns] == [("tags", "created_at")]
    labelled = facts.with_app_label("shop")
    assert [t.name for t in labelled.tables] == ["shop_order", "tags"]
    assert labelled.indexes[0].table == "shop_order"


def test_other_python_modules_define_nothing() -> None:
    code = extract_python_code(b"from app import db\n\ndef upgrade():\n    db.create_all()\n")
    assert schema_from_code(code) == SchemaFacts()


def test_load_schema_orders_migrations(tmp_path) -> None:
    files = {
        "db/V10__late.sql": "ALTER TABLE a ADD COLUMN late int;",
        "db/V2__early.sql": "CREATE TABLE a (id uuid PRIMARY KEY);",
        "db/V3__empty.sql": "SELECT 1;",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    # Alembic revisions are named by hash: their down_revision chain orders them.
    head = 'revision = "c3"\ndown_revision = "b2"\ndef upgrade():\n    op.drop_table("t")\n'
    base = 'revision = "b2"\ndown_revision = None\ndef upgrade():\n    op.create_table("t", sa.Column("id", sa.Uuid(), primary_key=True))\n'
    django = 'class Migration(migrations.Migration):\n    operations = [migrations.CreateModel(name="Tag", fields=[])]\n'
    code = [
        ("alembic/versions/0aa_drop.py", extract_python_code(head.encode())),
        ("alembic/versions/ff1_create.py", extract_python_code(base.encode())),
        ("shop/migrations/0001_initial.py", extract_python_code(django.encode())),
    ]
    loaded = load_schema(tmp_path, sorted(files), code)
    assert [path for path, _ in loaded] == [
        "alembic/versions/ff1_create.py", "alembic/versions/0aa_drop.py",
        "db/V2__early.sql", "db/V10__late.sql", "shop/migrations/0001_initial.py",
    ]  # fmt: skip
    merged = merge(loaded)
    assert list(merged.tables) == ["a", "shop_tag"]  # t is created, then dropped
    assert list(merged.tables["a"].columns) == ["id", "late"]
    assert order([]) == []


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00", b"CREATE TABLE (", b";;;", b"$$", b"/*"])
def test_never_raises(data: bytes) -> None:
    assert isinstance(extract_sql(data), SchemaFacts)


def test_pg_dump() -> None:
    """pg_dump writes COPY rows between the statements and adds every key by ALTER TABLE."""
    dump = b"""\
SET statement_timeout = 0;
CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL
);
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
COPY public.users (id, email) FROM stdin;
1	a@example.com
2	\\N
\\.
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);
"""
    facts = extract_sql(dump)
    assert facts.problem is None
    assert [(c.name, c.type) for c in facts.tables[0].columns] == [("id", "integer"), ("email", "varchar(255)")]
    assert facts.indexes == (Index("users_pkey", "public.users", ("id",), True, False, 12, 9, True),)
    merged = merge([("dump.sql", facts)])
    users = merged.tables["users"]  # compared without the default schema
    assert users.table.primary_key == ("id",) and users.columns["id"][1].primary_key
