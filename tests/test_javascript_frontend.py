"""The JavaScript / TypeScript frontend: exact import sites, and no exception on any input."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.facts import FileFacts
from archlint.frontends import javascript as js_frontend
from archlint.frontends.javascript import parse_javascript, parse_tsx, parse_typescript

Parse = Callable[[bytes], FileFacts]
Site = tuple[str, int, int, str]  # (module, line, column, kind)
ALL: list[Parse] = [parse_javascript, parse_typescript, parse_tsx]
TYPED: list[Parse] = [parse_typescript, parse_tsx]


def facts(parse: Parse, source: str | bytes) -> FileFacts:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return parse(data)


def sites(parse: Parse, source: str | bytes) -> list[Site]:
    result = facts(parse, source)
    assert result.problem is None, result.problem
    for site in result.imports:
        assert site.name is None and site.level == 0
    return [(s.module, s.line, s.column, s.kind) for s in result.imports]


def partial(parse: Parse, source: str | bytes) -> tuple[tuple[str, int, int], list[Site]]:
    """The problem and the sites of a file that has one."""
    result = facts(parse, source)
    assert result.problem is not None
    found = [(s.module, s.line, s.column, s.kind) for s in result.imports]
    return (result.problem.message, result.problem.line, result.problem.column), found


def test_languages() -> None:
    assert parse_javascript(b"").language == "javascript"
    assert parse_typescript(b"").language == "typescript"
    assert parse_tsx(b"").language == "tsx"


# --- static forms: every grammar ------------------------------------------------------

STATIC = """\
import x from 'a';
import {a, b as c} from "b";
import * as ns from 'c';
import y, {z} from 'd';
import 'e';
export {a} from 'f';
export * from 'g';
export * as ns2 from 'h';
export { default } from "lodash/fp";
export { default as q } from '@scope/pkg/sub';
import fs from 'node:fs';
import i from '#internal/thing';
import up from '../x/index.js';
import j from './j.json' with { type: 'json' };
export { x, z };
"""


@pytest.mark.parametrize("parse", ALL)
def test_static_import_and_export_forms(parse: Parse) -> None:
    assert sites(parse, STATIC) == [
        ("a", 1, 15, "import"),
        ("b", 2, 25, "import"),
        ("c", 3, 21, "import"),
        ("d", 4, 20, "import"),
        ("e", 5, 8, "import"),
        ("f", 6, 17, "import"),
        ("g", 7, 15, "import"),
        ("h", 8, 22, "import"),
        ("lodash/fp", 9, 25, "import"),
        ("@scope/pkg/sub", 10, 30, "import"),
        ("node:fs", 11, 16, "import"),
        ("#internal/thing", 12, 15, "import"),
        ("../x/index.js", 13, 16, "import"),
        ("./j.json", 14, 15, "import"),
    ]


@pytest.mark.parametrize("parse", ALL)
def test_multiline_import_points_at_the_specifier(parse: Parse) -> None:
    source = "import {\n  alpha,\n  beta as b,\n} from\n    './multi';\nexport {\n  c\n} from\n  'e'\n"
    assert sites(parse, source) == [("./multi", 5, 5, "import"), ("e", 9, 3, "import")]


REQUIRES = """\
const {x} = require('a');
module.exports = require("b");
function f() { return () => { if (y) { require('c') } } }
const r = require.resolve('not-an-import');
jest.mock('not-an-import-either');
foo.require('nor-this'); notrequire('nor-that');
require(`d`);
require(name);
require('e' + suffix);
require();
"""


@pytest.mark.parametrize("parse", ALL)
def test_require_calls(parse: Parse) -> None:
    assert sites(parse, REQUIRES) == [
        ("a", 1, 21, "import"),
        ("b", 2, 26, "import"),
        ("c", 3, 48, "import"),
        ("d", 7, 9, "import"),  # a template literal without substitutions is a literal
        ("", 8, 9, "dynamic"),  # never guessed
        ("", 9, 9, "dynamic"),
    ]


DYNAMIC = """\
import('a');
const m = await import("./b.js");
import(`c`);
import(`./locale/${lang}.js`);
import(name);
import(/* webpackChunkName: "d" */ './d');
const meta = import.meta.url;
"""


@pytest.mark.parametrize("parse", ALL)
def test_dynamic_imports(parse: Parse) -> None:
    assert sites(parse, DYNAMIC) == [
        ("a", 1, 8, "dynamic"),
        ("./b.js", 2, 24, "dynamic"),
        ("c", 3, 8, "dynamic"),
        ("", 4, 8, "dynamic"),
        ("", 5, 8, "dynamic"),
        ("./d", 6, 36, "dynamic"),
    ]


@pytest.mark.parametrize("parse", ALL)
def test_specifiers_in_comments_and_strings_are_not_imports(parse: Parse) -> None:
    source = (
        "// import x from 'a'; require('b'); import('c')\n"
        "/* import('d') */ const s = \"import('e')\";\n"
        "const t = `require('f') import('g')`;\n"
        "/// <reference path=\"./h.d.ts\" />\n"
    )
    assert sites(parse, source) == []


@pytest.mark.parametrize("parse", ALL)
def test_escapes_in_specifiers_are_cooked(parse: Parse) -> None:
    source = "require('a\\x2fb');\nimport 'c\\'d';\nimport(\"\\u{1F600}\");\n"
    assert sites(parse, source) == [
        ("a/b", 1, 9, "import"),
        ("c'd", 2, 8, "import"),
        ("\U0001f600", 3, 8, "dynamic"),
    ]


@pytest.mark.parametrize("parse", ALL)
def test_sites_are_in_document_order_across_kinds(parse: Parse) -> None:
    source = "const a = require('a'); import('b'); import c from 'c';\n"
    assert sites(parse, source) == [
        ("a", 1, 19, "import"),
        ("b", 1, 32, "dynamic"),
        ("c", 1, 52, "import"),
    ]


# --- JavaScript only -----------------------------------------------------------------


def test_jsx_in_javascript() -> None:
    source = (
        "import React from 'react';\n"
        "const Icon = require('./icon');\n"
        "export const App = () => <div className=\"x\">{items.map(i => <Icon key={i} />)}\n"
        "  <Lazy load={() => import('./lazy')} />import('not-code')</div>;\n"
    )
    assert sites(parse_javascript, source) == [
        ("react", 1, 19, "import"),
        ("./icon", 2, 22, "import"),
        ("./lazy", 4, 28, "dynamic"),
    ]


def test_flow_import_type_in_javascript_is_type_only_with_a_problem() -> None:
    # The JavaScript grammar does not know Flow: the statement still imports, type-only.
    problem, found = partial(parse_javascript, "import typeof T from 'a';\nimport b from 'b';\n")
    assert problem == ("syntax error: unexpected 'typeof'", 1, 8)
    assert found == [("a", 1, 22, "type_only"), ("b", 2, 15, "import")]


def test_hashbang_line() -> None:
    assert sites(parse_javascript, "#!/usr/bin/env node\nrequire('a');\n") == [("a", 2, 9, "import")]


# --- TypeScript and TSX ------------------------------------------------------------------

TYPE_ONLY = """\
import type {T} from 'a';
import type T2 from 'b';
export type {T} from 'c';
import {type A, type B} from 'd';
import {type A1, b} from 'e';
import typeof W from 'f';
import type * as ns from 'g';
export type * from 'h';
export type * as ns2 from 'i';
export {type C, type D} from 'j';
export {type E, f} from 'k';
import d, {type F} from 'l';
import type from 'm';
import {type} from 'n';
import {type as t} from 'o';
"""


@pytest.mark.parametrize("parse", TYPED)
def test_type_only_forms(parse: Parse) -> None:
    assert sites(parse, TYPE_ONLY) == [
        ("a", 1, 22, "type_only"),
        ("b", 2, 21, "type_only"),
        ("c", 3, 22, "type_only"),
        ("d", 4, 30, "type_only"),
        ("e", 5, 26, "import"),  # one value specifier: the module is loaded
        ("f", 6, 22, "type_only"),
        ("g", 7, 26, "type_only"),
        ("h", 8, 20, "type_only"),  # TS 5.0 form the grammar misses: repaired
        ("i", 9, 27, "type_only"),
        ("j", 10, 30, "type_only"),
        ("k", 11, 25, "import"),
        ("l", 12, 25, "import"),  # the default import is a value
        ("m", 13, 18, "import"),  # a default import *named* type
        ("n", 14, 20, "import"),  # a named import *called* type
        ("o", 15, 25, "import"),
    ]


IMPORT_REQUIRE = """\
import x = require('a');
import type y = require('b');
export import z = require('c');
namespace N { import w = require('d'); }
import Alias = N.inner;
"""


@pytest.mark.parametrize("parse", TYPED)
def test_import_equals_require(parse: Parse) -> None:
    assert sites(parse, IMPORT_REQUIRE) == [
        ("a", 1, 20, "import"),
        ("b", 2, 25, "type_only"),
        ("c", 3, 27, "import"),  # the grammar misses `export import`: repaired
        ("d", 4, 34, "import"),
    ]


IMPORT_TYPES = """\
type Q = import('a').B;
let v: typeof import('b');
declare const x: import("./c").Bar<string>;
export declare function f(p: import("./d").C[]): import("./e").E<import("./f").G>;
type K = import('g')['k'];
type U = import('h') | import('i').J;
interface I { p: import('j').T; m(): import('k').U }
const y = z as import('l').T;
const w = q satisfies import('m').S;
class C<T extends import('n').B = import('o').C> { p: import('p').T = import('rt1'); }
const r = import('rt2') as Promise<typeof import('q')>;
import('rt3').then((m) => m);
type M = typeof import(
  'r'
);
"""


@pytest.mark.parametrize("parse", TYPED)
def test_import_types_are_type_only_and_calls_dynamic(parse: Parse) -> None:
    assert sites(parse, IMPORT_TYPES) == [
        ("a", 1, 17, "type_only"),
        ("b", 2, 22, "type_only"),
        ("./c", 3, 25, "type_only"),  # generic arguments after an import type: repaired
        ("./d", 4, 37, "type_only"),
        ("./e", 4, 57, "type_only"),
        ("./f", 4, 73, "type_only"),
        ("g", 5, 17, "type_only"),
        ("h", 6, 17, "type_only"),
        ("i", 6, 31, "type_only"),
        ("j", 7, 25, "type_only"),
        ("k", 7, 45, "type_only"),
        ("l", 8, 23, "type_only"),
        ("m", 9, 30, "type_only"),
        ("n", 10, 26, "type_only"),
        ("o", 10, 42, "type_only"),
        ("p", 10, 62, "type_only"),
        ("rt1", 10, 78, "dynamic"),
        ("rt2", 11, 18, "dynamic"),
        ("q", 11, 50, "type_only"),
        ("rt3", 12, 8, "dynamic"),
        ("r", 14, 3, "type_only"),  # multi-line: left to the grammar, which copes here
    ]


def test_typescript_syntax_around_imports() -> None:
    source = (
        "import { Component } from '@angular/core';\n"
        "@Component({ template: require('./t.html') })\n"
        "export class C<T> implements I { private readonly x?: T; constructor(public y: number) {} }\n"
        "const conf = { a: 1 } satisfies Conf;\n"
        "enum E { A = 1 }\n"
        "let n = value!;\n"
        "const g = <T,>(x: T) => x;\n"
        "export { default as thing } from './thing';\n"
    )
    assert sites(parse_typescript, source) == [
        ("@angular/core", 1, 27, "import"),
        ("./t.html", 2, 32, "import"),
        ("./thing", 8, 34, "import"),
    ]


def test_tsx_generics_jsx_satisfies_and_decorators() -> None:
    source = (
        "import type { FC } from 'react';\n"
        "import { observer } from 'mobx-react';\n"
        "const identity = <T,>(x: T): T => x;\n"
        "const theme = { dark: true } satisfies Theme;\n"
        "@observer class Store { @observable value = require('./v'); }\n"
        "export const App: FC = () => <Suspense fallback={<p>import('nope')</p>}>\n"
        "  <Lazy load={() => import('./lazy')} />\n"
        "</Suspense>;\n"
    )
    assert sites(parse_tsx, source) == [
        ("react", 1, 25, "type_only"),
        ("mobx-react", 2, 26, "import"),
        ("./v", 5, 53, "import"),
        ("./lazy", 7, 28, "dynamic"),
    ]


def test_declaration_file_ambient_module() -> None:
    source = (
        "/// <reference types=\"node\" />\n"
        "declare module 'plugin' {\n"
        "  import { Base } from 'base';\n"
        "  export * from 'extra';\n"
        "  export function f(): import('./r').R;\n"
        "}\n"
    )
    assert sites(parse_typescript, source) == [
        ("base", 3, 24, "import"),
        ("extra", 4, 17, "import"),
        ("./r", 5, 31, "type_only"),
    ]


def test_repairs_do_not_touch_text() -> None:
    # The same bytes inside strings and comments are rewritten for the parser only.
    source = (
        "const s = \"import('a')\"; // export type * from 'b'\n"
        "import x from \"import('c')\";\n"
        "const t = `export import y = require('d')`;\n"
    )
    assert sites(parse_typescript, source) == [("import('c')", 2, 15, "import")]


@pytest.mark.parametrize("parse", TYPED)
def test_keyof_readonly_parses(parse: Parse) -> None:
    # Valid TypeScript the grammar rejects (TypeScript's own lib.es2015.symbol.wellknown.d.ts
    # has it): repaired, so no parse error; a string holding the words is left alone.
    source = (
        "import type { A } from './a';\n"
        "type K<T> = keyof readonly T[];\n"
        "interface I { [Symbol.unscopables](): { [P in keyof readonly any[]]?: boolean } }\n"
        "const s = 'keyof readonly x';\n"
    )
    facts = parse(source.encode())
    assert facts.problem is None
    assert sites(parse, source) == [("./a", 1, 24, "type_only")]


def test_every_declaration_file_of_typescripts_lib_parses() -> None:
    lib = Path(__file__).parent / "oracle" / "node_modules" / "typescript" / "lib"
    if not (lib.parent / "package.json").is_file():
        message = "TypeScript is not installed: run `npm ci` in tests/oracle"
        if os.environ.get("ARCHLINT_REQUIRE_ORACLES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    files = sorted(lib.glob("*.d.ts"))
    assert len(files) > 50
    problems = {f.name: parse_typescript(f.read_bytes()).problem for f in files}
    assert {name: problem for name, problem in problems.items() if problem} == {}

# --- positions and bytes -------------------------------------------------------------


@pytest.mark.parametrize("parse", ALL)
def test_column_counts_characters_not_bytes(parse: Parse) -> None:
    source = "const s = 'héllo'; import('ü'); require('./ç')\nconst t = '日本😀'; const u = require('x')\n"
    assert sites(parse, source) == [
        ("ü", 1, 27, "dynamic"),
        ("./ç", 1, 41, "import"),
        ("x", 2, 36, "import"),
    ]


@pytest.mark.parametrize("parse", ALL)
def test_bom_does_not_shift_columns(parse: Parse) -> None:
    data = b"\xef\xbb\xbfimport a from 'a';\nimport b from 'b';\n"
    assert sites(parse, data) == [("a", 1, 15, "import"), ("b", 2, 15, "import")]


@pytest.mark.parametrize("parse", ALL)
def test_crlf_line_endings(parse: Parse) -> None:
    data = b"import a from 'a';\r\n\r\nconst b = require('b');\r\n"
    assert sites(parse, data) == [("a", 1, 15, "import"), ("b", 3, 19, "import")]


@pytest.mark.parametrize("parse", ALL)
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n", b"// only a comment\n"])
def test_empty_files(parse: Parse, data: bytes) -> None:
    assert sites(parse, data) == []


@pytest.mark.parametrize("parse", ALL)
def test_nul_bytes_mean_a_binary_file(parse: Parse) -> None:
    result = parse(b"import a from 'a';\0\0")
    assert result.imports == ()
    assert result.problem is not None
    assert (result.problem.message, result.problem.line, result.problem.column) == (
        "binary file (contains NUL bytes)", 1, 1,
    )


@pytest.mark.parametrize("parse", ALL)
def test_invalid_utf8_is_a_problem_but_imports_are_kept(parse: Parse) -> None:
    data = b"import a from 'a';\nconst s = '\xc3\xa9\xff\xfe'; require('b')\n"
    problem, found = partial(parse, data)
    assert problem == ("file is not valid UTF-8: byte 0xff (invalid start byte)", 2, 13)
    assert found == [("a", 1, 15, "import"), ("b", 2, 26, "import")]


# --- syntax errors -------------------------------------------------------------------


@pytest.mark.parametrize("parse", ALL)
def test_syntax_error_mid_file_keeps_imports_before_and_after(parse: Parse) -> None:
    source = (
        "import a from 'a';\n"
        "const b = require('b');\n"
        "const x = (1 + ;\n"
        "import c from 'c';\n"
        "export * from 'd';\n"
        "const e = await import('e');\n"
    )
    problem, found = partial(parse, source)
    assert problem == ("syntax error: unexpected '='", 3, 9)
    assert found == [
        ("a", 1, 15, "import"),
        ("b", 2, 19, "import"),
        ("c", 4, 15, "import"),
        ("d", 5, 15, "import"),
        ("e", 6, 24, "dynamic"),
    ]


@pytest.mark.parametrize("parse", ALL)
def test_missing_token_is_reported(parse: Parse) -> None:
    problem, found = partial(parse, "import a from 'a';\nlet x = foo(1, 2;\nrequire('b');\n")
    assert problem == ("syntax error: missing ')'", 2, 17)
    assert found == [("a", 1, 15, "import"), ("b", 3, 9, "import")]


@pytest.mark.parametrize("parse", ALL)
def test_first_error_is_reported_in_document_order(parse: Parse) -> None:
    problem, _ = partial(parse, "require('a');\nlet é = ];\nlet = 2;\n")
    assert problem == ("syntax error: unexpected ']'", 2, 9)


@pytest.mark.parametrize("parse", ALL)
def test_truncated_file(parse: Parse) -> None:
    problem, found = partial(parse, "import a from 'a';\nfunction f() {\n  return require('b')")
    assert problem[0].startswith("syntax error: ")
    assert found == [("a", 1, 15, "import"), ("b", 3, 18, "import")]


# --- hostile input -------------------------------------------------------------------


@pytest.mark.parametrize("parse", ALL)
def test_deeply_nested_balanced_brackets(parse: Parse) -> None:
    depth = 20_000
    data = b"x = " + b"[(" * depth + b"require('a')" + b")]" * depth + b";\nrequire('b');\n"
    found = sites(parse, data)
    assert found == [("a", 1, 5 + 2 * depth + 8, "import"), ("b", 2, 9, "import")]


@pytest.mark.parametrize("parse", ALL)
def test_absurd_nesting_is_no_crash(parse: Parse) -> None:
    # Past 65,535 levels tree-sitter's query cursor loses track of depth and sees nothing
    # there; what matters is that nothing crashes and nothing hangs.
    depth = 100_000
    started = time.perf_counter()
    result = parse(b"[" * depth + b"require('a')" + b"]" * depth)
    assert time.perf_counter() - started < 10
    assert result.problem is None


@pytest.mark.parametrize("parse", ALL)
@pytest.mark.parametrize("opener", [b"{", b"(", b"[", b"`${", b"{ ( [ "])
def test_long_runs_of_unclosed_brackets_are_a_problem_not_a_hang(parse: Parse, opener: bytes) -> None:
    started = time.perf_counter()
    problem, found = partial(parse, b"import a from 'a';\n" + opener * 30_000)
    assert time.perf_counter() - started < 5  # unguarded, the query alone takes minutes
    assert problem[0] == "too deeply nested to read (over 2000 brackets opened in a row)"
    assert found == []


@pytest.mark.parametrize("parse", ALL)
def test_short_runs_of_unclosed_brackets_still_yield_imports(parse: Parse) -> None:
    problem, found = partial(parse, b"require('a');\n" + b"{" * 500)
    assert problem[0].startswith("syntax error: ")
    assert found == [("a", 1, 9, "import")]


def test_a_one_megabyte_single_line_file_is_linear() -> None:
    chunk = "var a%d=require('m%d'),b%d=function(x){return x.map(function(y){return y+1})};"
    line = "".join(chunk % (i, i, i) for i in range(14_000))
    data = line.encode()
    assert len(data) > 1_000_000 and b"\n" not in data
    started = time.perf_counter()
    result = parse_javascript(data)
    assert time.perf_counter() - started < 5  # about 0.3 s here
    assert result.problem is None
    assert len(result.imports) == 14_000
    assert (result.imports[-1].module, result.imports[-1].line) == ("m13999", 1)
    assert result.imports[-1].column == line.rindex("'m13999'") + 1


@pytest.mark.parametrize("parse", ALL)
@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\xfd", b"import", b"import {", b"require(", b"import(", b"`${", b"'unterminated",
     b"\\u0000", b"\xef\xbb\xbf\xef\xbb\xbf", b"/*", b"</div>", b"export type * from"],
)
def test_odd_input_never_raises(parse: Parse, data: bytes) -> None:
    result = parse(data)
    assert isinstance(result, FileFacts)


@pytest.mark.parametrize("parse", ALL)
def test_any_other_exception_becomes_a_problem(parse: Parse, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(data: bytes, language: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(js_frontend, "_collect", boom)
    result = parse(b"import a from 'a';")
    assert result.imports == ()
    assert result.problem is not None
    assert result.problem.message == "cannot parse: ValueError: boom"


# --- a real tree -------------------------------------------------------------------------

EXTENSIONS: dict[str, Parse] = {
    ".js": parse_javascript, ".jsx": parse_javascript, ".mjs": parse_javascript,
    ".cjs": parse_javascript, ".ts": parse_typescript, ".mts": parse_typescript,
    ".cts": parse_typescript, ".tsx": parse_tsx,
}


def _depcruise_src() -> Path | None:
    """dependency-cruiser's src/, as `npm ci` in tests/oracle installs it (CI does)."""
    src = Path(__file__).parent / "oracle" / "node_modules" / "dependency-cruiser" / "src"
    return src if (src.parent / "package.json").is_file() else None


