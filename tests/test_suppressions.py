"""Inline suppressions (`# archlint: ignore[...]`, `// archlint-ignore ...`), the
unused-suppression rule (AL004) and `check --add-suppressions`, with exact expectations."""

from __future__ import annotations

import json
import marshal
import textwrap
from pathlib import Path

import pytest

from archlint.facts import FileFacts, Suppression
from archlint.frontends.javascript import parse_javascript, parse_tsx, parse_typescript
from archlint.frontends.python import parse_python
from tests.test_cli import run, write_tree

SERVICES = '[components]\nservices = ["app.services"]\n'
PRINT = "print() in application code: log through a logger (structured, levelled)"
NO_RULE = "suppression names no rule: write the codes to ignore, e.g. "
NO_RULE_PY = NO_RULE + "'# archlint: ignore[AL301]'"
NO_RULE_JS = NO_RULE + "'// archlint-ignore AL301'"
BAD_WORD = (
    "unknown directive 'archlint: ignore-line': use 'archlint: ignore' or 'archlint: ignore-file'"
)
TOKEN = (
    "localStorage.setItem('token', t) keeps a token in localStorage (the key says 'token'): "
    "any script on the page (an XSS, a compromised package) can read it; keep tokens in an "
    "HttpOnly, Secure cookie or in memory"
)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def check(root: Path, capsys, *args: str) -> tuple[int, list[tuple], str]:
    code, out, err = run(["check", str(root), "--format", "json", *args], capsys)
    assert code in (0, 1), err
    found = [(f["code"], f["path"], f["line"], f["column"], f["message"])
             for f in json.loads(out)["findings"]]  # fmt: skip
    return code, found, err


def python_project(root: Path, service: str, config: str = SERVICES) -> Path:
    return write_tree(root, {
        "archlint.toml": config,
        "app/__init__.py": "",
        "app/services/__init__.py": "",
        "app/services/orders.py": dedent(service),
    })  # fmt: skip


def web_project(root: Path, files: dict[str, str]) -> Path:
    tree = {"web/package.json": '{"name": "web", "private": true}\n'}
    tree.update({path: dedent(text) for path, text in files.items()})
    return write_tree(root, tree)


# --- reading suppressions from comments -------------------------------------------------


def test_python_comments_by_tokenizer_never_strings() -> None:
    source = dedent('''
        import os  # archlint: ignore[AL101, forbidden-import]  the reason
        # archlint: ignore[print-logging]
        print("x")
        s = "# archlint: ignore[AL601]"
        t = """
        # archlint: ignore[AL602]
        """  # archlint: ignore[AL203]
        x = 1 + \\
            2  # noqa: E501  # archlint: ignore[AL504]
        y = 1  # archlint: ignore
        # archlint: ignore-file[AL601]
        # archlint: ignore-line[AL601]
    ''')
    assert parse_python(source.encode()).suppressions == (
        Suppression("AL101", 1, 31, 1, 1),
        Suppression("forbidden-import", 1, 38, 1, 1),
        Suppression("print-logging", 2, 20, 3, 3),
        Suppression("AL203", 7, 25, 5, 7),  # the whole string: no comment fits inside
        Suppression("AL504", 9, 41, 8, 9),  # both lines joined by the backslash
        Suppression("", 10, 8, 10, 10, NO_RULE_PY),
        Suppression("AL601", 11, 25, 0, 0),
        Suppression("", 12, 1, 13, 13, BAD_WORD),
    )
    # no mention of archlint: the tokenizer never runs
    assert parse_python(b"x = 1  # noqa\n").suppressions == ()


def test_javascript_comments_by_tree_sitter_never_strings_or_jsx_text() -> None:
    source = dedent("""
        import a from "a"; // archlint-ignore AL102, layers -- the reason
        const s = "// archlint-ignore AL999";
        /* archlint-ignore AL301 */
        const q = `
        // archlint-ignore AL998
        ${f()}`;
        const t = `
        x`; // archlint-ignore token-in-web-storage
        // archlint-ignore
        // archlint-ignore-file print-logging
        const el = (
          <div>
            {/* archlint-ignore AL301 */}
            <Foo />
            // archlint-ignore AL997
          </div>
        );
    """).encode()
    expected = (
        Suppression("AL102", 1, 39, 1, 1),
        Suppression("layers", 1, 46, 1, 1),
        Suppression("AL301", 3, 20, 4, 6),  # the next line starts a template: all of it
        Suppression("token-in-web-storage", 8, 24, 7, 8),
        Suppression("", 9, 1, 10, 10, NO_RULE_JS),
        Suppression("print-logging", 10, 25, 0, 0),
        Suppression("AL301", 13, 25, 14, 14),  # `{/* … */}` alone among JSX children
    )
    assert parse_tsx(source).suppressions == expected
    assert parse_javascript(source).suppressions == expected
    plain = b"const a = 1; // archlint-ignore AL601\n"
    assert parse_typescript(plain).suppressions == (Suppression("AL601", 1, 33, 1, 1),)


