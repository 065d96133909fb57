"""The data rules (AL701–AL706), from migrations: for each, bad migrations with exact
findings and look-alikes that are fine.

How the rules are run here: the engine does not hand ``*.sql`` files to rules yet, so each
test builds what it will: the project (``load_project``: config, graph), a code-facts store,
and a rule context whose ``paths`` are every file of the tree — discovered sources, ``*.sql``
and project files such as ``alembic.ini`` and ``schema.prisma`` — which is what the engine is
to provide (``RuleContext.paths``). The rule's ``check(context)`` is then called directly.
Python migrations are in the graph already, so one test also goes through the CLI.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import textwrap
from pathlib import Path

import pytest

from archlint.code_store import CodeFactsStore
from archlint.config.load import load_config
from archlint.discover import discover
from archlint.engine import load_project
from archlint.findings import sort_findings
from archlint.rules import find_rule
from archlint.rules.context import RuleContext, _settings
from tests.test_cli import run, write_tree

if "paths" in {f.name for f in dataclasses.fields(RuleContext)}:
    Context = RuleContext
else:

    @dataclasses.dataclass(slots=True)
    class Context(RuleContext):  # type: ignore[no-redef]
        paths: tuple[str, ...] = ()


def findings(root: Path, files: dict[str, str | bytes], rule: str, **options: object) -> list[tuple]:
    """(code, path, line, column, message) of what ``rule`` finds in this tree."""
    write_tree(root, {p: textwrap.dedent(t) if isinstance(t, str) else t for p, t in files.items()})
    config = load_config(None, root)
    project = load_project(config, use_cache=False)
    found = discover(config.root)
    store = CodeFactsStore(config.root, {f.path: f for f in found.files}, enabled=False)
    paths = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))
    info = find_rule(rule)
    assert info is not None
    settings = {**_settings(config, info), "enabled": True, **options}
    context = Context(config, project.graph, info, settings, store.get, paths=paths)
    module = importlib.import_module(info.module)
    context.triggers = tuple(getattr(module, "CODE_TRIGGERS", ()))  # as run_rules does
    return [(f.code, f.path, f.line, f.column, f.message) for f in sort_findings(list(module.check(context)))]


def fine(root: Path, files: dict[str, str | bytes], rule: str, **options: object) -> None:
    assert findings(root, files, rule, **options) == []


ALEMBIC_STARRED = {
    "alembic/env.py": "",
    "alembic/versions/a1_posts.py": (
        'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n'
        '    op.create_table("posts", sa.Column("id", sa.Integer(), primary_key=True),\n'
        '                    sa.Column("title", sa.Text()), *audit_columns())\n'
    ),
}


def test_columns_from_a_helper_are_not_called_missing_but_the_key_is_still_judged(tmp_path: Path) -> None:
    # `*audit_columns()`: the columns are declared elsewhere, so none is "missing"; the
    # primary key is in plain sight and still a sequential integer.
    for rule in ("missing-audit-columns", "missing-soft-delete"):
        assert findings(tmp_path / rule, ALEMBIC_STARRED, rule) == []
    found = findings(tmp_path / "pk", ALEMBIC_STARRED, "non-uuid-primary-key")
    assert [(code, path, line) for code, path, line, _, _ in found] == [
        ("AL701", "alembic/versions/a1_posts.py", 6)
    ]


# --- AL701 non-uuid-primary-key ----------------------------------------------------------


def test_sequential_primary_keys(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "db/migrations/V1__init.sql": """\
            CREATE TABLE customers (
                id bigserial PRIMARY KEY,
                email text NOT NULL
            );
            CREATE TABLE invoices (
                number integer GENERATED ALWAYS AS IDENTITY,
                total numeric(12, 2),
                PRIMARY KEY (number)
            );
        """,
        "legacy/schema.sql": "CREATE TABLE `events` (`id` INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY);\n",
        "shop/migrations/0001_initial.py": """\
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(
                        name="Order",
                        fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False))],
                    ),
                ]
        """,
    }, "non-uuid-primary-key")  # fmt: skip
    advice = "ids can be guessed and counted; use a uuid (DEFAULT gen_random_uuid()) or a ULID"
    assert found == [
        ("AL701", "db/migrations/V1__init.sql", 2, 5,
         f"primary key customers.id is a sequential integer (bigserial): {advice}"),
        ("AL701", "db/migrations/V1__init.sql", 6, 5,
         f"primary key invoices.number is a sequential integer (integer generated by the database): {advice}"),
        ("AL701", "legacy/schema.sql", 1, 24,
         f"primary key events.id is a sequential integer (int unsigned generated by the database): {advice}"),
        ("AL701", "shop/migrations/0001_initial.py", 7, 28,
         f"primary key shop_order.id is a sequential integer (bigint generated by the database): {advice}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        {"migrations/001.sql": "CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), views bigint);"},
        # a ULID (or KSUID, cuid) as text
        {"migrations/001.sql": "CREATE TABLE users (id char(26) PRIMARY KEY, seq bigserial);"},
        # a join table: its key is two references, judged where they point
        {"migrations/001.sql": "CREATE TABLE order_items (order_id bigint REFERENCES orders (id),\n"
                               "  product_id bigint REFERENCES products (id), PRIMARY KEY (order_id, product_id));"},
        # temporary, created then dropped, and in the tests
        {"migrations/001.sql": "CREATE TEMP TABLE scratch (id serial PRIMARY KEY);\n"
                               "CREATE TABLE old (id serial PRIMARY KEY);",
         "migrations/002.sql": "DROP TABLE old;",
         "tests/fixtures/schema.sql": "CREATE TABLE t (id serial PRIMARY KEY);"},
        # Alembic with a UUID key
        {"alembic/versions/a1_init.py": 'revision = "a1"\ndown_revision = None\n\ndef upgrade():\n'
                                        '    op.create_table("users", sa.Column("id", sa.Uuid(), primary_key=True))\n'},
    ],
    ids=["uuid", "ulid-text", "join-table", "temp-dropped-tests", "alembic-uuid"],
)
def test_non_uuid_primary_key_look_alikes_are_fine(tmp_path: Path, files) -> None:
    fine(tmp_path, files, "non-uuid-primary-key")


def test_excluded_tables(tmp_path: Path) -> None:
    files = {"migrations/001.sql": "CREATE TABLE countries (id smallint PRIMARY KEY, name text);"}
    fine(tmp_path, files, "non-uuid-primary-key", exclude_tables=["countr*"])


# --- AL702 missing-audit-columns -----------------------------------------------------------


def test_missing_audit_columns(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "migrations/V1__init.sql": """\
            CREATE TABLE invoices (id uuid PRIMARY KEY, amount numeric(12, 2) NOT NULL);
            CREATE TABLE payments (
                id uuid PRIMARY KEY,
                created_at timestamptz NOT NULL DEFAULT now()
            );
        """,
    }, "missing-audit-columns")  # fmt: skip
    assert found == [
        ("AL702", "migrations/V1__init.sql", 1, 14,
         "table invoices has no created_at, updated_at columns: record when each row is created and last changed"),
        ("AL702", "migrations/V1__init.sql", 2, 14,
         "table payments has no updated_at column: record when each row is created and last changed"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "options"),
    [
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, created_at timestamptz, updated_at timestamptz);"}, {}),
        # updated_at added by a later migration
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, created_at timestamptz);",
          "migrations/V2__a.sql": "ALTER TABLE a ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();"}, {}),
        # a pure many-to-many table
        ({"migrations/V1__a.sql": "CREATE TABLE tags_posts (tag_id uuid REFERENCES tags, post_id uuid REFERENCES posts,\n"
                                  "  PRIMARY KEY (post_id, tag_id));"}, {}),
        # Ecto's names, allowed by the option
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, inserted_at timestamp, updated_at timestamp);"},
         {"columns": ["created_at|inserted_at", "updated_at"]}),
        # Django: auto_now fields added by a later migration of the same app
        ({"shop/migrations/0001_initial.py": 'class Migration(migrations.Migration):\n    operations = [\n'
          '        migrations.CreateModel(name="Tag", fields=[("id", models.UUIDField(primary_key=True))]),\n    ]\n',
          "shop/migrations/0002_stamps.py": 'class Migration(migrations.Migration):\n    operations = [\n'
          '        migrations.AddField(model_name="tag", name="created_at", field=models.DateTimeField(auto_now_add=True)),\n'
          '        migrations.AddField(model_name="tag", name="updated_at", field=models.DateTimeField(auto_now=True)),\n'
          '    ]\n'}, {}),
    ],
    ids=["both", "added-later", "link-table", "ecto-names", "django-added-later"],
)
def test_audit_columns_look_alikes_are_fine(tmp_path: Path, files, options) -> None:
    fine(tmp_path, files, "missing-audit-columns", **options)


def test_prisma_names(tmp_path: Path) -> None:
    """Prisma Migrate's SQL: quoted camelCase names, compared without case and underscores."""
    files = {"prisma/migrations/20240101000000_init/migration.sql": """\
        CREATE TABLE "User" (
            "id" TEXT NOT NULL,
            "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT "User_pkey" PRIMARY KEY ("id")
        );
    """}  # fmt: skip
    assert findings(tmp_path, files, "missing-audit-columns") == [
        ("AL702", "prisma/migrations/20240101000000_init/migration.sql", 1, 14,
         "table User has no updated_at column: record when each row is created and last changed"),
    ]  # fmt: skip


