"""The validated configuration: plain records the rest of archlint reads.

Loading and validating TOML lives in :mod:`archlint.config.load`; everything after it sees
only these types, never raw dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SELECTOR_PATH = "path"  # has a "/": a glob over paths relative to the root ("app/services/**")
SELECTOR_MODULE = "module"  # dotted pattern: internal modules first, else external ("app.**")
SELECTOR_EXTERNAL = "external"  # forced external package: "pypi:redis" (later "npm:redis")

CONTRACT_TYPES = ("layers", "forbidden", "independence", "acyclic")


@dataclass(frozen=True, slots=True)
class Selector:
    """One entry of a component: which modules it picks.

    ``text`` is what the user wrote; ``pattern`` is it without any ``pypi:`` prefix.
    ``ecosystem`` is ``"pypi"`` (or later ``"npm"``) when a prefix forces an external package.
    """

    text: str
    kind: str
    pattern: str
    ecosystem: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of selectors: a component, or a selector written inline in a contract.

    ``label`` is what messages show: the component's name, or the inline selector's text.
    """

    label: str
    selectors: tuple[Selector, ...]


@dataclass(frozen=True, slots=True)
class IgnoredImport:
    """An ``ignore_imports`` entry: ``importer -> imported``, each a dotted pattern."""

    text: str
    importer: Selector
    imported: Selector
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """One contract as configured.

    ``options`` holds the type's own validated keys:
      layers:       {"layers": tuple[Group, ...]}                 top layer first
      forbidden:    {"source": tuple[Group, ...], "forbidden": tuple[Group, ...],
                     "transitive": bool}
      independence: {"components": tuple[Group, ...]}
      acyclic:      {"packages": tuple[Group, ...], "modules": tuple[Group, ...]}
    """

    name: str
    type: str
    options: dict[str, Any]
    ignore_imports: tuple[IgnoredImport, ...] = ()
    ignore_type_only: bool = False
    line: int | None = None  # where [[contracts]] starts in the file it is written in
    # A group that matches no module of the project makes an optional contract vacuous
    # (that group is empty) instead of a configuration error. Every contract that comes
    # from a preset is optional; users may write ``optional = true``.
    optional: bool = False
    # The file the contract is written in (an absolute path) when that is not the main
    # config file: a bundled preset. ``line`` is a line of that file.
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    selectors: tuple[Selector, ...]
    line: int | None = None


@dataclass(slots=True)
class Config:
    root: Path
    path: Path | None = None  # the config file, None when running on defaults
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    python_roots: tuple[str, ...] = ()
    sql_dialect: str | None = None  # the parser of *.sql files; None: each file's markers
    components: dict[str, Component] = field(default_factory=dict)
    contracts: tuple[ContractSpec, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # ``[rules.<name>]`` options, presets first and the user's keys on top; the rule names
    # and options are checked against the rules when they run, not here.
    rules: dict[str, dict[str, object]] = field(default_factory=dict)
    # Named lists of packages rules refer to (``db_clients``, ``web_frameworks``...): the
    # bundled defaults (``rules/libraries.toml``), replaced or extended by ``[libraries]``.
    libraries: dict[str, tuple[Selector, ...]] = field(default_factory=dict)
    presets: tuple[str, ...] = ()  # the bundled presets applied, in order ("backend", ...)

    @property
    def display_path(self) -> str:
        """The config file as messages name it: relative to the root when inside it."""
        if self.path is None:
            return "<defaults>"
        try:
            return self.path.relative_to(self.root).as_posix()
        except ValueError:
            return str(self.path)
