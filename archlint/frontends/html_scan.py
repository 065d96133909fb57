"""The inline scripts of an HTML page or a Jinja / Django template, found as a browser would.

Two passes over the decoded text, each keeping it the same length in characters with every
newline in place, so an offset in the result is an offset in the file:

:func:`blank_template_tags`
    Template syntax goes first, because it may hold ``<``, ``>`` or ``</script>`` that would
    fool the HTML pass (``{% if a > b %}``, ``{{ "</script>" }}``). ``{% … %}`` statements
    and ``{# … #}`` comments become spaces; a Django ``{% comment %} … {% endcomment %}``
    block becomes spaces whole (its content never reaches the browser). ``{{ … }}``
    expressions become an identifier of the same length, their letters and digits kept
    and everything else ``_`` (``{{ token }}`` -> ``___token___``): blanks would leave
    ``const t = ;``, an identifier parses wherever an expression may stand (and inside a
    string it is only text). Strings inside a tag are skipped as Jinja's lexer does
    (``{{ "}}" }}``); a tag with no end is left as it is. Plain ``.html`` pages go through
    this pass too (a page cannot be told from a template, and ``{{``, ``{%``, ``{#`` are
    rare in plain JavaScript); so does ``{% raw %}`` content, harmlessly.
:func:`inline_scripts`
    A small HTML tokenizer that follows the HTML standard where it matters here: comments
    (``<!-- … -->``, also ``<!-->``, ``--!>``), doctypes and other bogus comments are
    skipped; the content of raw-text elements (``<style>``, ``<textarea>``, ``<title>``,
    ``<noscript>``, ``<xmp>``, ``<iframe>``, ``<noembed>``, ``<noframes>``, and all that
    follows ``<plaintext>``) is text, never tags; script data ends at the first ``</script`` followed by a space, ``/`` or ``>``,
    in any case, *even inside a JavaScript string* (the browser ends it there too, which is
    why pages write ``"<\\/script>"``), except in the legacy "double escaped" state
    (``<!-- … <script> … </script> … -->`` inside a script). A ``<script>`` left open at the
    end of the file still counts: a template may be cut anywhere.

A script runs, and is returned, when it has no ``src`` attribute (the browser ignores the
content then) and its ``type`` is absent, empty, ``module`` or a JavaScript MIME type
(``text/javascript``, ``application/javascript`` and the legacy ``ecmascript`` /
``x-javascript`` / ``jscript`` / ``livescript`` ones, parameters such as ``;charset=`` ignored),
or ``text/babel`` / ``text/jsx`` (JSX compiled in the page). An old ``language="javascript"``
stands for ``type="text/javascript"``. Anything else (``application/json``,
``application/ld+json``, ``importmap``, ``text/template``, ``text/x-template`` …) is data.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Script(NamedTuple):
    """One inline script: ``body`` starts at offset ``start`` of the text, on 1-based
    ``line`` at 1-based ``column`` (characters)."""

    start: int
    line: int
    column: int
    body: str


# --- template syntax --------------------------------------------------------------------

_OPENER = re.compile(r"\{[{%#]")
_CLOSERS = {"{": "}}", "%": "%}", "#": "#}"}
_COMMENT_BLOCK = re.compile(r"\{%[-+]?\s*comment\b")  # Django's {% comment "note" %}
_END_COMMENT = re.compile(r"\{%[-+]?\s*endcomment\s*[-+]?%\}")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_\r\n]")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_QUOTE = re.compile("['\"]")


def _tag_end(text: str, start: int, kind: str) -> int:
    """The offset just past the tag opened at ``start``, -1 when it has no end. Quoted
    strings inside ``{{ }}`` and ``{% %}`` are skipped; when that leaves no closer (a quote
    that never ends), the first closer ends the tag."""
    closer = _CLOSERS[kind]
    first = end = text.find(closer, start + 2)
    if kind == "#" or end < 0:
        return end + 2 if end >= 0 else -1
    position = start + 2
    while True:
        quote = _first_quote(text, position, end)
        if quote < 0:
            return end + 2
        finish = text.find(text[quote], quote + 1)
        if finish < 0:
            return first + 2
        position = finish + 1
        if position > end:
            end = text.find(closer, position)
            if end < 0:
                return first + 2


def _first_quote(text: str, start: int, end: int) -> int:
    match = _QUOTE.search(text, start, end)  # one search: two finds could rescan the text
    return match.start() if match is not None else -1


class Placeholder(NamedTuple):
    """A one-line ``{{ … }}`` tag at ``start``, and the identifier that replaced it."""

    start: int
    text: str
    tag: str


def blank_template_tags(text: str) -> tuple[str, list[Placeholder]]:
    """The text with its template tags blanked (see the module docstring), and its one-line
    ``{{ … }}`` placeholders in document order."""
    if "{" not in text:
        return text, []
    parts: list[str] = []
    placeholders: list[Placeholder] = []
    done = 0  # text[:done] is in parts
    position = 0
    exhausted: set[str] = set()  # tag kinds with no closer left in the rest of the text
    while True:
        match = _OPENER.search(text, position)
        if match is None:
            break
        start, kind = match.start(), text[match.start() + 1]
        if kind in exhausted:
            position = start + 1
            continue
        end = _tag_end(text, start, kind)
        if end < 0:
            exhausted.add(kind)
            position = start + 1
            continue
        if kind == "%" and _COMMENT_BLOCK.match(text, start):
            block_end = _END_COMMENT.search(text, end)
            end = block_end.end() if block_end is not None else len(text)
        tag = text[start:end]
        if kind == "{":
            placeholder = _NOT_IDENTIFIER.sub("_", tag)
            if "\n" not in tag and "\r" not in tag:
                placeholders.append(Placeholder(start, placeholder, tag))
        else:
            placeholder = _NOT_NEWLINE.sub(" ", tag)
        parts.append(text[done:start])
        parts.append(placeholder)
        done = position = end
    if not parts:
        return text, []
    parts.append(text[done:])
    return "".join(parts), placeholders


# --- HTML -------------------------------------------------------------------------------

_SPACE = "\t\n\f\r "
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_ATTRIBUTE = re.compile(
    r"""[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?)"""
)
_COMMENT_END = re.compile(r"--!?>")
# Elements whose content is text: no tag inside them opens (RAWTEXT and RCDATA).
_RAW_TEXT = frozenset(
    {"style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"}
)
_SCRIPT_EVENT = re.compile(r"<!--|-->|<(/?)script[\t\n\f\r />]", re.IGNORECASE)
_JAVASCRIPT_TYPES = frozenset(
    {
        "", "module", "text/javascript", "application/javascript", "text/ecmascript",
        "application/ecmascript", "application/x-javascript", "application/x-ecmascript",
        "text/x-javascript", "text/x-ecmascript", "text/jscript", "text/livescript",
        "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
        "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
        "text/babel", "text/jsx",
    }
)  # fmt: skip


def _start_tag(text: str, start: int) -> tuple[str, dict[str, str], int] | None:
    """(lower-case name, attributes, offset past ``>``) of the start tag whose name begins
    at ``start``; None when the file ends inside it (the browser drops such a tag)."""
    name_end = _TAG_NAME.match(text, start).end()  # type: ignore[union-attr]
    name = text[start:name_end].lower()
    attributes: dict[str, str] = {}
    position = name_end
    while True:
        match = _ATTRIBUTE.match(text, position)
        if match is None:
            return None
        if match.group(1):
            return name, attributes, match.end()
        key = match.group(2).lower()
        value = match.group(3) if match.group(3) is not None else match.group(4)
        if value is None:
            value = match.group(5) or ""
        attributes.setdefault(key, value)  # the first of two same-named attributes wins
        position = match.end()


def _script_end(text: str, start: int) -> int:
    """The offset of the ``</script`` that ends the script data starting at ``start``
    (the end of the text when none does), through the escaped states of the standard."""
    state = 0  # 0: script data, 1: escaped (after "<!--"), 2: double escaped
    position = start
    while True:
        match = _SCRIPT_EVENT.search(text, position)
        if match is None:
            return len(text)
        token = match.group()
        if token == "<!--":
            state = state or 1
            position = match.end() - 2  # "<!-->" opens and closes at once
        elif token == "-->":
            state = 0
            position = match.end()
        elif match.group(1):  # </script
            if state != 2:
                return match.start()
            state = 1
            position = match.end() - 1
        else:  # <script
            if state == 1:
                state = 2
            position = match.end() - 1


def _raw_text_end(text: str, start: int, name: str) -> int:
    pattern = re.compile(r"</" + name + r"[\t\n\f\r />]", re.IGNORECASE)
    match = pattern.search(text, start)
    return match.start() if match is not None else len(text)


def runs_as_javascript(attributes: dict[str, str]) -> bool:
    """Whether a browser runs this script element's content as JavaScript."""
    if "src" in attributes:
        return False
    kind = attributes.get("type")
    if kind is None:
        language = attributes.get("language", "")
        kind = "text/" + language if language else ""
    return kind.partition(";")[0].strip(_SPACE).lower() in _JAVASCRIPT_TYPES


