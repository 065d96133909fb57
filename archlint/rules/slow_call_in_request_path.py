"""## What it does
Reports slow work done while a request waits: a call in a route handler, or in a function of
the same module that the handler calls (one level: a module-level def called by name, or a
method of the handler's class called as `self.name(...)`), that sends mail, calls a
third-party HTTP API, processes images or runs ML inference. Calls are matched by their
callee text (`*` matches any text) against the options `mail_calls` (`smtplib.*`,
`send_mail`, `*.send_message`, `sendgrid.*` …), `http_calls` (`requests.*`, `httpx.*`,
`aiohttp.*`, `urllib.request.urlopen` …), `image_calls` (`Image.open`, `PIL.*`, `cv2.*` …)
and `ml_calls` (`*.predict`, `pipeline`, `torch.*` …): the bundled `mail_clients`,
`http_clients`, `image_libraries` and `ml_libraries` lists name the same libraries, as
imported modules. A call in a helper is reported where the handler calls the helper.
Handing the work to a queue (`send_welcome.delay(...)`, FastAPI's
`background_tasks.add_task(send_mail, ...)`) passes the function without calling it: fine.

JavaScript / TypeScript handlers (Express, Koa, Fastify, NestJS): the same options hold the
JS libraries (nodemailer's `transporter.sendMail`, `sgMail.send`, SES/Postmark `sendEmail`;
`sharp(...)`, `Jimp.read`), the calls of callbacks inside the handler
(`.then(() => mailer.sendMail(...))`) are the handler's, a helper is a module function or
`this.method(...)` of the handler's class, and a call of `url_calls` (`fetch`, `axios`,
`got` …) calls an HTTP API when its URL is absolute: a literal `https://…`, a template
starting with a base URL (`${PARTNER_URL}/users`) or an environment variable (a relative
"/api/…" is the app's own server, a plain variable unknown).

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
A request that waits on an SMTP server, a partner's API, an image resize or a model holds
a worker (or a connection) for seconds, and fails or times out whenever that dependency is
slow or down. Under load the workers run out and the whole site stalls. Queued, the work is
retried on failure, runs at its own pace, and the request answers at once.

## Example
```python
@router.post("/users", status_code=201)
def register(user: UserIn):
    created = users.create(user)
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.send_message(welcome_mail(created))
    return created
```

## Use instead
```python
@router.post("/users", status_code=201)
def register(user: UserIn):
    created = users.create(user)
    send_welcome_mail.delay(created.id)  # a Celery/RQ/Dramatiq task
    return created
# or, for work the client waits for: enqueue it, answer 202 Accepted with a job URL
```
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from archlint.codefacts import KIND_FUNCTION, KIND_METHOD, Call, CodeFacts
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import (
    HANDLER_CODE_LAYERS,
    HANDLER_LAYERS,
    Handler,
    absolute_url,
    calls_by_scope,
    descendants,
    handler_files,
    is_javascript,
)
from archlint.rules.patterns import matcher
from archlint.rules.scope import TEST_FILES

CODE = "AL502"
NAME = "slow-call-in-request-path"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "mail_calls": [
        "smtplib.*", "aiosmtplib.*", "*.sendmail", "*.send_message", "send_mail",
        "*.send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage().send",
        "EmailMultiAlternatives().send", "mail.send", "*.mail.send", "sendgrid.*",
        "SendGridAPIClient", "yagmail.*", "resend.Emails.send",
        # JS/TS: nodemailer's transporter.sendMail, @sendgrid/mail, SES, Postmark, Resend
        "*.sendMail", "sgMail.send", "sgMail.sendMultiple", "*.sendEmail",
        "*.sendEmailWithTemplate", "resend.emails.send",
    ],
    "http_calls": [
        "requests.*", "httpx.*", "aiohttp.*", "urllib.request.urlopen", "urlopen",
        "urllib3.*", "http.client.*", "httplib2.*",
    ],
    # JS/TS HTTP clients: an HTTP API call when the URL is absolute (handlers.absolute_url).
    "url_calls": ["fetch", "axios", "axios.*", "got", "got.*", "ky", "ky.*", "superagent.*",
                  "needle", "undici.*", "ofetch", "$fetch"],
    "image_calls": [
        "Image.open", "Image.new", "Image.frombytes", "PIL.*", "ImageOps.*", "cv2.*",
        "imageio.*", "pyvips.*", "skimage.*",
        "sharp", "Jimp.read", "jimp.read",  # JS/TS
    ],
    "ml_calls": [
        "*.predict", "*.predict_proba", "pipeline", "transformers.*", "torch.*", "tf.*",
        "tensorflow.*", "onnxruntime.*", "SentenceTransformer",
    ],
}  # fmt: skip

_KINDS = (
    ("mail_calls", "sends mail"),
    ("http_calls", "calls an HTTP API"),
    ("image_calls", "processes an image"),
    ("ml_calls", "runs ML inference"),
)


class _Slow:
    """What slow thing a call does, if any: the option lists matched once per callee text."""

    def __init__(self, patterns: list[tuple[str, list[str]]], urls: list[str]) -> None:
        self.patterns = [(what, matcher(globs)) for what, globs in patterns]
        self.urls = matcher(urls)
        self.known: dict[str, tuple[str | None, bool]] = {}  # callee -> (what, a URL call)

    def __call__(self, call: Call, javascript: bool) -> str | None:
        known = self.known.get(call.callee)
        if known is None:
            what = next((what for what, match in self.patterns if match(call.callee)), None)
            known = self.known[call.callee] = (what, self.urls(call.callee))
        what, url = known
        if what is None and javascript and url and absolute_url(call):
            return "calls an HTTP API"
        return what


def _defs(facts: CodeFacts) -> dict[tuple[int, str], int]:
    """(parent, name) -> index of the module's functions and of the methods of its classes."""
    found: dict[tuple[int, str], int] = {}
    for index, function in enumerate(facts.functions):
        if function.kind in (KIND_FUNCTION, KIND_METHOD):
            found.setdefault((function.parent, function.name), index)
    return found


