"""## What it does
Reports JWTs signed with a shared secret (an HMAC algorithm: `HS256`, `HS384`, `HS512`, the
`symmetric_algorithms` option), in Python and in JavaScript / TypeScript:

* Python: PyJWT's or python-jose's `jwt.encode(payload, key, algorithm=...)` (the `calls`
  option; jwt-simple's `jwt.encode(payload, key, algorithm)` in JS has the same shape), with
  an HMAC algorithm or none at all (both libraries default to `HS256`).
* JS/TS, jsonwebtoken: `jwt.sign(payload, key, options)` (the `sign_calls` option;
  `jsonwebtoken.sign`, or a bare `sign(...)` in a file importing "jsonwebtoken") whose
  options object has `algorithm: 'HS256'` …, or no `algorithm` or no options at all
  (jsonwebtoken defaults to `HS256`; a callback in their place is no options).
* JS/TS, jose: one chain `new SignJWT(payload).setProtectedHeader({ alg: 'HS256' })
  … .sign(key)` (the `jose_calls` option), the header read from the `setProtectedHeader`
  link of the same chain. jose requires an `alg`: a chain without that link is not read.

The severity depends on the key (the `sign` argument for jose):

* a string literal, or a module constant assigned a string literal once in the same file
  (`SECRET_KEY = "change-me"`, `const SECRET = 'change-me'`), also wrapped in
  `Buffer.from(...)` / `new TextEncoder().encode(...)`, or the literal fallback of an
  environment lookup (`process.env.JWT_SECRET || 'dev-secret'`, `?? 'dev-secret'`,
  `os.getenv("JWT_SECRET", "dev-secret")`): an **error**, the secret is in the source;
* anything else (the environment, `settings.SECRET_KEY`, `config.jwt.secret`, a parameter,
  a call): a **warning**, the secret is shared by everything that verifies the tokens.

An algorithm the file does not spell out (`algorithm=settings.JWT_ALGORITHM`, an options
object the file does not define, `{ ...signOptions }`, `**options`, a header the file does
not define) is not guessed: nothing is reported. `RS256`, `ES256`, `EdDSA` … with a private
key are fine, and `jwt.decode` / `jwt.verify` / `jwtVerify` only verify. Calls are matched on
the callee text; code facts know no imports, so a bare `encode(...)` counts only when the
same file has `from jwt import encode`, and an alias (`import jwt as pyjwt`) is not
followed; a jose chain split over several statements is not followed either. The files are
every project file (the `layers` option, `"*"`), tests excluded.

## Why is this bad?
With HS256 the key that verifies a token is the key that signs it. A secret in the source is
in every clone, backup and CI log of the repository: anyone who has read it can mint a
token for any user, and rotating it means a redeploy. Even a secret kept in the environment
is shared by every service that checks the tokens, so a leak anywhere lets an attacker
forge tokens everywhere. With an asymmetric algorithm only the issuer holds the private
key; verifiers get the public key, which cannot sign.

## Example
```python
import jwt

SECRET_KEY = "super-secret"

def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, SECRET_KEY, algorithm="HS256")
```

```ts
import jwt from "jsonwebtoken";

export const sign = (userId: string) =>
  jwt.sign({ sub: userId }, process.env.JWT_SECRET || "dev-secret", { expiresIn: "15m" });
```

## Use instead
```python
import jwt

PRIVATE_KEY = Path(os.environ["JWT_PRIVATE_KEY_FILE"]).read_text()

def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, PRIVATE_KEY, algorithm="RS256")
# verifiers: jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])
```
```ts
const privateKey = readFileSync(process.env.JWT_PRIVATE_KEY_FILE!, "utf8");

export const sign = (userId: string) =>
  jwt.sign({ sub: userId }, privateKey, { algorithm: "RS256", expiresIn: "15m" });
// verifiers: jwt.verify(token, publicKey, { algorithms: ["RS256"] })
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, CodeFacts, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    JOSE_SIGN_CALLS,
    JWT_ENCODE_CALLS,
    JWT_SIGN_CALLS,
    calls_matching,
    imported_names,
    is_javascript,
    module_constants,
    options_argument,
    project_code,
    resolve,
)
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any

CODE = "AL302"
NAME = "symmetric-jwt-secret"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (b"jwt", b"JWT", b"jose", b"jsonwebtoken")
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "calls": JWT_ENCODE_CALLS,
    "sign_calls": JWT_SIGN_CALLS,
    "jose_calls": JOSE_SIGN_CALLS,
    "symmetric_algorithms": ["HS256", "HS384", "HS512"],
    "default_algorithm": "HS256",  # what PyJWT and python-jose sign with when none is given
}

_LITERALS = ("str", "bytes")
# Calls that turn a secret into key bytes: the secret is their first argument.
_KEY_WRAPPERS = ["Buffer.from", "TextEncoder().encode", "*.TextEncoder().encode"]
_FALLBACKS = ("or", "??")  # process.env.X || 'dev'


def _algorithm(call: Call, constants: dict[str, Value], default: str) -> str | None:
    """The algorithm the call signs with ("HS256 (no algorithm given)" when it names none),
    or None when the file does not say (a setting, a name of another module, **kwargs)."""
    value = call.arg(2, "algorithm")
    if value is None:
        if any(key == "**" for key, _ in call.kwargs) or any(a.kind == "star" for a in call.args):
            return None
        return f"{default} (no algorithm given)"
    value = resolve(value, constants) or value
    if value.kind == "str":
        return value.text
    if value.kind == "name":  # python-jose's ALGORITHMS.HS256
        return value.text.rpartition(".")[2] or None
    return None


def _js_algorithm(call: Call, constants: dict[str, Value], default: str) -> str | None:
    """jsonwebtoken: the algorithm of the options object (the third argument)."""
    options = options_argument(call, 2, constants)
    if options is None:
        return None
    value = options.get("algorithm")
    if value is None:
        return f"{default} (no algorithm given)"
    value = resolve(value, constants) or value
    if value.kind == "str":
        return value.text
    return None


def _jose_algorithm(call: Call, facts: CodeFacts, constants: dict[str, Value]) -> str | None:
    """jose: the `alg` of the `setProtectedHeader({...})` link of the same chain."""
    for link in facts.calls:
        if ((link.line, link.column) != (call.line, call.column)
                or not link.callee.endswith(".setProtectedHeader")
                or not call.callee.startswith(link.callee + "().")):
            continue
        header = resolve(link.args[0], constants) if link.args else None
        if header is None or header.kind != "dict":
            return None
        alg = resolve(header.get("alg"), constants)
        return alg.text if alg is not None and alg.kind == "str" else None
    return None


def _jose_name(callee: str) -> str:
    """"SignJWT().setProtectedHeader().sign" -> "SignJWT().sign"."""
    root, found, _ = callee.partition("SignJWT()")
    return f"{root}SignJWT().sign" if found else callee


def _hard_coded(key: Value, constants: dict[str, Value], depth: int = 0) -> str | None:
    """Why a key is in the source: "" for a literal (or a constant holding one), "the
    fallback for <source>" for a literal fallback of an environment lookup; None when it
    is not hard-coded."""
    if depth > 4:
        return None
    value = resolve(key, constants) or key
    if value.kind in _LITERALS:
        return ""
    if value.kind == "env" and value.args and value.args[0].kind in _LITERALS:
        return f"the fallback for {_key_source(value)}"  # os.getenv("X", "dev")
    if value.kind == "op" and value.text in _FALLBACKS and len(value.args) == 2:
        first, fallback = value.args
        if (resolve(fallback, constants) or fallback).kind in _LITERALS:
            return f"the fallback for {_key_source(first)}"
    if value.kind == "call" and value.args and matches_any(value.text, _KEY_WRAPPERS):
        return _hard_coded(value.args[0], constants, depth + 1)
    return None


def _key_source(key: Value) -> str:
    """How a non-literal key is described in the message."""
    if key.kind == "env":
        return f"the environment variable {key.text}" if key.text else "the environment"
    if key.kind == "name":
        return key.text
    if key.kind == "call" and key.args and matches_any(key.text, _KEY_WRAPPERS):
        return _key_source(key.args[0])  # new TextEncoder().encode(process.env.JWT_SECRET)
    if key.kind == "call" and key.text:
        return f"{key.text}()"
    if key.kind == "op" and key.text in _FALLBACKS and key.args:  # process.env.A || process.env.B
        return _key_source(key.args[0])
    return "given"


_Signing = tuple[Call, str, str | None, Value | None]


def _signing_calls(context: RuleContext, module: str, path: str, facts: CodeFacts,
                   constants: dict[str, Value]) -> list[_Signing]:
    """(call, name shown, algorithm, key) of every signing call of the file."""
    options = context.options
    default = str(options["default_algorithm"])
    imported = imported_names(context, module)
    javascript = is_javascript(path)
    found: list[_Signing] = []
    for call, _ in calls_matching(facts, [str(p) for p in options["calls"]], imported, javascript):
        found.append((call, call.callee, _algorithm(call, constants, default), call.arg(1, "key")))
    sign_calls = [str(p) for p in options["sign_calls"]]
    for call, _ in calls_matching(facts, sign_calls, imported, javascript):
        key = call.args[1] if len(call.args) > 1 else None
        found.append((call, call.callee, _js_algorithm(call, constants, default), key))
    jose_calls = [str(p) for p in options["jose_calls"]]
    for call in facts.calls:
        if matches_any(call.callee, jose_calls):
            key = call.args[0] if call.args else None
            found.append((call, _jose_name(call.callee), _jose_algorithm(call, facts, constants), key))
    found.sort(key=lambda entry: (entry[0].line, entry[0].column))
    return found


def check(context: RuleContext) -> Iterator[Finding]:
    symmetric = {str(a).upper() for a in context.options["symmetric_algorithms"]}
    for module, path, facts in project_code(context):
        constants = module_constants(facts)
        for call, callee, algorithm, key in _signing_calls(context, module, path, facts, constants):
            if algorithm is None or algorithm.split(" ")[0].upper() not in symmetric:
                continue
            if key is None or key.kind in ("null", "star", "function"):
                continue
            why = _hard_coded(key, constants)
            if why is not None:
                shown = [key.text] if key.kind == "name" else []
                where = f" ({', '.join([*shown, why] if why else shown)})" if shown or why else ""
                yield context.at(
                    path, call.line, call.column,
                    f"{callee}() signs tokens with {algorithm} and a hard-coded "
                    f"secret{where}: anyone who reads the code can forge tokens; load the key "
                    "from a secret store, and prefer a private key (RS256, ES256, EdDSA)",
                )  # fmt: skip
            else:
                yield context.at(
                    path, call.line, call.column,
                    f"{callee}() signs tokens with {algorithm} and a shared secret "
                    f"({_key_source(key)}): whoever can verify them can also mint them; sign "
                    "with a private key (RS256, ES256, EdDSA) and verify with the public key",
                    severity="warning",
                )  # fmt: skip