# --- AL703 missing-soft-delete -------------------------------------------------------------


def test_missing_soft_delete(tmp_path: Path) -> None:
    files = {"migrations/V1__init.sql": "CREATE TABLE customers (id uuid PRIMARY KEY, email text NOT NULL);"}
    assert findings(tmp_path, files, "missing-soft-delete") == [
        ("AL703", "migrations/V1__init.sql", 1, 14,
         "table customers has no deleted_at column: a DELETE loses its rows for good; mark them deleted instead"),
    ]  # fmt: skip
    assert find_rule("missing-soft-delete").enabled is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("files", "options"),
    [
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, deleted_at timestamptz);"}, {}),
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY);",
          "migrations/V2__a.sql": "ALTER TABLE a ADD COLUMN deleted_at timestamptz;"}, {}),
        ({"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, archived_at timestamptz);"},
         {"columns": ["deleted_at", "archived_at"]}),
        ({"migrations/V1__a.sql": "CREATE TABLE audit_log (id uuid PRIMARY KEY, entry jsonb);"},
         {"exclude_tables": ["audit_*"]}),
    ],
    ids=["present", "added-later", "other-name", "excluded-table"],
)
def test_soft_delete_look_alikes_are_fine(tmp_path: Path, files, options) -> None:
    fine(tmp_path, files, "missing-soft-delete", **options)