def test_suppressions_survive_the_cache_record() -> None:
    facts = parse_python(b"import os  # archlint: ignore[AL101]\n# archlint: ignore\n")
    assert len(facts.suppressions) == 2
    assert FileFacts.from_record(marshal.loads(marshal.dumps(facts.to_record()))) == facts


# --- checking -------------------------------------------------------------------------

SERVICE = """
    def handler(data):
        print("a")  # archlint: ignore[AL601]
        # archlint: ignore[print-logging]
        print("b")
        s = "# archlint: ignore[AL601]"; print(s)
        print("c")  # archlint: ignore[print-loging]
        n = 1  # archlint: ignore[AL601, AL403]
        return n  # archlint: ignore[AL004]
"""


def test_python_same_line_line_above_strings_unused_and_unknown(tmp_path: Path, capsys) -> None:
    code, found, _ = check(python_project(tmp_path, SERVICE), capsys, "--no-cache")
    path = "app/services/orders.py"
    unknown = "unknown rule 'print-loging' in suppression (did you mean 'print-logging'?)"
    unused = "unused suppression 'AL601': no AL601 (print-logging) finding on line 7"
    itself = "'AL004' cannot be suppressed on a line: use ignore-file or --ignore AL004"
    assert (code, found) == (1, [
        ("AL601", path, 5, 38, PRINT),  # the comment is in a string: not a suppression
        ("AL601", path, 6, 5, PRINT),
        ("AL004", path, 6, 36, unknown),
        ("AL004", path, 7, 31, unused),  # AL403 on the same line is off by default: not unused
        ("AL004", path, 8, 34, itself),
    ])  # fmt: skip


def test_deselected_rule_is_not_unused(tmp_path: Path, capsys) -> None:
    python_project(tmp_path, SERVICE)
    _, found, _ = check(tmp_path, capsys, "--no-cache", "--ignore", "AL601")
    assert [(f[0], f[2]) for f in found] == [("AL004", 6), ("AL004", 8)]  # no "unused" on 7
    _, found, _ = check(tmp_path, capsys, "--no-cache", "--select", "AL601")
    assert [(f[0], f[2]) for f in found] == [("AL601", 5), ("AL601", 6)]  # AL004 not selected


def test_file_level_and_ignore_file_unused_suppression(tmp_path: Path, capsys) -> None:
    python_project(tmp_path, """
        # archlint: ignore-file[print-logging, AL004]
        def handler(data):
            print("a")
            return 1  # archlint: ignore[AL999]
    """)  # fmt: skip
    assert check(tmp_path, capsys, "--no-cache")[:2] == (0, [])
    python_project(tmp_path, """
        # archlint: ignore-file[AL601, AL203]
        def handler(data):
            return 1
    """)  # fmt: skip
    path = "app/services/orders.py"
    first = "unused suppression 'AL601': no AL601 (print-logging) finding in this file"
    second = (
        "unused suppression 'AL203': no AL203 (db-access-outside-repository) finding in this file"
    )
    assert check(tmp_path, capsys, "--no-cache")[1] == [
        ("AL004", path, 1, 25, first),
        ("AL004", path, 1, 32, second),
    ]


