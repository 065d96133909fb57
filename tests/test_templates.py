"""Templates: AL301 token-in-web-storage in the inline scripts of HTML and Jinja / Django
templates, at exact template positions; the look-alikes that are fine; templates staying out
of the import graph and of every other rule; and the pieces (discovery, the scanner, the
code-facts frontend) on their own.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from archlint.codefacts import CodeFacts
from archlint.discover import MAX_FILE_BYTES_DEFAULT, discover
from archlint.frontends import CODE_FRONTENDS, FRONTENDS, parser_versions
from archlint.frontends.html_code import extract_html_code, parse_html
from archlint.frontends.html_scan import blank_template_tags, inline_scripts
from tests.test_cli import run, write_tree

HOW = (": any script on the page (an XSS, a compromised package) can read it; keep tokens in "
       "an HttpOnly, Secure cookie or in memory")

BAD = """
{% extends "base.html" %}
{% block scripts %}
<script>
  {% if user.is_authenticated %}
  localStorage.setItem("access_token", "{{ token }}");
  {% endif %}
</script>
{% endblock %}
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def findings(root: Path, capsys, files: dict[str, str], *args: str) -> list[tuple]:
    """The AL301 findings (code, path, line, column, message) of a project of ``files``."""
    write_tree(root, {path: dedent(text) for path, text in files.items()})
    cached = "--cache" in args  # archlint caches by default; the tests opt in
    argv = ["check", str(root), "--format", "json", "--select", "AL301"]
    argv += [a for a in args if a != "--cache"] + ([] if cached else ["--no-cache"])
    code, out, err = run(argv, capsys)
    assert code in (0, 1), err
    return [(f["code"], f["path"], f["line"], f["column"], f["message"])
            for f in json.loads(out)["findings"]]  # fmt: skip


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a needle in a template."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- the rule, end to end ---------------------------------------------------------------