# --- AL704 file-in-database ------------------------------------------------------------------


def test_files_in_the_database(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "migrations/V1__documents.sql": """\
            CREATE TABLE documents (
                id uuid PRIMARY KEY,
                content bytea NOT NULL
            );
            ALTER TABLE users ADD COLUMN avatar bytea;
        """,
        "mysql/V1__images.sql": "CREATE TABLE `images` (`id` BINARY(16) PRIMARY KEY, `data` LONGBLOB, `raw` VARBINARY(MAX));\n",
        "alembic/env.py": "",
        "alembic/versions/a1_files.py": """\
            revision = "a1"
            down_revision = None

            def upgrade():
                op.create_table(
                    "attachments",
                    sa.Column("id", sa.Uuid(), primary_key=True),
                    sa.Column("blob", sa.LargeBinary(), nullable=False),
                )
        """,
        "shop/migrations/0001_initial.py": """\
            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(name="Scan", fields=[
                        ("id", models.UUIDField(primary_key=True)),
                        ("pdf", models.BinaryField()),
                    ]),
                ]
        """,
    }, "file-in-database")  # fmt: skip
    advice = "keep the bytes in object storage and store their key here"
    assert found == [
        ("AL704", "alembic/versions/a1_files.py", 8, 9,
         f"column attachments.blob stores files in the database (bytea): {advice}"),
        ("AL704", "migrations/V1__documents.sql", 3, 5,
         f"column documents.content stores files in the database (bytea): {advice}"),
        ("AL704", "migrations/V1__documents.sql", 5, 30,
         f"column users.avatar stores files in the database (bytea): {advice}"),
        ("AL704", "mysql/V1__images.sql", 1, 53,
         f"column images.data stores files in the database (longblob): {advice}"),
        ("AL704", "mysql/V1__images.sql", 1, 70,
         f"column images.raw stores files in the database (varbinary(max)): {advice}"),
        ("AL704", "shop/migrations/0001_initial.py", 5, 21,
         f"column shop_scan.pdf stores files in the database (bytea): {advice}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # a digest, named as one
        {"migrations/V1__a.sql": "CREATE TABLE files (id uuid PRIMARY KEY, storage_key text, sha256 bytea NOT NULL,\n"
                                 "  password_hash bytea, signature bytea);"},
        # small, bounded binary values
        {"migrations/V1__a.sql": "CREATE TABLE `t` (`id` BINARY(16) PRIMARY KEY, `mac` VARBINARY(255), `tiny` TINYBLOB);"},
        # dropped by a later migration
        {"migrations/V1__a.sql": "CREATE TABLE docs (id uuid PRIMARY KEY, content bytea);",
         "migrations/V2__a.sql": "ALTER TABLE docs DROP COLUMN content;"},
        # Django's FileField stores a path
        {"shop/migrations/0001_initial.py": 'class Migration(migrations.Migration):\n    operations = [\n'
          '        migrations.CreateModel(name="Doc", fields=[("file", models.FileField(upload_to="d/"))]),\n    ]\n'},
    ],
    ids=["digest-names", "bounded", "dropped-later", "django-file-field"],
)
def test_file_in_database_look_alikes_are_fine(tmp_path: Path, files) -> None:
    fine(tmp_path, files, "file-in-database")


