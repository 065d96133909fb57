"""## What it does
Reports JavaScript / TypeScript code and template scripts that keep an auth token in web
storage, where any script on the page can read it. Web storage is `localStorage` or
`sessionStorage` (the `storages` option), written with `.setItem(key, value)`, a property
assignment (`localStorage.token = …`) or a bracket assignment (`localStorage["jwt"] = …`); what is
written is a token when its key or value reads as one. It reads as one when the key (a string such as
`"auth_token"`, `"accessToken"`, `"app.jwt"`; a constant `TOKEN_KEY`, or the string such a
module constant holds) or the value's name (`accessToken`, `res.data.token`, `getToken()`,
a `{token}` object, `` `Bearer ${t}` ``), split into words on camelCase, `_`, `-` and `.`,
holds a word of the `words` option (token, jwt, bearer, password, sid …; a phrase such as
"api key" matches consecutive words), or is, as a whole last segment, a word of the
`exact_words` option (`"refresh"`, `"myapp:auth"`, `tokens.access`: words that also start
harmless names such as `refreshInterval`, `accessLevel`, `session_expired`). The storage is
found through `window.` / `globalThis.` and through simple aliases, module- or
function-level (`const store = window.localStorage; store.setItem("token", t)`). Reading
(`getItem`), removing, and storing anything else (`setItem("theme", "dark")`) are fine. The
files are every JavaScript, TypeScript and template file (HTML and Jinja / Django: `.html`,
`.htm`, `.jinja`, `.jinja2`, `.j2`) of the project, tests and end-to-end suites excluded (the
`exclude` option). In a template, the inline `<script>` elements are read, and only those a
browser runs count (no `src`, a JavaScript or module `type`: not `application/json` nor
`text/template`; not in an HTML or template comment); `{% … %}` and `{# … #}` tags read as
blanks and a `{{ … }}` as a value written as is, so
`localStorage.setItem("access_token", "{{ token }}")` is reported at its line and column in
the template. The scripts of one page share their module-level names.

## Why is this bad?
Anything in `localStorage` or `sessionStorage` is readable by every script that runs on the
page: one XSS hole or one compromised npm package is enough to copy the token and replay it
from anywhere, for as long as it lives. An `HttpOnly` cookie cannot be read by scripts at
all, and a token kept only in memory disappears with the tab.

## Example
```ts
export async function login(form: LoginForm) {
  const { data } = await api.post("/auth/login", form);
  localStorage.setItem("accessToken", data.access_token);
  localStorage.refresh = data.refresh_token;
}
```

## Use instead
```ts
export async function login(form: LoginForm) {
  // the server answers with Set-Cookie: refresh=…; HttpOnly; Secure; SameSite=Strict
  const { data } = await api.post("/auth/login", form, { withCredentials: true });
  session.accessToken = data.access_token; // in memory only, gone with the tab
}
```
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from archlint.codefacts import CodeFacts, Value
from archlint.discover import LANGUAGE_BY_SUFFIX
from archlint.findings import Finding
from archlint.globs import path_matcher
from archlint.rules.context import RuleContext
from archlint.rules.scope import TEST_FILES

CODE = "AL301"
NAME = "token-in-web-storage"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "*"  # every file: a token in web storage is wrong wherever it is written
CODE_TRIGGERS = (b"localStorage", b"sessionStorage")
OPTIONS: dict[str, object] = {
    "words": [
        "token", "tokens", "jwt", "bearer", "credential", "credentials", "password", "secret",
        "api key", "apikey", "session id", "sid",
    ],
    "exact_words": ["access", "refresh", "auth", "authorization", "session"],
    "storages": ["localStorage", "sessionStorage"],
    "exclude": [*TEST_FILES, "**/cypress/**", "**/e2e/**", "**/playwright/**"],
}  # fmt: skip

_LANGUAGES = ("javascript", "typescript")
# Templates are no graph modules (they import nothing): they are found among every path.
_TEMPLATE_SUFFIXES = frozenset(s for s, language in LANGUAGE_BY_SUFFIX.items() if language == "html")
_TEMPLATE_ENDINGS = tuple(_TEMPLATE_SUFFIXES)  # a cheap test before splitext's
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_SEGMENT = re.compile(r"[.:/]")
_ALIAS_OPS = ("=", "const", "let", "var")
_MAX_HOPS = 8


def _words(text: str) -> list[str]:
    """Lower-case words: ``accessToken`` -> access, token; ``x-auth.jwt`` -> x, auth, jwt."""
    return [word.lower() for word in _WORDS.findall(text)]


def _last(dotted: str) -> str:
    """The last name of a dotted text: ``res.data.token`` -> token, ``getToken()`` -> getToken."""
    return dotted.replace("()", "").replace("[]", "").rpartition(".")[2]


class _File:
    """The questions the rule asks of one file's facts: aliases, constants, token words."""

    def __init__(self, facts: CodeFacts, phrases: list[list[str]], exact: list[list[str]],
                 storages: set[str]) -> None:
        self.facts = facts
        self.phrases = phrases
        self.exact = exact
        self.storages = storages
        # (scope, name) -> the values a plain name is bound to there (aliases, constants)
        self.bindings: dict[tuple[int, str], list[Value]] = {}
        for assign in facts.assigns:
            if assign.value is not None and assign.op in _ALIAS_OPS and assign.target.isidentifier():
                self.bindings.setdefault((assign.scope, assign.target), []).append(assign.value)

    def bound(self, scope: int, name: str) -> list[Value]:
        """What ``name`` is bound to, seen from ``scope``: the nearest scope that binds it."""
        while True:
            found = self.bindings.get((scope, name))
            if found is not None:
                return found
            if scope < 0:
                return []
            scope = self.facts.functions[scope].parent

    def storage(self, receiver: str, scope: int, hops: int = 0) -> str:
        """The storage a receiver's text names ("localStorage"), through aliases; "" if none."""
        last = receiver.rpartition(".")[2]
        if last in self.storages:
            return last
        root, dot, rest = receiver.partition(".")
        if hops >= _MAX_HOPS or not root.isidentifier():
            return ""
        for value in self.bound(scope, root):
            for name in _names(value):
                found = self.storage(name + dot + rest if rest else name, scope, hops + 1)
                if found:
                    return found
        return ""

    def says(self, texts: list[str]) -> str:
        """The configured word one of ``texts`` is made of: a word or phrase of ``words``
        anywhere in it, or one of ``exact_words`` as its whole last segment; "" if none."""
        for text in texts:
            words = _words(text)
            for phrase in self.phrases:
                size = len(phrase)
                if any(words[i : i + size] == phrase for i in range(len(words) - size + 1)):
                    return " ".join(phrase)
            last = _words(_SEGMENT.split(text)[-1])
            if last in self.exact:
                return " ".join(last)
        return ""

    def key_texts(self, key: Value | None, scope: int) -> list[str]:
        """What a storage key says: a string, a name's last part and the string a constant
        of that name holds, a call's last part."""
        if key is None:
            return []
        if key.kind in ("str", "fstr"):
            return [key.text]
        if key.kind == "name":
            found = [_last(key.text)]
            if key.text.isidentifier():
                found += [v.text for v in self.bound(scope, key.text) if v.kind in ("str", "fstr")]
            return found
        if key.kind == "call":
            return [_last(key.text)]
        return []


