"""HTML and Jinja / Django templates (``.html .htm .jinja .jinja2 .j2``): code facts of their
inline scripts, in the template's own lines and columns.

A template imports nothing: :func:`parse_html` gives no import sites and never a problem,
so templates are no graph modules and change no contract. Its code facts are those of its
inline ``<script>`` elements (:mod:`archlint.frontends.html_scan` finds them as a browser
would, after blanking the template syntax), each read by the JavaScript extractor of
:mod:`archlint.frontends.javascript_code` on its own and merged into one
:class:`~archlint.codefacts.CodeFacts`:

* lines and columns are the template's (a script's first line is shifted by the columns
  before its body, the others only by lines); ``end_line`` and loops too;
* function indices (``parent``, ``scope``, "function" Values) are shifted by the functions
  of the scripts before, so scripts never share a function; at module level (scope -1)
  they share one scope, as classic scripts share the page's globals;
* a ``{{ … }}`` placeholder in any text (a string, a name, a callee, a target) reads as the
  tag it stands for again: ``"{{ token }}"`` is the str "{{ token }}";
* ``main_guard`` is the first script's, if any (``require.main`` means nothing in a page).

A script that does not parse gives what tree-sitter recovered, like a JS file; it is not a
finding (no AL001): once blanked, template code often is not JavaScript as it stands
(``{% for %}`` building an array), while the page the template renders may be fine. A
template that is not UTF-8 is read with replacement characters. Never raises.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left

from archlint.codefacts import (
    Assign,
    Call,
    CodeFacts,
    Function,
    Loop,
    Param,
    Return,
    Value,
)
from archlint.facts import FileFacts
from archlint.frontends.html_scan import (
    Placeholder,
    Script,
    blank_template_tags,
    inline_scripts,
)

LANGUAGE = "html"
_BOM = b"\xef\xbb\xbf"
_SCRIPT = re.compile(rb"<script", re.IGNORECASE)


def parse_html(data: bytes) -> FileFacts:
    """The import facts of a template: none (a ``<script src>`` loads a URL, not a module)."""
    return FileFacts(LANGUAGE)


class _Shift:
    """Moves one script's facts into the template's coordinates, and back to its text."""

    def __init__(self, script: Script, functions: int, originals: dict[str, str]) -> None:
        self.lines = script.line - 1  # lines before the script's first line
        self.columns = script.column - 1  # characters before the body on its first line
        self.functions = functions  # functions of the scripts before
        self.originals = originals  # placeholder -> the {{ … }} tag it stands for
        self.pattern = (
            re.compile("|".join(map(re.escape, sorted(self.originals, key=len, reverse=True))))
            if self.originals else None
        )  # fmt: skip
        self.loops: dict[tuple[Loop, ...], tuple[Loop, ...]] = {}

    def at(self, line: int, column: int) -> tuple[int, int]:
        return line + self.lines, column + self.columns if line == 1 else column

    def scope(self, scope: int) -> int:
        return scope + self.functions if scope >= 0 else scope

    def text(self, text: str) -> str:
        """A text with the ``{{ … }}`` placeholders in it read as their tags again."""
        if self.pattern is None or "__" not in text:
            return text
        return self.pattern.sub(lambda match: self.originals[match.group()], text)

    def value(self, value: Value | None) -> Value | None:
        if value is None:
            return None
        kind, text, args, items = value
        if kind == "function":
            text = str(int(text) + self.functions)
        else:
            text = self.text(text)
        return Value(
            kind, text, tuple(self.value(a) for a in args),  # type: ignore[misc]
            tuple((self.text(k), self.value(v)) for k, v in items),  # type: ignore[misc]
        )  # fmt: skip

    def values(self, values: tuple[Value, ...]) -> tuple[Value, ...]:
        return tuple(self.value(v) for v in values)  # type: ignore[misc]

    def loop_stack(self, loops: tuple[Loop, ...]) -> tuple[Loop, ...]:
        shifted = self.loops.get(loops)
        if shifted is None:
            shifted = self.loops[loops] = tuple(
                Loop(loop.kind, *self.at(loop.line, loop.column), self.text(loop.over))
                for loop in loops
            )
        return shifted

    def function(self, f: Function) -> Function:
        line, column = self.at(f.line, f.column)
        return f._replace(
            name=self.text(f.name), qualname=self.text(f.qualname), line=line,
            end_line=f.end_line + self.lines, column=column, parent=self.scope(f.parent),
            decorators=self.values(f.decorators),
            params=tuple(
                Param(p.name, p.annotation, p.kind, self.value(p.default)) for p in f.params
            ),
        )  # fmt: skip

    def call(self, c: Call) -> Call:
        kwargs = tuple((k, self.value(v)) for k, v in c.kwargs)
        return Call(self.text(c.callee), self.values(c.args), kwargs,  # type: ignore[arg-type]
                    *self.at(c.line, c.column), self.scope(c.scope), self.loop_stack(c.loops))

    def returned(self, r: Return) -> Return:
        return Return(self.value(r.value), *self.at(r.line, r.column), self.scope(r.scope))

    def assign(self, a: Assign) -> Assign:
        return Assign(self.text(a.target), a.op, self.value(a.value), a.annotation,
                      *self.at(a.line, a.column), self.scope(a.scope))  # fmt: skip


def _originals(script: Script, placeholders: list[Placeholder], starts: list[int]) -> dict[str, str]:
    """placeholder -> tag, for the placeholders inside one script; one that two different
    tags share (``{{ a.b }}``, ``{{ a|b }}``) is left out: it cannot be told which it was."""
    first = bisect_left(starts, script.start)
    last = bisect_left(starts, script.start + len(script.body))
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for placeholder in placeholders[first:last]:
        if found.setdefault(placeholder.text, placeholder.tag) != placeholder.tag:
            ambiguous.add(placeholder.text)
    for text in ambiguous:
        del found[text]
    return found


def extract_html_code(data: bytes) -> CodeFacts:
    """Code facts of a template: every inline script's, in the template's coordinates."""
    if b"\0" in data or _SCRIPT.search(data) is None:
        return CodeFacts()
    # Here, not at the top: parse_html runs for every template, and needs no tree-sitter.
    from archlint.frontends.javascript_code import extract_javascript_code

    enabled = gc.isenabled()
    gc.disable()  # records hold no cycles; collections would only rescan them
    try:
        text = data.removeprefix(_BOM).decode("utf-8", "replace")
        blanked, placeholders = blank_template_tags(text)
        starts = [p.start for p in placeholders]
        functions: list[Function] = []
        calls: list[Call] = []
        returns: list[Return] = []
        assigns: list[Assign] = []
        main_guard: tuple[int, int] | None = None
        for script in inline_scripts(blanked):
            facts = extract_javascript_code(script.body.encode("utf-8"))
            originals = _originals(script, placeholders, starts)
            shift = _Shift(script, len(functions), originals)
            functions += map(shift.function, facts.functions)
            calls += map(shift.call, facts.calls)
            returns += map(shift.returned, facts.returns)
            assigns += map(shift.assign, facts.assigns)
            if main_guard is None and facts.main_guard is not None:
                first, last = facts.main_guard
                main_guard = (first + shift.lines, last + shift.lines)
        return CodeFacts(tuple(functions), tuple(calls), tuple(returns), tuple(assigns), main_guard)
    except Exception:  # noqa: BLE001 - defensive: one odd file must not stop a run
        return CodeFacts()
    finally:
        if enabled:
            gc.enable()
