"""AL301 token-in-web-storage, end to end through the CLI: one bad file with exact findings,
and look-alikes that are fine.

The JS/TS code extractors are registered here with ``monkeypatch`` on
``archlint.frontends.CODE_FRONTENDS`` (the cached ``code_extractor_for`` is cleared around
each test), so these tests do not depend on the registry listing them yet.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from archlint import frontends
from tests.test_cli import run, write_tree

_EXTRACTORS = {
    "javascript": ("extract_javascript_code", "javascript-code-1"),
    "typescript": ("extract_typescript_code", "typescript-code-2"),
    "tsx": ("extract_tsx_code", "tsx-code-2"),
}


@pytest.fixture(autouse=True)
def javascript_code_frontends(monkeypatch: pytest.MonkeyPatch):
    for language, (function, version) in _EXTRACTORS.items():
        entry = ("archlint.frontends.javascript_code", function, version)
        monkeypatch.setitem(frontends.CODE_FRONTENDS, language, entry)
    frontends.code_extractor_for.cache_clear()
    yield
    frontends.code_extractor_for.cache_clear()


def findings(root: Path, capsys, files: dict[str, str], config: str = "") -> list[tuple]:
    tree = {"web/package.json": '{"name": "web", "private": true}\n'}
    if config:
        tree["archlint.toml"] = config
    tree.update({path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()})
    write_tree(root, tree)
    args = ["check", str(root), "--no-cache", "--format", "json", "--select", "AL301"]
    code, out, err = run(args, capsys)
    assert code in (0, 1), err
    return [(f["code"], f["path"], f["line"], f["column"], f["message"])
            for f in json.loads(out)["findings"]]


BAD = {
    "web/src/lib/auth.ts": """
        const store = window.localStorage;
        const TOKEN_KEY = "app.jwt";

        export async function login(form: LoginForm) {
          const { data } = await api.post("/auth/login", form);
          localStorage.setItem("accessToken", data.access_token);
          store.setItem(TOKEN_KEY, data.t);
          const session = window.sessionStorage;
          session.setItem("user", data.refreshToken);
          localStorage["jwt"] = data.jwt;
          localStorage.refresh = data.refresh;
          sessionStorage[slot] = `Bearer ${data.t}`;
          localStorage.setItem("u", tokens.access);
        }
    """,
    "web/src/components/Login.jsx": """
        export function Login({ onDone }) {
          const save = (res) => window.localStorage.setItem("auth", JSON.stringify(res.body));
          return <form onSubmit={() => api.login().then(save)} />;
        }
    """,
}

HOW = (": any script on the page (an XSS, a compromised package) can read it; keep tokens in "
       "an HttpOnly, Secure cookie or in memory")


def test_tokens_in_web_storage(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, BAD)
    assert found == [
        ("AL301", "web/src/components/Login.jsx", 2, 25,
         "window.localStorage.setItem('auth', JSON.stringify(…)) keeps a token in localStorage "
         "(the key says 'auth')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 6, 3,
         "localStorage.setItem('accessToken', data.access_token) keeps a token in localStorage "
         "(the key says 'token')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 7, 3,  # a module-level alias, a constant key
         "store.setItem(TOKEN_KEY, data.t) keeps a token in localStorage (the key says 'token')"
         + HOW),
        ("AL301", "web/src/lib/auth.ts", 9, 3,  # a function-level alias, a token-named value
         "session.setItem('user', data.refreshToken) keeps a token in sessionStorage (the value "
         "says 'token')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 10, 3,
         "localStorage.jwt = data.jwt keeps a token in localStorage (the key says 'jwt')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 11, 3,
         "localStorage.refresh = data.refresh keeps a token in localStorage (the key says "
         "'refresh')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 12, 3,
         "sessionStorage[…] = `Bearer ${data.t}` keeps a token in sessionStorage (the value says "
         "'bearer')" + HOW),
        ("AL301", "web/src/lib/auth.ts", 13, 3,
         "localStorage.setItem('u', tokens.access) keeps a token in localStorage (the value says "
         "'access')" + HOW),
    ]


@pytest.mark.parametrize(
    "source",
    [
        # preferences and other data that are no tokens
        ('localStorage.setItem("theme", "dark");\nlocalStorage.sidebar = "collapsed";\n'
         'export const saveCart = (cart) => localStorage.setItem("cart", JSON.stringify(cart));\n'),
        # names that start with an exact word but are something else
        ('localStorage.setItem("refreshInterval", 30);\nlocalStorage.accessLevel = user.accessLevel;\n'
         'sessionStorage.setItem("session_expired", "1");\nlocalStorage.setItem("authorName", a.name);\n'),
        # reading and removing a token is fine
        ('const t = localStorage.getItem("token");\nlocalStorage.removeItem("token");\n'
         "sessionStorage.clear();\n"),
        # a token kept in memory: a module variable, a store object
        ("let token = null;\nexport function login(data) {\n  token = data.token;\n"
         "  authStore.accessToken = data.access;\n  tokens['refresh'] = data.refresh;\n}\n"),
        # cookies (whether they should be HttpOnly is another rule's business)
        ("export function remember(t) {\n  document.cookie = `token=${t}; Secure`;\n"
         '  Cookies.set("token", t, { secure: true });\n}\n'),
        # a setItem on something that is not web storage
        'const cache = new Map();\ncache.set("token", t);\nredis.setItem("token", t);\n',
    ],
    ids=["preferences", "longer-names", "get-and-remove", "in-memory", "cookies", "other-stores"],
)
def test_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, {"web/src/session.ts": source}) == []


def test_tests_are_excluded(tmp_path: Path, capsys) -> None:
    files = {
        "web/src/auth.test.ts": 'localStorage.setItem("token", "fake");\n',
        "web/cypress/support/commands.js": 'localStorage.setItem("token", fake);\n',
    }
    assert findings(tmp_path, capsys, files) == []


def test_the_words_option(tmp_path: Path, capsys) -> None:
    files = {"web/src/a.js": 'localStorage.setItem("token", t);\nlocalStorage.setItem("sid", s);\n'
                             'localStorage.setItem("apiKey", k);\n'}
    config = '[rules.token-in-web-storage]\nwords = ["sid", "api key"]\n'
    found = findings(tmp_path, capsys, files, config)
    assert [(f[2], f[4].split(" keeps")[1].split(":")[0]) for f in found] == [
        (2, " a token in localStorage (the key says 'sid')"),
        (3, " a token in localStorage (the key says 'api key')"),
    ]
