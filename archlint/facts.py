"""Plain, picklable records that a language frontend extracts from one file.

Frontends turn the bytes of one file into :class:`FileFacts`; nothing after them reads
source text again. Facts depend only on a file's bytes (never on its path), which is what
lets the cache key them by content hash. Anything that depends on where a file sits (its
module name, how a relative import resolves) is worked out later, in the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How an import happens. Plain strings keep records cheap to pickle and marshal.
KIND_IMPORT = "import"  # an ordinary import statement, run when the module runs
KIND_TYPE_ONLY = "type_only"  # under `if TYPE_CHECKING:` (Python) or `import type` (TS)
KIND_DYNAMIC = "dynamic"  # importlib.import_module("x"), __import__("x"), import("x")
IMPORT_KINDS = (KIND_IMPORT, KIND_TYPE_ONLY, KIND_DYNAMIC)


@dataclass(frozen=True, slots=True)
class ImportSite:
    """One imported object as written in the source, before resolution.

    ``import a.b as c``        -> module="a.b", name=None, level=0
    ``from a.b import c``      -> module="a.b", name="c",  level=0
    ``from .. import x``       -> module="",    name="x",  level=2
    ``from .m import *``       -> module="m",   name="*",  level=1
    ``importlib.import_module("a.b")`` -> module="a.b", name=None, level=0, kind="dynamic"

    ``line`` and ``column`` are 1-based and point at the imported name (the alias), so two
    names imported by one statement have distinct locations.
    """

    module: str
    name: str | None
    level: int
    line: int
    column: int
    kind: str = KIND_IMPORT


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file could not be (fully) read: a syntax error, undecodable bytes, a binary file."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Suppression:
    """One rule named by an inline suppression comment (``# archlint: ignore[AL301]``,
    ``// archlint-ignore AL301``); a comment naming three rules makes three, so each can be
    reported unused on its own. ``line``/``column`` (1-based) point at the rule as written;
    it covers findings on lines ``first..last`` (0, 0: the whole file). A malformed comment
    (no rule named, unknown directive) has ``rule == ""`` and says why in ``problem``."""

    rule: str  # a code or a name, as written
    line: int
    column: int
    first: int
    last: int
    problem: str = ""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything archlint needs to know about one file's contents."""

    language: str
    imports: tuple[ImportSite, ...] = ()
    problem: ParseProblem | None = None
    extra: dict[str, object] = field(default_factory=dict)  # reserved for rule facts
    # Read from real comments only, and kept here so a warm run that reads no file knows them.
    suppressions: tuple[Suppression, ...] = ()

    def to_record(self) -> tuple:
        """A tuple of primitives, for `marshal` (much faster than pickle for the cache)."""
        problem = None
        if self.problem is not None:
            problem = (self.problem.message, self.problem.line, self.problem.column)
        sites = tuple(
            (s.module, s.name, s.level, s.line, s.column, s.kind) for s in self.imports
        )
        suppressions = tuple(
            (s.rule, s.line, s.column, s.first, s.last, s.problem) for s in self.suppressions
        )
        return (self.language, sites, problem, suppressions)

    @classmethod
    def from_record(cls, record: tuple) -> FileFacts:
        language, sites, problem, suppressions = record
        return cls(
            language=language,
            imports=tuple(ImportSite(*s) for s in sites),
            problem=ParseProblem(*problem) if problem is not None else None,
            suppressions=tuple(Suppression(*s) for s in suppressions),
        )


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A discovered file and what its place in the tree says about it."""

    path: str  # posix path relative to the project root
    language: str  # "python"
    module: str | None  # dotted module name; None when the file cannot be named as one
    is_package: bool = False  # an __init__.py: relative imports resolve from the module itself
