"""``select`` and ``ignore``: which rules a run reports, by code, code prefix or name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from archlint.errors import UsageError
from archlint.findings import Finding, touches
from archlint.rules import all_rules


def _matches(token: str, code: str, name: str) -> bool:
    return name == token.lower() or code.startswith(token.upper())


class RuleFilter:
    """Ruff's model: a finding is reported when some `select` token matches it (or none was
    given) and no `ignore` token does. Unknown tokens are a usage error, not silence."""

    def __init__(
        self, select: Iterable[str] = (), ignore: Iterable[str] = (), validate: bool = True
    ) -> None:
        self.select = tuple(t.strip() for t in select if t.strip())
        self.ignore = tuple(t.strip() for t in ignore if t.strip())
        # Validating imports every rule module; a replayed run's config tokens were
        # validated when it was recorded, so it may skip that.
        for token in (*self.select, *self.ignore) if validate else ():
            if token.upper() == "ALL":
                continue
            rules = all_rules()
            if not any(_matches(token, r.code, r.name) for r in rules):
                known = [r.code for r in rules] + [r.name for r in rules]
                close = difflib.get_close_matches(token, known, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise UsageError(
                    f"unknown rule selector '{token}'{hint}; "
                    "use a code (AL101), a code prefix (AL1) or a rule name (layers)"
                )

    def apply(self, findings: list[Finding], only_paths: Sequence[str] = ()) -> list[Finding]:
        """The findings to report: enabled rules, and (when given) touching those paths."""
        chosen = [f for f in findings if self.enabled(f.code, f.rule)]
        if only_paths:
            chosen = [f for f in chosen if touches(f, only_paths)]
        return chosen

    def enabled(self, code: str, name: str) -> bool:
        if self.select and not any(
            t.upper() == "ALL" or _matches(t, code, name) for t in self.select
        ):
            return False
        return not any(t.upper() == "ALL" or _matches(t, code, name) for t in self.ignore)