# --- AL705 unindexed-foreign-key ----------------------------------------------------------------


def test_unindexed_foreign_keys(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "migrations/V1__orders.sql": """\
            CREATE TABLE orders (
                id uuid PRIMARY KEY,
                customer_id uuid NOT NULL REFERENCES customers (id),
                created_at timestamptz NOT NULL
            );
            CREATE TABLE order_items (
                order_id uuid REFERENCES orders (id),
                product_id uuid REFERENCES products (id),
                PRIMARY KEY (order_id, product_id)
            );
            CREATE INDEX orders_created ON orders (created_at, customer_id);
            CREATE INDEX orders_live ON orders (customer_id) WHERE created_at > '2020-01-01';
        """,
        "alembic/env.py": "",
        "alembic/versions/a1_x.py": """\
            revision = "a1"
            down_revision = None

            def upgrade():
                op.create_foreign_key("fk_user", "orders", "users", ["user_id"], ["id"])
        """,
    }, "unindexed-foreign-key")  # fmt: skip
    assert found == [
        ("AL705", "alembic/versions/a1_x.py", 5, 5,
         ("foreign key orders(user_id) -> users(id) has no index: deletes in users and joins scan orders; "
          "CREATE INDEX ON orders (user_id)")),
        ("AL705", "migrations/V1__orders.sql", 3, 31,
         ("foreign key orders(customer_id) -> customers(id) has no index: deletes in customers and joins scan "
          "orders; CREATE INDEX ON orders (customer_id)")),
        ("AL705", "migrations/V1__orders.sql", 8, 21,
         ("foreign key order_items(product_id) -> products(id) has no index: deletes in products and joins "
          "scan order_items; CREATE INDEX ON order_items (product_id)")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # covered by an index created in a later migration
        {"migrations/V1__a.sql": "CREATE TABLE orders (id uuid PRIMARY KEY, customer_id uuid REFERENCES customers);",
         "migrations/V2__a.sql": "CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id, id);"},
        # a join table whose primary key (and a unique constraint) cover both keys
        {"migrations/V1__a.sql": "CREATE TABLE tags_posts (tag_id uuid REFERENCES tags, post_id uuid REFERENCES posts,\n"
                                 "  PRIMARY KEY (tag_id, post_id), UNIQUE (post_id, tag_id));"},
        # a composite key covered by an index on its columns in another order
        {"migrations/V1__a.sql": "CREATE TABLE a (id uuid PRIMARY KEY, x int, y int, FOREIGN KEY (x, y) REFERENCES b (x, y));\n"
                                 "CREATE UNIQUE INDEX ON a (y, x, id);"},
        # MySQL: InnoDB indexes foreign keys itself
        {"migrations/V1__a.sql": "CREATE TABLE `a` (`id` BINARY(16) PRIMARY KEY, `b_id` BINARY(16),\n"
                                 "  CONSTRAINT `fk` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`)) ENGINE=InnoDB;"},
        # Django: a ForeignKey comes with its index
        {"shop/migrations/0001_initial.py": 'class Migration(migrations.Migration):\n    operations = [\n'
          '        migrations.CreateModel(name="Order", fields=[("id", models.UUIDField(primary_key=True)),\n'
          '            ("customer", models.ForeignKey(on_delete=models.CASCADE, to="crm.customer"))]),\n    ]\n'},
        # Alembic: index=True on the column
        {"alembic/env.py": "", "alembic/versions/a1.py": 'revision = "a1"\ndown_revision = None\ndef upgrade():\n'
          '    op.create_table("o", sa.Column("id", sa.Uuid(), primary_key=True),\n'
          '        sa.Column("c_id", sa.Uuid(), sa.ForeignKey("c.id"), index=True))\n'},
    ],
    ids=["later-index", "join-table", "composite", "mysql", "django", "alembic-index"],
)
def test_unindexed_foreign_key_look_alikes_are_fine(tmp_path: Path, files) -> None:
    fine(tmp_path, files, "unindexed-foreign-key")


def test_suggested_index_quotes_names(tmp_path: Path) -> None:
    files = {"prisma/migrations/20240101000000_init/migration.sql": (
        'CREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n'
        'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");\n'
    )}  # fmt: skip
    assert findings(tmp_path, files, "unindexed-foreign-key") == [
        ("AL705", "prisma/migrations/20240101000000_init/migration.sql", 2, 24,
         ('foreign key Post(authorId) -> User(id) has no index: deletes in User and joins scan Post; '
          'CREATE INDEX ON "Post" ("authorId")')),
    ]  # fmt: skip