def _names(value: Value) -> list[str]:
    """The dotted names an alias value may stand for (both sides of ``a || b``, ``c ? a : b``)."""
    if value.kind == "name":
        return [value.text]
    if value.kind == "op" and value.text in ("or", "??", "if"):
        operands = value.args[::2] if value.text == "if" else value.args  # not the condition
        return [name for operand in operands for name in _names(operand)]
    return []


def _value_texts(value: Value | None) -> list[str]:
    """What a stored value says: names by their last part, calls by their callee's last part
    and their arguments, objects by their keys and values, templates by their text. String
    literals say nothing (a constant is not a secret fetched at run time)."""
    if value is None:
        return []
    kind = value.kind
    if kind == "name":
        return [_last(value.text)]
    if kind == "fstr":
        return [value.text]
    found: list[str] = []
    if kind == "call":
        found.append(_last(value.text))
    elif kind == "dict":
        for key, item in value.items:
            found += ([key] if key != "**" else []) + _value_texts(item)
    for arg in value.args:
        found += _value_texts(arg)
    return found


def _describe(value: Value | None) -> str:
    if value is None:
        return "…"
    if value.kind == "str":
        return repr(value.text)
    if value.kind == "fstr":
        return "`" + value.text.replace("{", "${") + "`"
    if value.kind == "name":
        return value.text
    if value.kind == "call":
        return f"{value.text}(…)"
    return "…"