def test_a_token_in_a_jinja_template_is_reported_where_it_is_written(tmp_path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/templates/login.html": BAD})
    assert found == [
        ("AL301", "app/templates/login.html", 5, 3,
         "localStorage.setItem('access_token', '{{ token }}') keeps a token in localStorage "
         "(the key says 'token')" + HOW),
    ]  # fmt: skip
    assert position(dedent(BAD), 'localStorage.setItem("access') == (5, 3)


@pytest.mark.parametrize("suffix", [".html", ".htm", ".jinja", ".jinja2", ".j2"])
def test_every_template_suffix_is_read(tmp_path, capsys, suffix: str) -> None:
    found = findings(tmp_path, capsys, {f"templates/login{suffix}": BAD})
    assert [(path, line, column) for _, path, line, column, _ in found] == [
        (f"templates/login{suffix}", 5, 3)
    ]


LOOK_ALIKES = {
    "theme": """
        <script>
          localStorage.setItem("theme", "{{ theme }}");
          const saved = localStorage.getItem("token");
          localStorage.removeItem("access_token");
        </script>
    """,
    "src": """
        <script src="{{ url_for('static', filename='app.js') }}">
          localStorage.setItem("token", t);
        </script>
        <script src="/static/auth.js" type="module">sessionStorage.setItem("jwt", t)</script>
    """,
    "json-data": """
        <script type="application/json" id="config">
          {"token": "{{ csrf_token }}", "js": "localStorage.setItem('token', t)"}
        </script>
        <script type="application/ld+json">{"@type": "WebSite", "token": "x"}</script>
        <script type="importmap">{"imports": {"token": "./token.js"}}</script>
    """,
    "client-templates": """
        <script type="text/template">localStorage.setItem("token", t)</script>
        <script type="text/x-template" id="login">
          <button onclick='localStorage.setItem("jwt", t)'>log in</button>
        </script>
    """,
    "html-text": """
        <p>Never call localStorage.setItem("token", t) in your app.</p>
        <pre><code>sessionStorage.setItem("jwt", jwt)</code></pre>
        <textarea><script>localStorage.setItem("token", t)</script></textarea>
        <title><script>localStorage.setItem("token", t)</script></title>
        <noscript><script>localStorage.setItem("token", t)</script></noscript>
    """,
    "html-comment": """
        <!-- <script>localStorage.setItem("token", t)</script> -->
        <!--
          <script>
            localStorage.setItem("access_token", data.token);
          </script>
        -->
    """,
    "template-comments": """
        {# <script>localStorage.setItem("token", t)</script> #}
        {% comment "old login" %}
        <script>localStorage.setItem("token", t);</script>
        {% endcomment %}
        <script>{# localStorage.setItem("token", t); #}</script>
    """,
}


@pytest.mark.parametrize("template", list(LOOK_ALIKES.values()), ids=list(LOOK_ALIKES))
def test_look_alikes_are_fine(tmp_path, capsys, template: str) -> None:
    assert findings(tmp_path, capsys, {"templates/page.html": template}) == []


def test_positions_after_multi_line_template_tags(tmp_path, capsys) -> None:
    template = dedent("""
        <!doctype html>
        {% if user
              and user.is_authenticated %}
        <div class="{% if dark %}dark{% else %}light{% endif %}">{{ user.name }}</div>
        {% endif %}
        <p>Café ☕ {# a note
           over two lines #}</p><script type="module">sessionStorage.setItem("jwt", t);
          {% if remember_me
                and not private_mode %}
          const store = window.localStorage; {% endif %} store.setItem("refresh", {{ refresh|tojson }});
          {% for key in keys %}store.setItem("{{ key }}_token", "{{ value }}");{% endfor %}
        </script>
    """)  # fmt: skip
    found = findings(tmp_path, capsys, {"templates/page.html": template})
    assert [(line, column) for _, _, line, column, _ in found] == [
        position(template, "sessionStorage.setItem"),
        position(template, "store.setItem", 1),
        position(template, "store.setItem", 2),
    ]
    assert [(line, column) for _, _, line, column, _ in found] == [(7, 47), (10, 50), (11, 24)]
    assert [message.partition(":")[0] for *_, message in found] == [
        "sessionStorage.setItem('jwt', t) keeps a token in sessionStorage (the key says 'jwt')",
        ("store.setItem('refresh', {{ refresh|tojson }}) keeps a token in localStorage (the key "
         "says 'refresh')"),
        ("store.setItem('{{ key }}_token', '{{ value }}') keeps a token in localStorage (the key "
         "says 'token')"),
    ]


def test_a_script_that_does_not_parse_is_no_crash_and_no_parse_error(tmp_path, capsys) -> None:
    template = """
        <script>
          function broken( {
            if (x {{ y }} ) {{
        </script>
        <script>
          localStorage.setItem("jwt", jwt);
        </script>
        <script>const s = "</script>"; localStorage.setItem("token", t)</script>
        <script>const s = "<\\/script>"; localStorage.setItem("token", t)</script>
        <script
    """
    found = findings(tmp_path, capsys, {"templates/page.html": template}, "--select", "AL001")
    # The broken script gives nothing; the next ones are read. A "</script>" in a string
    # ends the script there, as in a browser; "<\/script>" does not.
    assert [(code, line, column) for code, _, line, column, _ in found] == [
        ("AL301", 6, 3),
        ("AL301", 9, 33),
    ]


def test_scripts_of_one_page_share_module_names_but_not_functions(tmp_path, capsys) -> None:
    template = """
        <script>
          const STORE = window.sessionStorage;
          function helper() { const local = window.localStorage; return local; }
        </script>
        <script>
          function save(data) {
            local.setItem("jwt", data);  // not helper's local: each script has its functions
            STORE.setItem("auth", data);
            [1, 2].forEach((x) => { const s = window.localStorage; s.setItem("jwt", x); });
          }
        </script>
    """
    found = findings(tmp_path, capsys, {"templates/page.html": template})
    assert [(line, column, message.partition(":")[0]) for _, _, line, column, message in found] == [
        (8, 5, "STORE.setItem('auth', data) keeps a token in sessionStorage (the key says 'auth')"),
        (9, 60, "s.setItem('jwt', x) keeps a token in localStorage (the key says 'jwt')"),
    ]


def test_tests_and_end_to_end_suites_are_excluded(tmp_path, capsys) -> None:
    files = {
        "tests/templates/login.html": BAD,
        "app/e2e/fixtures/login.html": BAD,
        "app/templates/login.spec.html": BAD,
    }
    assert findings(tmp_path, capsys, files) == []


def test_output_is_deterministic_cold_warm_and_after_an_edit(tmp_path, capsys) -> None:
    files = {
        "b/templates/one.html": BAD,
        "a/templates/two.jinja2": BAD.replace("access_token", "jwt"),
        "a/static/app.js": 'localStorage.setItem("token", t);\n',
    }
    cold = findings(tmp_path, capsys, files)
    assert [path for _, path, *_ in cold] == [
        "a/static/app.js", "a/templates/two.jinja2", "b/templates/one.html"
    ]
    assert findings(tmp_path, capsys, files) == cold
    assert findings(tmp_path, capsys, files, "--cache") == cold  # fills the cache
    assert findings(tmp_path, capsys, files, "--cache") == cold  # from the cache
    assert findings(tmp_path, capsys, files, "--cache", "--jobs", "1") == cold
    edited = {**files, "b/templates/one.html": BAD.replace("access_token", "theme")}
    assert findings(tmp_path, capsys, edited, "--cache") == cold[:2]


# --- templates stay out of the graph and of the other rules -------------------------------


FLASK = {
    "archlint.toml": """
        [components]
        routes = ["app/routes/**"]
        services = ["app.services"]

        [[contracts]]
        name = "layers"
        type = "layers"
        layers = ["routes", "services"]
    """,
    "app/__init__.py": "",
    "app/services.py": "from app.routes import pages\n",
    "app/routes/__init__.py": "",
    "app/routes/pages.py": "from app import services\n\ndef home():\n    print('hi')\n",
    "app/routes/widget.js": "console.log('hi');\n",
}
TEMPLATES = {
    "app/routes/page.html": "<script>console.log('hi'); localStorage.setItem('jwt', t)</script>\n",
    "app/templates/base.html": '<script src="{{ url }}"></script>{% include "nav.html" %}\n',
}


def test_templates_change_no_graph_and_no_other_rule(tmp_path: Path, capsys) -> None:
    without, with_templates = tmp_path / "without", tmp_path / "with"
    write_tree(without, {p: dedent(t) for p, t in FLASK.items()})
    write_tree(with_templates, {p: dedent(t) for p, t in {**FLASK, **TEMPLATES}.items()})
    outputs = []
    for root in (without, with_templates):
        graphs = [run(["graph", str(root), "--format", form], capsys) for form in ("json", "dot")]
        code, out, err = run(["check", str(root), "--no-cache", "--format", "json"], capsys)
        assert code == 1, err
        found = [(f["code"], f["path"], f["line"], f["column"]) for f in json.loads(out)["findings"]]
        outputs.append((graphs, found))
    (graphs_before, before), (graphs_after, after) = outputs
    assert graphs_after == graphs_before
    # The layers contract and print-logging (AL601) are as before; the template's
    # console.log is not application code for AL601, its token is AL301's.
    assert sorted(set(after) - set(before)) == [("AL301", "app/routes/page.html", 1, 28)]
    assert {code for code, *_ in before} >= {"AL101", "AL601"}
    assert ("AL601", "app/routes/widget.js", 1, 1) in before


def test_check_cli_on_a_small_flask_project(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "app.py": "from flask import Flask, render_template\n\napp = Flask(__name__)\n",
        "templates/base.html": "<!doctype html>\n<script src='/static/app.js'></script>\n",
        "templates/login.html": dedent(BAD),
        "templates/settings.j2": "<script>localStorage.setItem('theme', 'dark')</script>\n",
        "tests/templates/fake_login.html": dedent(BAD),
    })  # fmt: skip
    code, out, err = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "templates/login.html:5:3: AL301 localStorage.setItem('access_token', '{{ token }}') "
        "keeps a token in localStorage (the key says 'token')" + HOW,
        "Found 1 finding in 4 files checked.",  # the preset leaves tests/ out
    ]
    code, out, _ = run(["check", str(tmp_path / "templates" / "settings.j2"), "--root",
                        str(tmp_path), "--no-cache"], capsys)  # fmt: skip
    assert code == 0 and out.startswith("All checks passed")