def inline_scripts(text: str) -> list[Script]:
    """Every inline script of ``text`` (template tags already blanked), in document order."""
    scripts: list[Script] = []
    size = len(text)
    position = 0
    line, line_start, counted = 1, 0, 0  # counted as the scan goes: one long line is cheap
    while True:
        less = text.find("<", position)
        if less < 0 or less + 1 >= size:
            return scripts
        after = text[less + 1]
        if text.startswith("<!--", less):
            if text.startswith(">", less + 4) or text.startswith("->", less + 4):
                position = text.find(">", less + 4) + 1  # "<!-->" and "<!--->" are empty
                continue
            match = _COMMENT_END.search(text, less + 4)
            position = match.end() if match is not None else size
        elif after in "!?/":
            # A doctype, a bogus comment or an end tag: nothing up to ">" matters here.
            end = text.find(">", less + 2)
            position = end + 1 if end >= 0 else size
        elif after.isascii() and after.isalpha():
            tag = _start_tag(text, less + 1)
            if tag is None:
                return scripts
            name, attributes, body = tag
            position = body
            if name == "script":
                position = _script_end(text, body)
                if runs_as_javascript(attributes):
                    newlines = text.count("\n", counted, body)
                    if newlines:
                        line += newlines
                        line_start = text.rfind("\n", counted, body) + 1
                    counted = body
                    scripts.append(Script(body, line, body - line_start + 1, text[body:position]))
            elif name == "plaintext":
                return scripts  # everything after it is text
            elif name in _RAW_TEXT:
                position = _raw_text_end(text, body, name)
        else:
            position = less + 1