def _files(context: RuleContext) -> Iterator[tuple[str, CodeFacts]]:
    """(path, code facts) of every JavaScript / TypeScript / template file not excluded."""
    excluded = path_matcher(tuple(str(p) for p in context.options.get("exclude", ())))
    paths = {
        node.path for node in context.graph.nodes.values()
        if node.path and not node.external and node.language in _LANGUAGES
    }  # fmt: skip
    paths.update(
        path for path in context.paths or ()
        if path.endswith(_TEMPLATE_ENDINGS) and posixpath.splitext(path)[1] in _TEMPLATE_SUFFIXES
    )  # fmt: skip
    for path in sorted(paths):
        if excluded(path):
            continue
        facts = context.code(path)
        if facts is not None:
            yield path, facts


def check(context: RuleContext) -> Iterator[Finding]:
    phrases = [p for p in (_words(str(word)) for word in context.options["words"]) if p]
    exact = [p for p in (_words(str(word)) for word in context.options["exact_words"]) if p]
    storages = {str(name) for name in context.options["storages"]}
    for path, facts in _files(context):
        file = _File(facts, phrases, exact, storages)
        found: list[tuple[int, int, str]] = []
        for call in facts.calls:
            receiver, _, method = call.callee.rpartition(".")
            if method != "setItem" or not receiver:
                continue
            storage = file.storage(receiver, call.scope)
            if not storage:
                continue
            key, value = call.arg(0), call.arg(1)
            why = _why(file, key, value, call.scope)
            if why:
                what = f"{call.callee}({_describe(key)}, {_describe(value)})"
                found.append((call.line, call.column, f"{what} keeps a token in {storage} {why}"))
        for assign in facts.assigns:
            if assign.op in ("del", ":") or assign.op in _ALIAS_OPS[1:]:
                continue
            if assign.target.endswith("[]"):  # localStorage[key] = …: the key is unknown
                receiver, member = assign.target[:-2], ""
            else:
                receiver, _, member = assign.target.rpartition(".")
            if not receiver or "[]" in receiver or "()" in receiver:
                continue
            storage = file.storage(receiver, assign.scope)
            if not storage:
                continue
            key = Value("str", member) if member else None
            why = _why(file, key, assign.value, assign.scope)
            if why:
                shown = f"{receiver}.{member}" if member else f"{receiver}[…]"
                what = f"{shown} {assign.op} {_describe(assign.value)}"
                found.append((assign.line, assign.column, f"{what} keeps a token in {storage} {why}"))
        for line, column, message in sorted(found):
            yield context.at(
                path, line, column,
                f"{message}: any script on the page (an XSS, a compromised package) can read "
                "it; keep tokens in an HttpOnly, Secure cookie or in memory",
            )  # fmt: skip


def _why(file: _File, key: Value | None, value: Value | None, scope: int) -> str:
    """Why this stored item is a token ("(the key says 'jwt')"); "" when it is not one."""
    word = file.says(file.key_texts(key, scope))
    if word:
        return f"(the key says {word!r})"
    word = file.says(_value_texts(value))
    if word:
        return f"(the value says {word!r})"
    return ""