def test_a_dropped_index_no_longer_covers(tmp_path: Path) -> None:
    files = {
        "migrations/V1__a.sql": "CREATE TABLE o (id uuid PRIMARY KEY, c_id uuid REFERENCES c);\n"
                                "CREATE INDEX o_c ON o (c_id);",
        "migrations/V2__a.sql": "DROP INDEX o_c;",
    }  # fmt: skip
    assert [f[:4] for f in findings(tmp_path, files, "unindexed-foreign-key")] == [
        ("AL705", "migrations/V1__a.sql", 1, 48),
    ]


# --- AL706 no-migration-tool -------------------------------------------------------------------

MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(primary_key=True)
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"app/models.py": MODELS}, ("app/models.py", 8, 1, "class User")),
        ({"app/__init__.py": "", "app/models.py": "from django.db import models\n\n"
          "class Tag(models.Model):\n    name = models.CharField(max_length=20)\n",
          "app/migrations/__init__.py": ""},  # makemigrations never ran
         ("app/models.py", 3, 1, "class Tag")),
        ({"prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id String @id\n}\n'},
         ("prisma/schema.prisma", 5, 1, "Prisma model User")),
        ({"db/schema.sql": "-- loaded by docker-entrypoint-initdb.d\nCREATE TABLE users (id uuid PRIMARY KEY);\n"},
         ("db/schema.sql", 2, 14, "CREATE TABLE users")),
        ({"app/repositories/store.py": 'def init(cursor):\n    cursor.execute("""\n'
          '        CREATE TABLE IF NOT EXISTS users (id text PRIMARY KEY)\n    """)\n'},
         ("app/repositories/store.py", 2, 5, "CREATE TABLE in cursor.execute")),
    ],
    ids=["sqlalchemy", "django-no-migrations", "prisma-db-push", "init-sql", "raw-create-table"],
)
def test_no_migration_tool(tmp_path: Path, files, expected) -> None:
    path, line, column, what = expected
    assert findings(tmp_path, files, "no-migration-tool") == [(
        "AL706", path, line, column,
        (f"{what} defines a database table but the project has no migrations: manage the schema "
         "with a migration tool (Alembic, Django migrations, Prisma Migrate, Flyway …)"),
    )]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        {"app/models.py": MODELS, "alembic.ini": "[alembic]\n", "migrations/env.py": ""},
        {"app/models.py": MODELS, "alembic/env.py": "", "alembic/versions/a1_init.py": 'revision = "a1"\n'},
        {"app/__init__.py": "", "app/models.py": "from django.db import models\n\nclass Tag(models.Model):\n    pass\n",
         "app/migrations/__init__.py": "", "app/migrations/0001_initial.py": ""},
        {"prisma/schema.prisma": "model User {\n  id String @id\n}\n",
         "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE \"User\" (\"id\" TEXT NOT NULL);"},
        {"db/V1__init.sql": "CREATE TABLE users (id uuid PRIMARY KEY);"},  # Flyway
        {"db/000001_init.up.sql": "CREATE TABLE users (id uuid PRIMARY KEY);"},  # golang-migrate
        # no tables at all: pydantic models, an abstract Django model, tests
        {"app/models.py": "from pydantic import BaseModel\n\nclass User(BaseModel):\n    id: str\n",
         "core/models.py": "class Stamped(models.Model):\n    class Meta:\n        abstract = True\n",
         "tests/test_db.py": 'def test_it(db):\n    db.execute("CREATE TABLE t (id int)")\n'},
    ],
    ids=["alembic-ini", "alembic-versions", "django", "prisma-migrate", "flyway", "golang-migrate", "no-tables"],
)
def test_no_migration_tool_look_alikes_are_fine(tmp_path: Path, files) -> None:
    fine(tmp_path, files, "no-migration-tool")


# --- through the CLI, as wired today ---------------------------------------------------------------


def test_python_migrations_through_the_cli(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {"shop/migrations/0001_initial.py": textwrap.dedent("""\
        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(name="Scan", fields=[
                    ("id", models.UUIDField(primary_key=True)),
                    ("pdf", models.BinaryField()),
                ]),
            ]
    """)})  # fmt: skip
    code, out, err = run(["check", str(tmp_path), "--no-cache", "--format", "json", "--select", "AL704"], capsys)
    assert code == 1, err
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in json.loads(out)["findings"]] == [
        ("AL704", "shop/migrations/0001_initial.py", 5, 21),
    ]
