"""Rules, found by being there: every module of ``archlint.rules`` or ``archlint.contracts``
that defines ``CODE`` and ``NAME`` is a rule, and its module docstring is its documentation.

A rule module may also define ``OPTIONS`` (defaults for ``[rules.<name>]``), ``ENABLED``
(False for rules that run only when selected or enabled in the config) and
``check(context) -> Iterable[Finding]`` (rules that look at the project; contracts and
per-file rules such as parse-error are produced elsewhere). Codes are grouped by theme:
AL0xx files, AL1xx contracts, AL2xx layering, AL3xx auth, AL4xx REST, AL5xx scale,
AL6xx operations, AL7xx data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

_RULE_PACKAGES = ("archlint.rules", "archlint.contracts")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    name: str
    severity: str
    doc: str
    enabled: bool = True  # by default; False: only when selected or enabled in the config
    options: tuple[tuple[str, object], ...] = ()  # defaults for [rules.<name>]
    module: str = ""  # where it lives: what runs it, when it has a check()

    @property
    def summary(self) -> str:
        """The first sentence of "What it does"."""
        text = self.doc.split("## What it does", 1)[-1].strip()
        paragraph = text.split("\n\n", 1)[0].replace("\n", " ").strip()
        return paragraph.split(". ")[0].rstrip(".") + "."


@lru_cache(maxsize=1)
def all_rules() -> tuple[RuleInfo, ...]:
    """Every known rule, sorted by code. Imports the rule modules, so call it only when needed."""
    import importlib
    import pkgutil

    found: dict[str, RuleInfo] = {}
    for package_name in _RULE_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            rules = getattr(module, "RULES", None) or [module]
            for rule in rules:
                code = getattr(rule, "CODE", None)
                name = getattr(rule, "NAME", None)
                if not code or not name:
                    continue
                if code in found:
                    raise RuntimeError(f"rule code {code} is defined twice")
                doc = getattr(rule, "DOC", None) or (rule.__doc__ or "").strip()
                found[code] = RuleInfo(
                    code,
                    name,
                    getattr(rule, "SEVERITY", "error"),
                    doc,
                    getattr(rule, "ENABLED", True),
                    tuple(sorted(getattr(rule, "OPTIONS", {}).items())),
                    module.__name__,
                )
    return tuple(sorted(found.values(), key=lambda r: r.code))


def find_rule(code_or_name: str) -> RuleInfo | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None