def test_explain_mentions_templates(capsys) -> None:
    code, out, _ = run(["explain", "AL301"], capsys)
    assert code == 0 and "Jinja" in out and ".jinja2" in out


# --- the pieces ---------------------------------------------------------------------------


def test_discovery_reads_templates_with_the_javascript_size_limit(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "templates/a.html": "<p/>", "templates/b.htm": "<p/>", "templates/c.jinja": "",
        "templates/d.jinja2": "", "deploy/nginx.conf.j2": "", "docs/readme.md": "",
        "node_modules/pkg/index.html": "<p/>", "web/dist/index.html": "<p/>",
        "templates/big.html": "<p>" + "x" * MAX_FILE_BYTES_DEFAULT + "</p>",
    })  # fmt: skip
    found = discover(tmp_path)
    assert [(f.path, f.language) for f in found.files] == [
        ("deploy/nginx.conf.j2", "html"), ("templates/a.html", "html"),
        ("templates/b.htm", "html"), ("templates/c.jinja", "html"), ("templates/d.jinja2", "html"),
    ]  # fmt: skip
    assert found.notes == [
        "templates/big.html: skipped, 1024 KiB is over the 1024 KiB limit for html files"
    ]


def test_frontends_are_registered_with_versions() -> None:
    assert FRONTENDS["html"] == ("archlint.frontends.html_code", "parse_html", "html-1")
    assert CODE_FRONTENDS["html"][1:] == ("extract_html_code", "html-code-1")
    assert "html-1" in parser_versions()
    facts = parse_html(BAD.encode())
    assert (facts.language, facts.imports, facts.problem) == ("html", (), None)