def test_typescript_and_tsx(tmp_path: Path, capsys) -> None:
    web_project(tmp_path, {
        "web/src/auth.ts": """
            export function save(t: string) {
              localStorage.setItem("token", t); // archlint-ignore AL301 -- legacy
              /* archlint-ignore token-in-web-storage */
              localStorage.setItem("token", t);
              const s = "// archlint-ignore AL301"; localStorage.setItem("token", t);
              localStorage.setItem("token", t);
            }
        """,
        "web/src/Page.tsx": """
            // archlint-ignore-file AL301
            export const Page = ({ t }: { t: string }) => (
              <div>
                <button onClick={() => localStorage.setItem("token", t)} />
              </div>
            );
        """,
        "web/src/Other.tsx": """
            export const Other = ({ t }: { t: string }) => (
              <div>
                {/* archlint-ignore AL301 */}
                <button onClick={() => localStorage.setItem("token", t)} />
                <a onClick={() => localStorage.setItem("token", t)} />
              </div>
            ); // archlint-ignore AL301
        """,
    })  # fmt: skip
    code, found, _ = check(tmp_path, capsys, "--no-cache")
    unused = "unused suppression 'AL301': no AL301 (token-in-web-storage) finding on line 7"
    assert (code, found) == (1, [
        ("AL301", "web/src/Other.tsx", 5, 23, TOKEN),
        ("AL004", "web/src/Other.tsx", 7, 23, unused),
        ("AL301", "web/src/auth.ts", 5, 41, TOKEN),
        ("AL301", "web/src/auth.ts", 6, 3, TOKEN),
    ])  # fmt: skip


LAYERED = """\
[components]
routes = ["app.routes"]
repositories = ["app.repositories"]

[[contracts]]
name = "Backend layers"
type = "layers"
layers = ["routes", "repositories"]
"""


def test_contract_finding_suppressed_at_its_import_line(tmp_path: Path, capsys) -> None:
    files = {
        "archlint.toml": LAYERED,
        "app/__init__.py": "",
        "app/helpers.py": "from app.routes import users\n",
        "app/routes/__init__.py": "",
        "app/routes/users.py": "",
        "app/repositories/__init__.py": "",
        "app/repositories/users.py": "import os\nfrom app import helpers\n",
    }
    write_tree(tmp_path, files)
    code, found, _ = check(tmp_path, capsys, "--no-cache")
    assert code == 1 and [(f[0], f[1], f[2]) for f in found] == [
        ("AL101", "app/repositories/users.py", 2)  # via app.helpers: an import chain
    ]
    suppressed = "import os\nfrom app import helpers  # archlint: ignore[layers]\n"
    write_tree(tmp_path, {"app/repositories/users.py": suppressed})
    assert check(tmp_path, capsys, "--no-cache")[:2] == (0, [])


def test_warm_runs_give_what_cold_runs_give(tmp_path: Path, capsys, monkeypatch) -> None:
    python_project(tmp_path, SERVICE)
    other = "def f():\n    print(1)  # archlint: ignore[AL601]\n"
    write_tree(tmp_path, {"app/services/other.py": other})
    cold = check(tmp_path, capsys, "--no-cache")
    assert check(tmp_path, capsys) == cold  # fills the cache
    assert check(tmp_path, capsys) == cold  # from the cache (or replayed)
    # Edit one file: the other's suppressions come from its cached facts, not a new scan.
    import archlint.frontends.python as python_frontend

    scanned: list[bytes] = []
    real = python_frontend.scan_python
    monkeypatch.setattr(
        python_frontend, "scan_python", lambda data: scanned.append(data) or real(data)
    )
    edited = dedent(SERVICE).replace('print("a")  # archlint: ignore[AL601]', 'print("a")')
    write_tree(tmp_path, {"app/services/orders.py": edited})
    code, found, _ = check(tmp_path, capsys)
    assert scanned == [edited.encode()]
    assert code == 1 and found[0] == ("AL601", "app/services/orders.py", 2, 5, PRINT)
    assert found[1:] == cold[1]


# --- --add-suppressions -----------------------------------------------------------------

PY_BEFORE = '''
    import os


    def handler(data):
        print("a")  # keep this comment
        print(  "b" )   # archlint: ignore[AL403]
        text = f"""
        {print("c")}
        """
        total = print("d") + \\
            1
        return print(
            "e",
        )
'''
PY_AFTER = '''
    import os


    def handler(data):
        print("a")  # keep this comment  # archlint: ignore[AL601]
        print(  "b" )   # archlint: ignore[AL403, AL601]
        text = f"""
        {print("c")}
        """  # archlint: ignore[AL601]
        total = print("d") + \\
            1  # archlint: ignore[AL601]
        return print(  # archlint: ignore[AL601]
            "e",
        )
'''


