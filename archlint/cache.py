"""The content-hash cache of per-file facts, in ``.archlint_cache/`` at the project root.

Two files, both rewritten atomically (temp file + ``os.replace``), so two runs at once never
see half a file; the last writer wins and both writers' contents are valid:

- ``facts-<key>.bin``: content hash -> facts record. ``<key>`` folds in archlint's version and
  every parser's version, so an upgrade starts a fresh store instead of misreading old ones.
- ``index-<key>.bin``: path -> (size, mtime_ns, ctime_ns, content hash), so a warm run hashes
  only the files whose stat changed. The ctime catches an edit whose mtime was put back
  (``touch -d``, some editors and tools): nothing but the kernel can set it. Entries whose
  times are too close to when the index was written are not trusted (a file edited twice
  within the clock's resolution keeps its times).
- ``runs-<key>.bin``: the findings of the last few whole runs, keyed by a hash of the
  configuration and every file's path and content hash. When nothing changed, a warm run
  answers from here without rebuilding the graph; any change makes a new key.

Anything unreadable, corrupt or of another format is ignored and rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path

from archlint import __version__
from archlint.atomic import write_atomic

CACHE_DIR_NAME = ".archlint_cache"
_FORMAT = 2  # bump when the layout of any cache file changes
_RACY_WINDOW_NS = 2_000_000_000  # mtimes within 2 s of the index write are re-hashed
_MAX_ENTRIES = 200_000  # an upper bound on stored facts, so the store cannot grow forever
_MAX_RUNS = 8  # remembered whole runs (a few configs or branches)


def content_hash(data: bytes, language: str = "") -> bytes:
    """The key of a file's facts: its bytes and the language they are parsed as (an empty
    ``__init__.py`` and an empty ``index.ts`` have the same bytes but not the same facts)."""
    digest = hashlib.blake2b(language.encode() + b"\0", digest_size=16)
    digest.update(data)
    return digest.digest()


def _store_key(parser_versions: tuple[str, ...]) -> str:
    text = "|".join((str(_FORMAT), __version__, *parser_versions))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _read_marshal(path: Path) -> object | None:
    try:
        with open(path, "rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_atomic(path: Path, payload: object) -> None:
    write_atomic(path, marshal.dumps(payload))


_STORE_FILE = ("facts-", "index-", "runs-", "code-")
_FOREIGN_AGE_NS = 7 * 24 * 3600 * 10**9  # another archlint version may still be in use
_TMP_AGE_NS = 3600 * 10**9  # a writer that crashed an hour ago is not coming back


def prune(directory: Path, keep: set[str]) -> None:
    """Delete cache files other archlint versions left: stores whose key is not in ``keep``
    and that nobody wrote for a week, and temporary files of writers that died."""
    now = time.time_ns()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        try:
            age = now - entry.stat().st_mtime_ns
        except OSError:
            continue
        foreign = name.startswith(_STORE_FILE) and not any(key in name for key in keep)
        if (foreign and age > _FOREIGN_AGE_NS) or (name.endswith(".tmp") and age > _TMP_AGE_NS):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class FactsCache:
    """Facts records by content hash, plus the stat index that avoids re-hashing."""

    def __init__(self, root: Path, parser_versions: tuple[str, ...], enabled: bool = True) -> None:
        self.directory = root / CACHE_DIR_NAME
        self.enabled = enabled
        key = _store_key(parser_versions)
        self.key = key
        self._facts_path = self.directory / f"facts-{key}.bin"
        self._index_path = self.directory / f"index-{key}.bin"
        self._runs_path = self.directory / f"runs-{key}.bin"
        self._runs: dict[bytes, object] | None = None  # loaded on first use
        self._runs_dirty = False
        self._facts: dict[bytes, tuple] | None = None  # loaded on first use: a warm run
        self.index: dict[str, tuple[int, int, int, bytes]] = {}
        self._index_written_ns = 0
        self._facts_dirty = False
        self._index_dirty = False
        self.keep_keys: set[str] = set()  # other stores of this version (code facts)
        self._used: set[bytes] = set()
        if enabled:
            # Made before the project is walked, so that making it does not look like a change
            # to the root folder in the walk's record (archlint.fastpath).
            try:
                self._make_directory()
            except OSError:
                pass  # read-only tree: run without writing a cache
            self._load()

    def _make_directory(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(exist_ok=True)
        (self.directory / ".gitignore").write_text("# Created by archlint automatically.\n*\n")
        (self.directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by archlint.\n"
        )

    @property
    def facts(self) -> dict[bytes, tuple]:
        """Records by content hash. Loaded lazily: a run answered from `runs` never needs it."""
        if self._facts is None:
            facts = _read_marshal(self._facts_path) if self.enabled else None
            self._facts = facts if isinstance(facts, dict) else {}
        return self._facts

    def _load(self) -> None:
        index = _read_marshal(self._index_path)
        if not (isinstance(index, tuple) and len(index) == 2 and isinstance(index[1], dict)):
            return
        written, entries = index
        if not isinstance(written, int):
            return
        # Keep only well-formed entries: a foreign or damaged one is a miss, never a crash.
        self.index = {
            path: entry
            for path, entry in entries.items()
            if isinstance(path, str)
            and isinstance(entry, tuple)
            and len(entry) == 4
            and isinstance(entry[3], bytes)
        }
        self._index_written_ns = written

    def known_hash(self, path: str, size: int, mtime_ns: int, ctime_ns: int) -> bytes | None:
        """The content hash of ``path`` when its stat says it has not changed."""
        entry = self.index.get(path)
        if entry is None or entry[:3] != (size, mtime_ns, ctime_ns):
            return None
        if max(mtime_ns, ctime_ns) >= self._index_written_ns - _RACY_WINDOW_NS:
            self._index_dirty = True  # rewrite later, so the entry stops being racy
            return None
        return entry[3]

    def get(self, digest: bytes) -> tuple | None:
        record = self.facts.get(digest)
        if record is not None:
            self._used.add(digest)
        return record

    def put(self, digest: bytes, record: tuple) -> None:
        self.facts[digest] = record
        self._used.add(digest)
        self._facts_dirty = True

    def remember(self, path: str, size: int, mtime_ns: int, ctime_ns: int, digest: bytes) -> None:
        entry = (size, mtime_ns, ctime_ns, digest)
        if self.index.get(path) != entry:
            self.index[path] = entry
            self._index_dirty = True

    def run_key(self, fingerprint: str, paths: list[str]) -> bytes | None:
        """A key for a whole run over ``paths``: None unless the index knows every file."""
        if not self.enabled:
            return None
        digest = hashlib.blake2b(fingerprint.encode(), digest_size=16)
        index = self.index
        for path in paths:
            entry = index.get(path)
            if entry is None:
                return None
            digest.update(path.encode())
            digest.update(entry[3])
        return digest.digest()

    def recall_run(self, key: bytes) -> object | None:
        if self._runs is None:
            runs = _read_marshal(self._runs_path)
            self._runs = runs if isinstance(runs, dict) else {}
        return self._runs.get(key)

    def remember_run(self, key: bytes, payload: object) -> None:
        if self.recall_run(key) == payload:
            return
        assert self._runs is not None
        self._runs.pop(key, None)
        self._runs[key] = payload  # newest last; the oldest go first
        while len(self._runs) > _MAX_RUNS:
            del self._runs[next(iter(self._runs))]
        self._runs_dirty = True

    def save(self, live_paths: set[str]) -> None:
        """Write the store and the index; never raises (a cache must not break a run)."""
        if not self.enabled:
            return
        stale = [p for p in self.index if p not in live_paths]
        for path in stale:
            del self.index[path]
        if stale:
            self._index_dirty = True
        if not (self._facts_dirty or self._index_dirty or self._runs_dirty):
            return
        if len(self.facts) > _MAX_ENTRIES:
            # Keep what this run used, drop the rest: a cheap, predictable eviction.
            self._facts = {d: r for d, r in self.facts.items() if d in self._used}
        try:
            self._make_directory()
            if self._facts_dirty:
                _write_atomic(self._facts_path, self.facts)
            if self._index_dirty:
                _write_atomic(self._index_path, (time.time_ns(), self.index))
            if self._runs_dirty:
                _write_atomic(self._runs_path, self._runs)
            if self._facts_dirty:  # a cold run, or a new version's first: tidy up once
                prune(self.directory, {self.key, *self.keep_keys})
        except OSError:
            pass