def test_template_tags_are_blanked_in_place() -> None:
    text = 'a {{ x.y }} b {% if x\n %}\n{% endif %} {# c\n #} {{ "}}" }} {{ x|y }} {{ z }}{'
    blanked, placeholders = blank_template_tags(text)
    assert len(blanked) == len(text)
    assert [i for i, c in enumerate(blanked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert blanked == (
        "a ___x_y___ b " + " " * 7 + "\n" + " " * 3 + "\n" + " " * 11 + " " + " " * 4 + "\n"
        + " " * 3 + " __________ ___x_y___ ___z___{"
    )
    assert [tuple(p) for p in placeholders] == [
        (2, "___x_y___", "{{ x.y }}"), (47, "__________", '{{ "}}" }}'),
        (58, "___x_y___", "{{ x|y }}"), (68, "___z___", "{{ z }}"),
    ]  # fmt: skip
    assert blank_template_tags("no tags { here }") == ("no tags { here }", [])
    assert blank_template_tags("{{ never closed")[0] == "{{ never closed"


def test_the_scanner_finds_the_scripts_a_browser_runs() -> None:
    text = dedent("""
        <SCRIPT TYPE="Module">a()</SCRIPT >
        <script language="vbscript">b()</script><script type="text/javascript; charset=utf-8">c()</script>
        <script type="text/babel">const d = <D/>;</script><script/>e()</script>
        <script><!-- x = "<script>f()</script>"; --></script>
        <style>p::before { content: "<script>g()</script>" }</style>
        <!--> <script>h()</script> <!-- <script>i()</script> --!> <script>j()</script>
        <div data-x="a>b"><script>k()
    """)  # fmt: skip
    bodies = [(s.line, s.column, s.body) for s in inline_scripts(text)]
    assert bodies == [
        (1, 23, "a()"), (2, 87, "c()"), (3, 27, "const d = <D/>;"), (3, 60, "e()"),
        (4, 9, '<!-- x = "<script>f()</script>"; -->'), (6, 15, "h()"), (6, 67, "j()"),
        (7, 27, "k()\n"),
    ]  # fmt: skip


def test_code_facts_are_shifted_merged_and_survive_the_cache() -> None:
    template = (
        "<p>é</p><script>function a() { b(); }</script>\n"
        "<script>\nconst go = () => a();\nxs.map((x) => c(x));\n</script>\n"
    ).encode()
    facts = extract_html_code(template)
    assert [(f.name, f.line, f.column, f.parent, f.end_line) for f in facts.functions] == [
        ("a", 1, 17, -1, 1), ("go", 3, 12, -1, 3), ("<anonymous>", 4, 8, -1, 4),
    ]  # fmt: skip
    assert [(c.callee, c.line, c.column, c.scope) for c in facts.calls] == [
        ("b", 1, 32, 0), ("a", 3, 18, 1), ("xs.map", 4, 1, -1), ("c", 4, 15, 2),
    ]  # fmt: skip
    assert facts.calls[2].args[0].text == "2"  # the "function" Value names the shifted index
    assert facts.calls[3].loops[0][:4] == ("map", 4, 4, "xs")
    assert CodeFacts.from_record(facts.to_record()) == facts
    assert extract_html_code(template) == facts


def test_placeholders_read_as_their_tags_unless_two_tags_share_one() -> None:
    facts = extract_html_code(
        b'<p>{{ a.b }}</p><script>f("{{ x.y }}", "{{ x|y }}", {{ z|tojson }}, {{ a|b }})</script>'
    )
    assert [(v.kind, v.text) for v in facts.calls[0].args] == [
        ("str", "___x_y___"), ("str", "___x_y___"), ("name", "{{ z|tojson }}"),
        ("name", "{{ a|b }}"),  # {{ a.b }} is outside the script: no ambiguity
    ]  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [b"", b"<p>no script</p>", b"\0<script>a()</script>", b"<script>\xff\xfe a(</script>",
     b"<script", b"<script>", b"{{ <script>a()</script>", b"\xef\xbb\xbf<script>a()</script>"],
)
def test_odd_templates_never_raise(data: bytes) -> None:
    facts = extract_html_code(data)
    assert isinstance(facts, CodeFacts)
    if data.startswith(b"\xef\xbb\xbf"):
        assert [(c.callee, c.line, c.column) for c in facts.calls] == [("a", 1, 9)]
