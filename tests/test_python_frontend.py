"""The Python frontend: exact import sites, and no exception escaping on any input."""

from __future__ import annotations

import ast
import sys
import warnings
from pathlib import Path

import pytest

from archlint.facts import FileFacts
from archlint.frontends import python as python_frontend
from archlint.frontends.python import PARSER_VERSION, parse_python

Site = tuple[str, "str | None", int, int, int, str]


def sites(source: str | bytes) -> list[Site]:
    data = source.encode("utf-8") if isinstance(source, str) else source
    facts = parse_python(data)
    assert facts.problem is None, facts.problem
    assert facts.language == "python"
    return [(s.module, s.name, s.level, s.line, s.column, s.kind) for s in facts.imports]


def problem(data: bytes) -> tuple[str, int, int]:
    facts = parse_python(data)
    assert facts.problem is not None
    assert facts.imports == ()
    return (facts.problem.message, facts.problem.line, facts.problem.column)


def test_parser_version_is_a_string_constant() -> None:
    assert PARSER_VERSION == "python-ast-2"


# --- static import forms --------------------------------------------------------------


def test_plain_imports() -> None:
    assert sites("import a.b.c\nimport a.b as c\nimport x, y as z\n") == [
        ("a.b.c", None, 0, 1, 8, "import"),
        ("a.b", None, 0, 2, 8, "import"),
        ("x", None, 0, 3, 8, "import"),
        ("y", None, 0, 3, 11, "import"),
    ]


def test_from_imports_one_site_per_name() -> None:
    assert sites("from a.b import c, d as e\n") == [
        ("a.b", "c", 0, 1, 17, "import"),
        ("a.b", "d", 0, 1, 20, "import"),
    ]


def test_relative_and_star_imports() -> None:
    source = "from . import x\nfrom ..pkg.mod import y\nfrom .m import *\nfrom ... import z\n"
    assert sites(source) == [
        ("", "x", 1, 1, 15, "import"),
        ("pkg.mod", "y", 2, 2, 23, "import"),
        ("m", "*", 1, 3, 16, "import"),
        ("", "z", 3, 4, 17, "import"),
    ]


def test_future_import_is_an_ordinary_site() -> None:
    assert sites("from __future__ import annotations\n") == [
        ("__future__", "annotations", 0, 1, 24, "import"),
    ]


def test_multiline_parenthesised_from_import_locates_each_name() -> None:
    source = "from pkg.mod import (\n    alpha,\n        beta as b,\n    gamma)\n"
    assert sites(source) == [
        ("pkg.mod", "alpha", 0, 2, 5, "import"),
        ("pkg.mod", "beta", 0, 3, 9, "import"),
        ("pkg.mod", "gamma", 0, 4, 5, "import"),
    ]


def test_backslash_continuation_inside_a_function() -> None:
    source = "def f():\n    from a \\\n        import b\n"
    assert sites(source) == [("a", "b", 0, 3, 16, "import")]


def test_column_counts_characters_on_non_ascii_lines() -> None:
    # "é" is two bytes and "𝄞" four in UTF-8; ast reports byte offsets.
    source = 's = "é𝄞"; import os\nt = "é"; from a import (b,\n  c)\nimport d\n'
    assert sites(source) == [
        ("os", None, 0, 1, 18, "import"),
        ("a", "b", 0, 2, 25, "import"),
        ("a", "c", 0, 3, 3, "import"),
        ("d", None, 0, 4, 8, "import"),
    ]


def test_column_with_a_declared_non_utf8_encoding() -> None:
    data = b"# -*- coding: latin-1 -*-\ns = '\xe9\xe9'; import os\n"
    assert sites(data) == [("os", None, 0, 2, 18, "import")]


def test_crlf_and_cr_line_endings() -> None:
    assert sites(b"import a\r\n\r\ndef f():\r\n    import b\r\n") == [
        ("a", None, 0, 1, 8, "import"),
        ("b", None, 0, 4, 12, "import"),
    ]
    assert sites(b"x = 1\rdef f():\r    import b\r") == [("b", None, 0, 3, 12, "import")]


def test_bom_is_not_counted_in_columns() -> None:
    assert sites(b"\xef\xbb\xbfimport os\nimport sys\n") == [
        ("os", None, 0, 1, 8, "import"),
        ("sys", None, 0, 2, 8, "import"),
    ]


