"""Code facts on demand: for the files a rule asks about, cached by content.

Import facts are read for every file; code facts (calls, functions, returns …) only for the
files some enabled rule looks at, usually the application layers. A cold run extracts them
in the same parse as the imports (archlint.parsing); a rule asking for a file outside that
scope gets them extracted on the spot. They live in their own store,
``.archlint_cache/code-<key>.bin``, keyed like the import facts by the hash of the file's
bytes and language, so a warm run finds them without reading the file again.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
from collections.abc import Mapping
from pathlib import Path

from archlint import __version__
from archlint.atomic import write_atomic
from archlint.cache import CACHE_DIR_NAME, content_hash
from archlint.codefacts import CodeFacts
from archlint.discover import DiscoveredFile
from archlint.frontends import CODE_FRONTENDS, code_extractor_for

_UNTRIGGERED = object()  # "the file mentions none of the rule's triggers": not remembered


class CodeFactsStore:
    def __init__(self, root: Path, files: Mapping[str, DiscoveredFile], enabled: bool = True):
        versions = "|".join(sorted(v for _, _, v in CODE_FRONTENDS.values()))
        key = hashlib.blake2b(f"{__version__}|{versions}".encode(), digest_size=8).hexdigest()
        self.key = key
        self._path = root / CACHE_DIR_NAME / f"code-{key}.bin"
        self._files = files
        self._enabled = enabled
        self._records: dict[bytes, tuple] | None = None
        self._digests: dict[str, bytes] = {}  # path -> content digest, when known
        self._dirty = False
        self._memo: dict[str, CodeFacts | None] = {}
        self._used: set[bytes] = set()
        # digest -> (triggers looked for, those the bytes hold), kept beside the records so
        # that a warm run knows which files a rule with CODE_TRIGGERS can skip unread.
        self._presence_path = root / CACHE_DIR_NAME / f"triggers-{key}.bin"
        self._presence: dict[bytes, tuple[frozenset[bytes], frozenset[bytes]]] | None = None
        self._presence_dirty = False
        self._marked: frozenset[bytes] = frozenset()  # see mark()
        # digest -> facts extracted in this process and handed over as objects (adopt()):
        # turned into records only when the cache is saved, never decoded.
        self._adopted: dict[bytes, CodeFacts] = {}

    @property
    def enabled(self) -> bool:
        """Whether the store is read from and saved to the cache."""
        return self._enabled

    @property
    def records(self) -> dict[bytes, tuple]:
        if self._records is None:
            records: object = None
            if self._enabled:
                # Many small tuples: the cyclic GC would scan them over and over.
                enabled = gc.isenabled()
                gc.disable()
                try:
                    with open(self._path, "rb") as handle:
                        records = marshal.load(handle)
                except (OSError, EOFError, ValueError, TypeError):
                    records = None
                finally:
                    if enabled:
                        gc.enable()
            self._records = records if isinstance(records, dict) else {}
        return self._records

    def has(self, digest: bytes) -> bool:
        return digest in self.records or digest in self._adopted

    def adopt(self, path: str, digest: bytes, facts: CodeFacts) -> None:
        """Take the code facts of a file this process has just extracted, as they are: the
        rules read them without a round trip through a record."""
        self._digests[path] = digest
        self._memo[path] = facts
        if digest not in self.records:
            self._adopted[digest] = facts
            self._dirty = True

    def put(self, digest: bytes, record: tuple) -> None:
        self.records[digest] = record
        self._used.add(digest)
        self._dirty = True

    @property
    def presences(self) -> dict[bytes, tuple[frozenset[bytes], frozenset[bytes]]]:
        if self._presence is None:
            loaded: object = None
            if self._enabled:
                try:
                    with open(self._presence_path, "rb") as handle:
                        loaded = marshal.load(handle)
                except (OSError, EOFError, ValueError, TypeError):
                    loaded = None
            self._presence = loaded if isinstance(loaded, dict) else {}
        return self._presence

    def presence(self, digest: bytes, looked_for: frozenset[bytes], present: frozenset[bytes]) -> None:
        """Remember which of ``looked_for`` the bytes with this digest contain."""
        if not looked_for:
            return
        known = self.presences.get(digest)
        if known is not None and looked_for <= known[0]:
            return
        if known is not None:  # merge with what an earlier run looked for (same bytes)
            looked_for, present = looked_for | known[0], present | known[1]
        self.presences[digest] = (looked_for, present)
        self._presence_dirty = True

    def _lacks(self, path: str, triggers: tuple[bytes, ...]) -> bool:
        """Whether the file is known to contain none of ``triggers``."""
        digest = self._digests.get(path)
        known = self.presences.get(digest) if digest is not None else None
        if known is None or not known[0].issuperset(triggers):
            return False
        return known[1].isdisjoint(triggers)

    def bind(self, path: str, digest: bytes) -> None:
        """Remember which content a path has (known from the import facts' cache)."""
        self._digests[path] = digest

    def get(self, path: str, triggers: tuple[bytes, ...] = ()) -> CodeFacts | None:
        """The code facts of one project file; None when its language has no extractor, the
        file cannot be read (the run reports unreadable files already), or ``triggers`` are
        given and the file contains none of them."""
        if triggers and self._lacks(path, triggers):
            return None
        if path not in self._memo:
            self._memo[path] = self._compute(path, triggers)
        facts = self._memo[path]
        if facts is _UNTRIGGERED:
            del self._memo[path]  # another rule may have other triggers
            return None
        return facts  # type: ignore[return-value]

    def _compute(self, path: str, triggers: tuple[bytes, ...]) -> CodeFacts | object | None:
        file = self._files.get(path)
        if file is None:
            return None
        extract = code_extractor_for(file.language)
        if extract is None:
            return None
        digest = self._digests.get(path)
        if digest is not None:
            facts = self._decode(digest)
            if facts is not None:
                return facts
        try:
            with open(file.abspath, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest = content_hash(data, file.language)
        if triggers:
            looked_for = frozenset(triggers)
            present = frozenset(t for t in looked_for if t in data)
            self.presence(digest, looked_for, present)
            if not present:
                return _UNTRIGGERED
        facts = self._decode(digest)
        if facts is None:
            facts = extract(data)
            assert isinstance(facts, CodeFacts)
            self.put(digest, facts.to_record())
        return facts

    def _decode(self, digest: bytes) -> CodeFacts | None:
        adopted = self._adopted.get(digest)
        if adopted is not None:
            return adopted
        record = self.records.get(digest)
        if record is None:
            return None
        self._used.add(digest)
        try:
            return CodeFacts.from_record(record)
        except (TypeError, ValueError, IndexError):
            return None  # foreign or damaged: extract again

    # --- rules run in forked workers (rules/parallel.py) -----------------------------------

    def mark(self) -> None:
        """Remember what the store holds now, before workers fork from this process."""
        self._marked = frozenset(self.records)

    def delta(self) -> tuple[set[bytes], dict[bytes, tuple]]:
        """(digests used, records added) since :meth:`mark`, in a worker, for the parent."""
        return set(self._used), {d: r for d, r in self.records.items() if d not in self._marked}

    def absorb(self, delta: tuple[set[bytes], dict[bytes, tuple]]) -> None:
        """Take in a worker's :meth:`delta`, so that the cache keeps what it used and added."""
        used, added = delta
        self._used |= used
        for digest, record in added.items():
            if digest not in self.records:
                self.put(digest, record)

    def save(self) -> None:
        if self._enabled and self._presence_dirty and self._presence is not None:
            presence = self._presence
            if len(presence) > 2 * len(self._digests) + 1000:  # files' old contents pile up
                current = set(self._digests.values())
                presence = {d: p for d, p in presence.items() if d in current}
            try:
                write_atomic(self._presence_path, marshal.dumps(presence))
            except (OSError, ValueError):
                pass
        if not (self._enabled and self._dirty):
            return
        for digest, facts in self._adopted.items():
            self.records.setdefault(digest, facts.to_record())
            self._used.add(digest)
        self._adopted.clear()
        assert self._records is not None
        if len(self._records) > 2 * len(self._used) + 1000:  # old versions of files pile up
            self._records = {d: r for d, r in self._records.items() if d in self._used}
        try:
            write_atomic(self._path, marshal.dumps(self._records))
        except (OSError, ValueError):
            pass
