"""The fast spelling of type annotations (python_values._type_text) is ast.unparse's, or
nothing: checked on tricky shapes and on every expression of real code (parts of the
standard library and Django), with ast.unparse as the oracle."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest

from archlint.frontends.python_values import _type_text, annotation_text

TRICKY = ["(int | TV)[int]", "x[()]", "x[a,]", "a[b][c]", "Optional['Foo']", "a().b[c]",
          "a | (b | c)", "a | b | None", "dict[str, list[int | None]]", "x[1]", "x[a:b]",
          "typing.Optional[pkg.mod.T]", "x[*ts]", "a.b | c[d]", "(a, b)", "None | int"]  # fmt: skip


def _check(tree: ast.AST) -> int:
    spelled = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.expr):
            text = _type_text(node)
            if text:
                assert text == ast.unparse(node), ast.dump(node)
                spelled += 1
    return spelled


@pytest.mark.parametrize("source", TRICKY)
def test_tricky_shapes(source: str) -> None:
    node = ast.parse(source, mode="eval").body
    text = _type_text(node)
    assert text in ("", ast.unparse(node))
    assert annotation_text(node) == (node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node))


def test_the_common_shapes_take_the_fast_path() -> None:
    for source in ("list[User]", "dict[str, int]", "User | None", "a.b.C[d.E, F] | None"):
        assert _type_text(ast.parse(source, mode="eval").body) == source


def test_real_code() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = [stdlib / "typing.py", *sorted((stdlib / "asyncio").glob("*.py")),
             *sorted((stdlib / "email").glob("*.py"))]  # fmt: skip
    try:
        import django

        files += sorted(Path(django.__file__).parent.glob("db/models/*.py"))
    except ImportError:
        pass
    spelled = sum(_check(ast.parse(path.read_bytes())) for path in files)
    assert spelled > 10_000  # the comparison did happen, on many expressions