def test_imports_nested_in_every_compound_statement_are_kept() -> None:
    source = """\
class K:
    import a
    def m(self):
        import b
        try:
            import c
        except ImportError:
            import d
        else:
            import e
        finally:
            import f
        for x in y:
            import g
        else:
            import h
        while x:
            import i
        else:
            import j
        with x as y:
            import k
        if x:
            import l
        elif y:
            import m
        else:
            import n
        match x:
            case 1:
                import o
            case _:
                import p
async def af():
    async with x:
        import q
    async for x in y:
        import r
"""
    names = [(module, line, column) for module, _, _, line, column, _ in sites(source)]
    expected_lines = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 31, 33, 36, 38]
    assert [name for name, _, _ in names] == list("abcdefghijklmnopqr")
    assert [line for _, line, _ in names] == expected_lines
    assert names[0][2] == 12 and names[1][2] == 16 and names[14][2] == 24


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")
def test_imports_in_except_star_handlers() -> None:
    source = "try:\n    import a\nexcept* ValueError:\n    import b\nelse:\n    import c\n"
    assert sites(source) == [
        ("a", None, 0, 2, 12, "import"),
        ("b", None, 0, 4, 12, "import"),
        ("c", None, 0, 6, 12, "import"),
    ]


def test_without_line_pruning_the_same_sites_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "class K:\n    def m(self):\n        if TYPE_CHECKING:\n            import a\n"
    source += "        x = import_module('b')\n"
    expected = [("a", None, 0, 4, 20, "type_only"), ("b", None, 0, 5, 27, "dynamic")]
    assert sites(source) == expected
    monkeypatch.setattr(python_frontend, "_ascii_compatible", lambda encoding: False)
    assert sites(source) == expected


# --- TYPE_CHECKING --------------------------------------------------------------------


def test_type_checking_body_is_type_only_and_else_is_not() -> None:
    source = """\
from typing import TYPE_CHECKING
import typing
if TYPE_CHECKING:
    from a import b
    if x:
        import c
else:
    import d
if typing.TYPE_CHECKING:
    import e
import f
"""
    assert sites(source) == [
        ("typing", "TYPE_CHECKING", 0, 1, 20, "import"),
        ("typing", None, 0, 2, 8, "import"),
        ("a", "b", 0, 4, 19, "type_only"),
        ("c", None, 0, 6, 16, "type_only"),
        ("d", None, 0, 8, 12, "import"),
        ("e", None, 0, 10, 12, "type_only"),
        ("f", None, 0, 11, 8, "import"),
    ]


def test_not_type_checking_flips_the_branches() -> None:
    source = """\
if not t.TYPE_CHECKING:
    import a
elif x:
    import b
else:
    import c
"""
    assert sites(source) == [
        ("a", None, 0, 2, 12, "import"),
        ("b", None, 0, 4, 12, "type_only"),
        ("c", None, 0, 6, 12, "type_only"),
    ]


def test_type_checking_inside_a_function_and_nested_not() -> None:
    source = """\
def f():
    if TYPE_CHECKING:
        if not TYPE_CHECKING:
            import a
        import b
    import c
"""
    assert sites(source) == [
        ("a", None, 0, 4, 20, "type_only"),
        ("b", None, 0, 5, 16, "type_only"),
        ("c", None, 0, 6, 12, "import"),
    ]


def test_other_conditions_are_not_type_checking() -> None:
    source = "if TYPE_CHECKING_X or y:\n    import a\nif not x:\n    pass\nelse:\n    import b\n"
    assert sites(source) == [
        ("a", None, 0, 2, 12, "import"),
        ("b", None, 0, 6, 12, "import"),
    ]


# --- dynamic imports ------------------------------------------------------------------


def test_dynamic_imports_with_literal_names() -> None:
    source = """\
import importlib
m = importlib.import_module("a.b")
n = import_module('c')
o = __import__("d.e")
p = import_module(name="f")
"""
    assert sites(source) == [
        ("importlib", None, 0, 1, 8, "import"),
        ("a.b", None, 0, 2, 29, "dynamic"),
        ("c", None, 0, 3, 19, "dynamic"),
        ("d.e", None, 0, 4, 16, "dynamic"),
        ("f", None, 0, 5, 24, "dynamic"),
    ]


def test_relative_dynamic_imports_need_a_package() -> None:
    source = """\
a = import_module("..x.y", package=__package__)
b = importlib.import_module(".z", __package__)
c = import_module(".no_package")
d = __import__("w", globals(), None, [], 2)
e = __import__("v", level=1)
"""
    assert sites(source) == [
        ("x.y", None, 2, 1, 19, "dynamic"),
        ("z", None, 1, 2, 29, "dynamic"),
        ("w", None, 2, 4, 16, "dynamic"),
        ("v", None, 1, 5, 16, "dynamic"),
    ]


def test_non_literal_dynamic_imports_are_never_guessed() -> None:
    source = """\
a = import_module(name)
b = import_module(f"pkg.{name}")
c = import_module("pkg." + name)
d = __import__(name)
e = importlib.import_module(modname, package="x")
f = other.import_module("looks.like.one")
g = import_module("")
"""
    assert sites(source) == []


def test_dynamic_imports_in_headers_and_nested_scopes() -> None:
    source = """\
@register(import_module("deco"))
def f(arg=__import__("default")):
    try:
        pass
    except import_module("exc").Error:
        class K(import_module("base").Base):
            x = [import_module("inner") for _ in y]
"""
    assert sites(source) == [
        ("deco", None, 0, 1, 25, "dynamic"),
        ("default", None, 0, 2, 22, "dynamic"),
        ("exc", None, 0, 5, 26, "dynamic"),
        ("base", None, 0, 6, 31, "dynamic"),
        ("inner", None, 0, 7, 32, "dynamic"),
    ]