def test_every_file_of_dependency_cruiser_parses_without_problem() -> None:
    src = _depcruise_src()
    if src is None:
        message = "dependency-cruiser is not installed: run `npm ci` in tests/oracle"
        if os.environ.get("ARCHLINT_REQUIRE_ORACLES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    files = sorted(p for p in src.rglob("*") if p.suffix in EXTENSIONS and p.is_file())
    assert len(files) > 100
    problems = {}
    count = 0
    for path in files:
        result = EXTENSIONS[path.suffix](path.read_bytes())
        count += len(result.imports)
        if result.problem is not None:
            problems[str(path.relative_to(src))] = result.problem
    assert problems == {}
    assert count > 300
    version = json.loads((src.parent / "package.json").read_text())["version"]
    if version == "17.4.3":
        result = parse_javascript((src / "main" / "index.mjs").read_bytes())
        assert [(s.module, s.line, s.column, s.kind) for s in result.imports] == [
            ("./format.mjs", 1, 20, "import"),
            ("./cruise.mjs", 2, 20, "import"),
            ("#extract/transpile/meta.mjs", 6, 8, "import"),
            ("#extract/transpile/meta.mjs", 11, 8, "import"),
            ("./cruise.mjs", 12, 35, "import"),
            ("./format.mjs", 13, 35, "import"),
        ]


@pytest.mark.parametrize(
    "source",
    [
        # Django's i18n catalog: JavaScript only once the template is rendered
        b"{% load i18n %}\n'use strict';\nconst catalog = {{ catalog_str }};\n",
        b"{%- if debug %}\nconsole.debug('x')\n{%- endif %}\nexport const x = ;\n",
        b"{# a Jinja comment #}\nimport a from './a';\nconst b = {{ b|tojson }};\n",
    ],
)
def test_server_side_templates_are_no_syntax_errors(source: bytes) -> None:
    facts = parse_javascript(source)
    assert facts.problem is None
    if b"import a" in source:
        assert [site.module for site in facts.imports] == ["./a"]  # what parses still counts


def test_a_syntax_error_without_template_tags_is_reported() -> None:
    assert parse_javascript(b"const text = '{% not a tag';\nconst x = ;\n").problem is not None
    assert parse_javascript(b"const x = {%};\n").problem is not None  # no tag name: JS's own
