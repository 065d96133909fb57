"""## What it does
Reports JWTs signed with a shared secret: PyJWT's or python-jose's
`jwt.encode(payload, key, algorithm=...)` with an HMAC algorithm (`HS256`, `HS384`,
`HS512`, the `symmetric_algorithms` option), or with no algorithm at all (both libraries
default to `HS256`).

* The key is a string literal, or a module constant assigned a string literal once in the
  same file (`SECRET_KEY = "change-me"`): an **error**, the secret is in the source.
* The key comes from anywhere else (the environment, `settings.SECRET_KEY`, a parameter, a
  call): a **warning**, the secret is shared by everything that verifies the tokens.

An algorithm the file does not spell out (`algorithm=settings.JWT_ALGORITHM`,
`algorithm=ALGORITHM` where `ALGORITHM` is not a string constant of the same file, or
`**options`) is not guessed: nothing is reported. `RS256`, `ES256`, `EdDSA` … with a private
key are fine, and `jwt.decode` only verifies. The calls are the `calls` option, matched on
the callee text (`jwt.encode`, `jose.jwt.encode` …); code facts know no imports, so a bare
`encode(...)` counts only when the same file has `from jwt import encode`, and an alias
(`import jwt as pyjwt`) is not followed. The files are every project file (the `layers`
option, `"*"`), tests excluded.

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

## Use instead
```python
import jwt

PRIVATE_KEY = Path(os.environ["JWT_PRIVATE_KEY_FILE"]).read_text()

def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, PRIVATE_KEY, algorithm="RS256")
# verifiers: jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    JWT_ENCODE_CALLS,
    calls_matching,
    imported_names,
    module_constants,
    project_code,
    resolve,
)
from archlint.rules.context import RuleContext

CODE = "AL302"
NAME = "symmetric-jwt-secret"
SEVERITY = "error"
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (b"jwt", b"JWT", b"jose")
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "calls": JWT_ENCODE_CALLS,
    "symmetric_algorithms": ["HS256", "HS384", "HS512"],
    "default_algorithm": "HS256",  # what PyJWT and python-jose sign with when none is given
}

_LITERALS = ("str", "bytes")


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


def _key_source(key: Value) -> str:
    """How a non-literal key is described in the message."""
    if key.kind == "env":
        return f"the environment variable {key.text}" if key.text else "the environment"
    if key.kind == "name":
        return key.text
    if key.kind == "call" and key.text:
        return f"{key.text}()"
    return "given"


def check(context: RuleContext) -> Iterator[Finding]:
    patterns = [str(p) for p in context.options["calls"]]
    symmetric = {str(a).upper() for a in context.options["symmetric_algorithms"]}
    default = str(context.options["default_algorithm"])
    for module, path, facts in project_code(context):
        constants = module_constants(facts)
        imported = imported_names(context, module)
        for call, _pattern in calls_matching(facts, patterns, imported):
            algorithm = _algorithm(call, constants, default)
            if algorithm is None or algorithm.split(" ")[0].upper() not in symmetric:
                continue
            key = call.arg(1, "key")
            if key is None or key.kind in ("null", "star"):
                continue
            if (resolve(key, constants) or key).kind in _LITERALS:
                where = f" ({key.text})" if key.kind == "name" else ""
                yield context.at(
                    path, call.line, call.column,
                    f"{call.callee}() signs tokens with {algorithm} and a hard-coded "
                    f"secret{where}: anyone who reads the code can forge tokens; load the key "
                    "from a secret store, and prefer a private key (RS256, ES256, EdDSA)",
                )  # fmt: skip
            else:
                yield context.at(
                    path, call.line, call.column,
                    f"{call.callee}() signs tokens with {algorithm} and a shared secret "
                    f"({_key_source(key)}): whoever can verify them can also mint them; sign "
                    "with a private key (RS256, ES256, EdDSA) and verify with the public key",
                    severity="warning",
                )  # fmt: skip