def test_dynamic_sites_are_sorted_among_static_ones() -> None:
    source = "import a\nx = import_module('b')\nimport c\n"
    assert [module for module, *_ in sites(source)] == ["a", "b", "c"]


# --- bad input ------------------------------------------------------------------------


def test_empty_file() -> None:
    assert parse_python(b"") == FileFacts(language="python")


def test_syntax_error_mid_file() -> None:
    data = b"import os\n\ndef f(:\n    pass\nimport sys\n"
    assert problem(data) == ("syntax error: invalid syntax", 3, 7)


def test_indentation_error_keeps_cpythons_wording() -> None:
    assert problem(b"import os\n  import sys\n") == ("syntax error: unexpected indent", 2, 2)


def test_latin1_bytes_without_cookie() -> None:
    message, line, column = problem(b"import os\n\ns = 'caf\xe9'\n")
    assert message.startswith("file is not valid UTF-8")
    assert "0xe9" in message
    assert (line, column) == (3, 9)


def test_latin1_bytes_with_cookie_parse() -> None:
    data = b"# -*- coding: latin-1 -*-\ns = 'caf\xe9'\nimport os\n"
    assert sites(data) == [("os", None, 0, 3, 8, "import")]


def test_bytes_undecodable_with_the_declared_encoding() -> None:
    message, line, _ = problem(b"# coding: ascii\nimport os\ns = '\xe9'\n")
    assert message.startswith("file cannot be decoded with its declared encoding 'ascii'")
    assert line == 3


def test_unknown_coding_cookie() -> None:
    assert problem(b"#!/usr/bin/env python\n# coding: klingon\nimport os\n") == (
        "bad coding declaration: unknown encoding: klingon",
        2,
        1,
    )


def test_bom_contradicting_the_cookie() -> None:
    message, line, _ = problem(b"\xef\xbb\xbf# coding: latin-1\nimport os\n")
    assert message.startswith("bad coding declaration:")
    assert line == 1


def test_nul_bytes_mean_a_binary_file() -> None:
    assert problem(b"import os\n\x00\x01\x02") == ("binary file (contains NUL bytes)", 1, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"(" * 200000,
        b"-" * 200000 + b"1",
        pytest.param(
            b"1" + b"+1" * 200000,
            # CPython 3.10 itself segfaults building this AST; 3.11+ raises RecursionError.
            marks=pytest.mark.skipif(sys.version_info < (3, 11), reason="CPython 3.10 crash"),
        ),
        b"[" * 100 + b"]" * 99,
    ],
    ids=["parens", "unary", "binop", "unclosed"],
)
def test_absurd_nesting_is_a_problem_not_a_crash(data: bytes) -> None:
    message, line, column = problem(data)
    assert message
    assert line >= 1 and column >= 1


def test_invalid_escape_does_not_fail_even_with_warnings_as_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sites(b"x = '\\d'\nimport a\n") == [("a", None, 0, 2, 8, "import")]


def test_invalid_escape_in_valid_utf8_stays_a_syntax_error() -> None:
    message, line, _ = problem(b"import os\nx = '\\x4'\n")
    assert message.startswith("syntax error: (unicode error)")
    assert line == 2


# --- real code ------------------------------------------------------------------------


def _reference_sites(tree: ast.AST) -> list[tuple[str, str, int, int]]:
    """A slow, obviously complete reference: every Import/ImportFrom node anywhere."""
    found: list[tuple[str, str, int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, "", 0, a.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.module or "", a.name, node.level, a.lineno) for a in node.names]
    return sorted(found)


def test_all_of_django_parses_and_matches_a_full_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    django = pytest.importorskip("django")
    files = sorted(Path(django.__file__).parent.rglob("*.py"))
    assert len(files) > 500
    datas = [path.read_bytes() for path in files]
    pruned = [parse_python(data) for data in datas]
    # Without line pruning every statement is visited: the pruning must lose nothing.
    monkeypatch.setattr(python_frontend, "_ascii_compatible", lambda encoding: False)
    assert [parse_python(data) for data in datas] == pruned
    total = dynamic = 0
    for path, data, facts in zip(files, datas, pruned):
        assert facts.problem is None, (path, facts.problem)
        static = [s for s in facts.imports if s.kind != "dynamic"]
        got = sorted((s.module, s.name or "", s.level, s.line) for s in static)
        assert got == _reference_sites(ast.parse(data)), path
        total += len(facts.imports)
        dynamic += len(facts.imports) - len(static)
    assert 4000 < total < 12000
    assert dynamic >= 1


def test_any_other_exception_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(ast, "parse", explode)
    assert problem(b"import os\n") == ("cannot parse: ValueError: boom", 1, 1)
