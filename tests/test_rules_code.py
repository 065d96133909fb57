"""Rules that read code facts: for each, one bad case with an exact finding, and at least
three look-alikes that are fine."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree

CONFIG = """\
[components]
routes = ["app.routes"]
services = ["app.services"]
repositories = ["app.repositories"]
"""


def findings(root: Path, capsys, files: dict[str, str], rule: str) -> list[tuple]:
    tree = {
        "archlint.toml": CONFIG,
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/services/__init__.py": "",
        "app/repositories/__init__.py": "",
    }
    tree.update({path: textwrap.dedent(text) for path, text in files.items()})
    write_tree(root, tree)
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", "--select", rule], capsys)
    assert code in (0, 1), err
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(out)["findings"]]


# --- print-logging -------------------------------------------------------------------------


def test_print_in_a_service(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/orders.py": """\
        def create(data):
            print("created", data)
    """}, "print-logging")  # fmt: skip
    assert found == [(
        "AL601", "app/services/orders.py", 2, 5,
        "print() in application code: log through a logger (structured, levelled)",
    )]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        {"app/services/cli.py": 'def main():\n    print("hi")\n\nif __name__ == "__main__":\n    main()\n'},
        {"app/services/tests/test_orders.py": 'def test_it():\n    print("debug")\n'},
        {"scripts/seed.py": 'print("seeding")\n'},  # not an application layer
        {"app/services/orders.py": "import logging\nlogger = logging.getLogger(__name__)\n"
                                   'def create():\n    logger.info("created")\n    pprint = 1\n'},
    ],
    ids=["cli-script", "test-file", "outside-layers", "logger"],
)
def test_print_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "print-logging") == []


# --- n-plus-one-query ----------------------------------------------------------------------


def test_query_in_a_loop(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/repositories/orders.py": """\
        def totals(session, orders):
            result = {}
            for order in orders:
                result[order.id] = session.query(Line).filter(Line.order_id == order.id).all()
            return [session.execute(q) for q in queries]
    """}, "n-plus-one-query")  # fmt: skip
    assert [f[:4] for f in found] == [
        ("AL501", "app/repositories/orders.py", 4, 28),
        ("AL501", "app/repositories/orders.py", 5, 13),
    ]
    assert found[0][4] == (
        "database call session.query() inside the for at line 3 over orders: "
        "one query per item; fetch them in one query (IN, JOIN, prefetch)"
    )
    assert "inside the list comprehension at line 5 over queries" in found[1][4]


@pytest.mark.parametrize(
    "source",
    [
        # one query, then a loop over its rows
        "def f(session):\n    rows = session.query(Line).all()\n    for row in rows:\n        print_row(row)\n",
        # a loop over constants
        'def f(cursor):\n    for table in ("a", "b"):\n        cursor.execute(f"truncate {table}")\n',
        # a loop that only builds the query's parameters
        "def f(session, ids):\n    params = [str(i) for i in ids]\n    return session.execute(stmt, params)\n",
        # a query in a function defined inside a loop body runs later, not per item
        "def f(session, jobs):\n    for job in jobs:\n        def run():\n            return session.query(Job).all()\n        schedule(run)\n",
    ],
    ids=["query-then-loop", "constants", "params-only", "deferred-def"],
)
def test_n_plus_one_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/repositories/orders.py": source}
    assert findings(tmp_path, capsys, files, "n-plus-one-query") == []


# --- local-file-write ----------------------------------------------------------------------


def test_local_file_write(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/avatars.py": """\
        from pathlib import Path
        def save(user_id, data):
            with open(f"/var/app/{user_id}.png", "wb") as handle:
                handle.write(data)
            Path("/tmp/last").write_text(user_id)
    """}, "local-file-write")  # fmt: skip
    assert [f[:4] for f in found] == [
        ("AL505", "app/services/avatars.py", 3, 10),
        ("AL505", "app/services/avatars.py", 5, 5),
    ]
    assert found[0][4].startswith("writes a local file (open(..., 'wb')): keep files in")


@pytest.mark.parametrize(
    "source",
    [
        'def load(path):\n    with open(path) as handle:\n        return handle.read()\n',
        'def load(path):\n    with open(path, "rb") as handle:\n        return handle.read()\n',
        "def send(response, data):\n    response.write(data)\n",  # a stream, not a file
        'def save(storage, key, data):\n    storage.put_object(Bucket="b", Key=key, Body=data)\n',
    ],
    ids=["read-default", "read-binary", "stream-write", "object-storage"],
)
def test_local_file_write_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/services/files.py": source}
    assert findings(tmp_path, capsys, files, "local-file-write") == []


def test_rule_options_narrow_the_layers(tmp_path: Path, capsys) -> None:
    files = {"app/services/orders.py": 'def create():\n    print("x")\n'}
    write_tree(tmp_path, {"archlint.toml": CONFIG + '\n[rules.print-logging]\nlayers = ["routes"]\n'})
    tree = {
        "app/__init__.py": "", "app/services/__init__.py": "", "app/routes/__init__.py": "",
        "app/repositories/__init__.py": "", **files,
    }  # fmt: skip
    write_tree(tmp_path, tree)
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--select", "AL601"], capsys)
    assert (code, out) == (0, "All checks passed (5 files checked).\n")


def test_rules_nobody_selected_do_not_run(tmp_path: Path, capsys, monkeypatch) -> None:
    """--select AL1 (contracts only) must not pay for code facts: no rule asks for them."""

    def no_code(self, path: str, triggers: tuple = ()):  # noqa: ANN001, ANN202
        raise AssertionError(f"code facts of {path} were computed")

    monkeypatch.setattr("archlint.code_store.CodeFactsStore.get", no_code)
    files = {"app/services/orders.py": 'def create():\n    print("x")\n'}
    assert findings(tmp_path, capsys, files, "AL1") == []
    with pytest.raises(AssertionError, match="code facts of app/.* were computed"):
        findings(tmp_path, capsys, files, "AL601")


def test_console_log_in_a_typescript_service(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "archlint.toml": '[components]\nservices = ["server/services/**"]\n',
        "server/services/orders.ts": (
            "export async function create(data: Order) {\n"
            '  console.log("created", data);\n'
            '  console.error("kept: errors may go to stderr");\n'
            "}\n"
        ),
        "server/scripts/seed.ts": 'console.log("seeding");\n',  # not a service
    })  # fmt: skip
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--select", "print-logging"], capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "server/services/orders.ts:2:3: AL601 console.log() in application code: log through "
        "a logger (structured, levelled)"
    )
    assert "Found 1 finding" in out


# --- db-access-outside-repository: query calls ---------------------------------------------

DB_TAIL = " outside the repositories: move the query into a repository and call it"


def test_queries_outside_python_repositories(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/orders.py": """\
        from sqlalchemy import select

        def open_orders(session, cursor):
            rows = session.execute(select(Order).where(Order.status == "open")).scalars().all()
            first = User.objects.filter(active=True).first()
            cursor.execute("update orders set seen = 1")
            return db.session.query(Order).count()
    """}, "db-access-outside-repository")  # fmt: skip
    assert found == [
        ("AL203", "app/services/orders.py", 1, 24,
         ("imports the database client sqlalchemy.select outside the repositories: move the "
          "queries into a repository and call it")),
        ("AL203", "app/services/orders.py", 4, 12, "queries the database (session.execute())" + DB_TAIL),
        ("AL203", "app/services/orders.py", 5, 13,
         "queries the database (User.objects.filter().first())" + DB_TAIL),
        ("AL203", "app/services/orders.py", 6, 5, "queries the database (cursor.execute())" + DB_TAIL),
        ("AL203", "app/services/orders.py", 7, 12, "queries the database (db.session.query())" + DB_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # the repository runs the queries
        {"app/repositories/orders.py": "def open_orders(session):\n"
                                       "    return session.query(Order).filter_by(open=True).all()\n"},
        # a service calling a repository, and look-alike names that are no queries
        {"app/services/orders.py": "def create(self, orders, data):\n"
                                   "    self.objects.append(data)\n"
                                   "    self.session_cache.get(data.id)\n"
                                   "    return orders.add(Order(**data))\n"},
        # a test of a service
        {"app/services/tests/test_orders.py": "def test_it(session):\n"
                                              "    assert session.query(Order).count() == 0\n"},
        # a route handler calling a service
        {"app/routes/orders.py": "@router.get('/orders')\ndef list_orders():\n"
                                 "    return orders_service.open_orders()\n"},
    ],
    ids=["repository", "service", "test-file", "route-calls-service"],
)
def test_db_access_python_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "db-access-outside-repository") == []


# --- import rules: one finding per import line ------------------------------------------------


def test_one_import_line_of_several_names_is_one_finding(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "app/services/posts.py": """\
            from fastapi import HTTPException, status
            from fastapi import Depends
            import fastapi.responses, starlette.requests
            """,
    }, "service-imports-web-framework")  # fmt: skip
    assert [(line, column, message.split(":")[0]) for _, _, line, column, message in found] == [
        (1, 21, "service imports the web framework fastapi.HTTPException, fastapi.status"),
        (2, 21, "service imports the web framework fastapi.Depends"),
        (3, 8, "service imports the web framework fastapi.responses"),
        (3, 27, "service imports the web framework starlette.requests"),
    ]
