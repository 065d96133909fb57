"""Code facts on demand: extracted for the files a rule asks about, cached by content.

Import facts are read for every file on every cold run; code facts (calls, functions,
returns …) only for the files that some enabled rule looks at, usually the application
layers. They live in their own store, ``.archlint_cache/code-<key>.bin``, keyed like the
import facts by a hash of the file's bytes and language, so edits elsewhere never
invalidate them and a corrupt store is simply rebuilt.
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


class CodeFactsStore:
    def __init__(self, root: Path, files: Mapping[str, DiscoveredFile], enabled: bool = True):
        versions = "|".join(sorted(v for _, _, v in CODE_FRONTENDS.values()))
        key = hashlib.blake2b(f"{__version__}|{versions}".encode(), digest_size=8).hexdigest()
        self._path = root / CACHE_DIR_NAME / f"code-{key}.bin"
        self._files = files
        self._enabled = enabled
        self._records: dict[bytes, tuple] | None = None
        self._dirty = False
        self._memo: dict[str, CodeFacts | None] = {}
        self._used: set[bytes] = set()

    def _load(self) -> dict[bytes, tuple]:
        if self._records is None:
            records: object = None
            if self._enabled:
                # Millions of small tuples: the cyclic GC would scan them over and over.
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

    def get(self, path: str) -> CodeFacts | None:
        """The code facts of one project file; None when its language has no extractor or
        the file cannot be read (the run reports unreadable files already)."""
        if path in self._memo:
            return self._memo[path]
        facts = self._compute(path)
        self._memo[path] = facts
        return facts

    def _compute(self, path: str) -> CodeFacts | None:
        file = self._files.get(path)
        if file is None:
            return None
        extract = code_extractor_for(file.language)
        if extract is None:
            return None
        try:
            with open(file.abspath, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest = content_hash(data, "code:" + file.language)
        records = self._load()
        self._used.add(digest)
        record = records.get(digest)
        if record is not None:
            try:
                return CodeFacts.from_record(record)
            except (TypeError, ValueError, IndexError):
                pass  # foreign or damaged: extract again
        facts = extract(data)
        assert isinstance(facts, CodeFacts)
        records[digest] = facts.to_record()
        self._dirty = True
        return facts

    def save(self) -> None:
        if not (self._enabled and self._dirty and self._records is not None):
            return
        if len(self._records) > 2 * len(self._used) + 1000:  # old versions of files pile up
            self._records = {d: r for d, r in self._records.items() if d in self._used}
        try:
            write_atomic(self._path, marshal.dumps(self._records))
        except (OSError, ValueError):
            pass