def _callee_def(facts: CodeFacts, defs: dict[tuple[int, str], int], handler: Handler,
                call: Call) -> int | None:
    """The def of this module a handler's call runs: a module-level function called by name,
    or a method of the handler's class called on ``self`` / ``cls``."""
    receiver, dot, name = call.callee.rpartition(".")
    if not dot:
        index = defs.get((-1, name))
        return index if index is not None and facts.functions[index].kind == KIND_FUNCTION else None
    if receiver not in ("self", "cls", "this") or facts.class_of(handler.function) is None:
        return None
    return defs.get((facts.functions[handler.function].parent, name))


def check(context: RuleContext) -> Iterator[Finding]:
    patterns = [(what, [str(p) for p in context.options[key]]) for key, what in _KINDS]
    what_of = _Slow(patterns, [str(p) for p in context.options["url_calls"]])
    for path, facts, handlers in handler_files(context):
        javascript = is_javascript(path)
        defs = _defs(facts)
        by_scope = calls_by_scope(facts)
        checked: set[int] = set()
        for handler in handlers:
            if handler.function < 0 or handler.function in checked:
                continue
            checked.add(handler.function)
            reported: set[int] = set()  # lines: a().b() is two calls of one statement
            calls: Sequence[Call] = by_scope.get(handler.function, ())
            if javascript:  # callbacks (`.then(u => mailer.sendMail(...))`) are the handler's
                calls = sorted((c for s in descendants(facts, handler.function)
                                for c in by_scope.get(s, ())), key=lambda c: (c.line, c.column))
            for call in calls:
                what = what_of(call, javascript)
                via = ""
                if what is None:
                    helper = _callee_def(facts, defs, handler, call)
                    if helper is None or helper == handler.function:
                        continue
                    inner = next(
                        ((c, w) for c in by_scope.get(helper, ())
                         if (w := what_of(c, javascript))),
                        None,
                    )
                    if inner is None:
                        continue
                    slow, what = inner
                    via = f" in {facts.functions[helper].name}()"
                else:
                    slow = call
                if call.line in reported:
                    continue
                reported.add(call.line)
                yield context.at(
                    path, call.line, call.column,
                    f"{what} in the request path ({slow.callee}(){via}): the response waits "
                    "for it; hand it to a task queue and answer at once (202 Accepted when "
                    "the client needs the result later)",
                )  # fmt: skip