def test_add_suppressions_python_round_trip(tmp_path: Path, capsys) -> None:
    python_project(tmp_path, PY_BEFORE)
    target = tmp_path / "app/services/orders.py"
    code, found, err = check(tmp_path, capsys, "--add-suppressions")
    assert (code, found, err) == (0, [], "archlint: added 5 suppressions\n")
    assert target.read_text() == dedent(PY_AFTER)  # formatting and comments kept
    code, found, err = check(tmp_path, capsys, "--add-suppressions")
    assert (code, found, err) == (0, [], "archlint: added 0 suppressions\n")
    assert target.read_text() == dedent(PY_AFTER)
    assert check(tmp_path, capsys, "--no-cache")[:2] == (0, [])


def test_add_suppressions_leaves_what_it_cannot_suppress(tmp_path: Path, capsys) -> None:
    python_project(tmp_path, 'def f():\n    print("a")  # archlint: ignore[AL999]\n')
    code, found, err = check(tmp_path, capsys, "--add-suppressions")
    assert err == "archlint: added 1 suppression\n"
    assert (code, [f[:3] for f in found]) == (1, [("AL004", "app/services/orders.py", 2)])
    assert (tmp_path / "app/services/orders.py").read_text() == (
        'def f():\n    print("a")  # archlint: ignore[AL999, AL601]\n'
    )


TS_BEFORE = """
    export function save(t: string) {
      localStorage.setItem("token", t);
      const q = `
        ${localStorage.setItem("token", t)}
      `;
      // archlint-ignore AL403
      localStorage.setItem("token", t);
    }
"""
TS_AFTER = """
    export function save(t: string) {
      // archlint-ignore AL301
      localStorage.setItem("token", t);
      // archlint-ignore AL301
      const q = `
        ${localStorage.setItem("token", t)}
      `;
      // archlint-ignore AL403, AL301
      localStorage.setItem("token", t);
    }
"""
TSX_BEFORE = """
    export const Page = ({ t }: { t: string }) => (
      <div
        onClick={() => localStorage.setItem("token", t)}
      >
        <button onClick={() => localStorage.setItem("token", t)} />
        {t && (
          <a onClick={() => localStorage.setItem("token", t)} />
        )}
      </div>
    );
"""
TSX_AFTER = """
    export const Page = ({ t }: { t: string }) => (
      <div
        // archlint-ignore AL301
        onClick={() => localStorage.setItem("token", t)}
      >
        {/* archlint-ignore AL301 */}
        <button onClick={() => localStorage.setItem("token", t)} />
        {t && (
          // archlint-ignore AL301
          <a onClick={() => localStorage.setItem("token", t)} />
        )}
      </div>
    );
"""


def test_add_suppressions_typescript_and_tsx(tmp_path: Path, capsys) -> None:
    web_project(tmp_path, {"web/src/auth.ts": TS_BEFORE, "web/src/Page.tsx": TSX_BEFORE})
    code, found, err = check(tmp_path, capsys, "--add-suppressions")
    assert (code, found, err) == (0, [], "archlint: added 6 suppressions\n")
    assert (tmp_path / "web/src/auth.ts").read_text() == dedent(TS_AFTER)
    assert (tmp_path / "web/src/Page.tsx").read_text() == dedent(TSX_AFTER)
    assert parse_tsx(dedent(TSX_AFTER).encode()).problem is None  # still valid TSX
    code, found, err = check(tmp_path, capsys, "--add-suppressions")
    assert (code, found, err) == (0, [], "archlint: added 0 suppressions\n")
    assert (tmp_path / "web/src/Page.tsx").read_text() == dedent(TSX_AFTER)
    assert check(tmp_path, capsys, "--no-cache")[:2] == (0, [])


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_add_suppressions_keeps_line_endings(tmp_path: Path, capsys, newline: str) -> None:
    source = dedent(TS_BEFORE).replace("\n", newline)
    web_project(tmp_path, {})
    (tmp_path / "web/src").mkdir()
    (tmp_path / "web/src/auth.ts").write_bytes(source.encode())
    assert check(tmp_path, capsys, "--add-suppressions")[0] == 0
    written = (tmp_path / "web/src/auth.ts").read_bytes().decode()
    assert written == dedent(TS_AFTER).replace("\n", newline)
