"""The facts cache: content-addressed, atomic, tolerant of corruption and concurrent runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from archlint.cache import CACHE_DIR_NAME, FactsCache, content_hash


def _aged_cache(tmp_path: Path) -> FactsCache:
    cache = FactsCache(tmp_path, ("p1",))
    digest = content_hash(b"import os\n")
    cache.put(digest, ("python", (("os", None, 0, 1, 8, "import"),), None))
    cache.remember("a.py", 10, 1_000, 1_000, digest)
    cache.save({"a.py"})
    return cache


def test_round_trip_and_cache_dir_is_self_ignoring(tmp_path: Path) -> None:
    _aged_cache(tmp_path)
    again = FactsCache(tmp_path, ("p1",))
    digest = content_hash(b"import os\n")
    assert again.known_hash("a.py", 10, 1_000, 1_000) == digest
    assert again.get(digest) == ("python", (("os", None, 0, 1, 8, "import"),), None)
    assert (tmp_path / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()[-1] == "*"


def test_changed_size_or_mtime_is_not_trusted(tmp_path: Path) -> None:
    _aged_cache(tmp_path)
    again = FactsCache(tmp_path, ("p1",))
    assert again.known_hash("a.py", 11, 1_000, 1_000) is None
    assert again.known_hash("a.py", 10, 2_000, 1_000) is None
    assert again.known_hash("a.py", 10, 1_000, 2_000) is None  # mtime put back, ctime not
    assert again.known_hash("b.py", 10, 1_000, 1_000) is None


def test_racy_mtime_is_rehashed(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, ("p1",))
    now = time.time_ns()
    cache.remember("a.py", 10, now, now, content_hash(b"x"))
    cache.save({"a.py"})
    again = FactsCache(tmp_path, ("p1",))
    assert again.known_hash("a.py", 10, now, now) is None  # written in the same instant: unsure


def test_other_parser_versions_use_another_store(tmp_path: Path) -> None:
    _aged_cache(tmp_path)
    other = FactsCache(tmp_path, ("p2",))
    assert other.known_hash("a.py", 10, 1_000, 1_000) is None
    assert other.facts == {}


def test_corrupt_files_are_ignored(tmp_path: Path) -> None:
    _aged_cache(tmp_path)
    for path in (tmp_path / CACHE_DIR_NAME).glob("*.bin"):
        path.write_bytes(b"\x00garbage" * 10)
    again = FactsCache(tmp_path, ("p1",))
    assert again.facts == {} and again.index == {}


def test_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, ("p1",), enabled=False)
    cache.put(b"d", ("python", (), None))
    cache.save(set())
    assert not (tmp_path / CACHE_DIR_NAME).exists()


def test_deleted_files_leave_the_index(tmp_path: Path) -> None:
    _aged_cache(tmp_path)
    again = FactsCache(tmp_path, ("p1",))
    again.save(set())
    assert FactsCache(tmp_path, ("p1",)).index == {}


def test_unwritable_cache_dir_does_not_fail(tmp_path: Path) -> None:
    (tmp_path / CACHE_DIR_NAME).write_text("a file where the directory should be")
    cache = FactsCache(tmp_path, ("p1",))
    cache.put(b"d", ("python", (), None))
    cache.save(set())  # must not raise
    assert (tmp_path / CACHE_DIR_NAME).is_file()
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    assert os.listdir(tmp_path) == [CACHE_DIR_NAME]


def test_malformed_index_entries_are_dropped(tmp_path: Path) -> None:
    import marshal

    _aged_cache(tmp_path)
    (index,) = (tmp_path / CACHE_DIR_NAME).glob("index-*.bin")
    written, entries = marshal.loads(index.read_bytes())
    entries["old.py"] = (10, 1_000, b"a three-field entry of an older layout")
    entries[42] = (1, 2, 3, b"x")
    index.write_bytes(marshal.dumps((written, entries)))
    again = FactsCache(tmp_path, ("p1",))
    assert set(again.index) == {"a.py"}
    assert again.run_key("config", ["a.py"]) is not None
    assert again.run_key("config", ["a.py", "old.py"]) is None


def test_other_versions_stores_and_dead_temp_files_are_pruned(tmp_path: Path) -> None:
    directory = tmp_path / CACHE_DIR_NAME
    directory.mkdir()
    week_ago = time.time() - 8 * 24 * 3600
    old_foreign = directory / "facts-0123456789abcdef.bin"
    fresh_foreign = directory / "index-fedcba9876543210.bin"  # another version, still in use
    dead_tmp = directory / "facts-x.bin.123.456.tmp"
    for path in (old_foreign, fresh_foreign, dead_tmp):
        path.write_bytes(b"x")
    os.utime(old_foreign, (week_ago, week_ago))
    os.utime(dead_tmp, (week_ago, week_ago))
    cache = FactsCache(tmp_path, ("p1",))
    cache.put(b"d", ("python", (), None))  # a cold run writes the store, and tidies up
    cache.save(set())
    left = sorted(p.name for p in directory.iterdir())
    assert old_foreign.name not in left and dead_tmp.name not in left
    assert fresh_foreign.name in left
    assert f"facts-{cache.key}.bin" in left
