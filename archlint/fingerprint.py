"""Line-free identities of findings, shared by SARIF's fingerprints and the baseline.

Both must survive edits elsewhere in a file, so neither may contain a line or a column, and
numbers inside messages (statement counts, token lifetimes, cycle sizes) are blanked: they
move when unrelated code moves.
"""

from __future__ import annotations

import re

from archlint.findings import Finding

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Every run of whitespace as one space, none at either end."""
    return _SPACES.sub(" ", text).strip()


def normalise_message(message: str) -> str:
    """The message with every run of digits as ``0`` and whitespace collapsed."""
    return collapse_spaces(_DIGITS.sub("0", message))


def chain_pairs(finding: Finding) -> str:
    """The chain as ``importer>imported`` module pairs: the import, not where it is written."""
    return ";".join(f"{hop.importer}>{hop.imported}" for hop in finding.chain)


def finding_subject(finding: Finding) -> str:
    """What identifies a finding apart from where it is: no line, no column, no numbers."""
    message = normalise_message(finding.message)
    return "\0".join((finding.code, finding.path, finding.contract or "", message, chain_pairs(finding)))
