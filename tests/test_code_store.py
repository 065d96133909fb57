"""The code-facts store: which files a rule with CODE_TRIGGERS may skip, cold and warm."""

from __future__ import annotations

import os
from pathlib import Path

from archlint.cache import content_hash
from archlint.code_store import CodeFactsStore
from archlint.discover import DiscoveredFile
from archlint.engine import check
from archlint.config.load import load_config

SOURCE = b"def handler(request):\n    return session.query(User).all()\n"


def _store(root: Path, enabled: bool = True) -> tuple[CodeFactsStore, bytes]:
    path = root / "app.py"
    path.write_bytes(SOURCE)
    info = path.stat()
    file = DiscoveredFile("app.py", str(path), "python", info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    store = CodeFactsStore(root, {"app.py": file}, enabled)
    digest = content_hash(SOURCE, "python")
    store.bind("app.py", digest)
    return store, digest


def test_a_file_lacking_every_trigger_is_skipped_even_when_its_facts_are_loaded(tmp_path: Path) -> None:
    store, digest = _store(tmp_path)
    store.presence(digest, frozenset({b"query", b"jwt"}), frozenset({b"query"}))
    assert store.get("app.py") is not None  # wanted whole by one rule: facts in memory
    assert store.get("app.py", (b"jwt",)) is None  # another rule's triggers: absent
    assert store.get("app.py", (b"jwt", b"query")) is not None  # one of them is there


def test_unknown_triggers_are_looked_up_in_the_bytes(tmp_path: Path) -> None:
    store, digest = _store(tmp_path)
    store.presence(digest, frozenset({b"query"}), frozenset({b"query"}))
    assert store.get("app.py", (b"cookie",)) is None  # not looked for before: read, absent
    assert store.presences[digest] == (frozenset({b"query", b"cookie"}), frozenset({b"query"}))


def test_presence_survives_the_run_and_spares_reading_the_file(tmp_path: Path) -> None:
    store, digest = _store(tmp_path)
    store.presence(digest, frozenset({b"jwt", b"query"}), frozenset({b"query"}))
    store.save()
    warm, _ = _store(tmp_path)
    os.chmod(tmp_path / "app.py", 0)  # a read would fail: the answer must come from the cache
    try:
        if os.access(tmp_path / "app.py", os.R_OK):  # running as root: hide the file instead
            (tmp_path / "app.py").rename(tmp_path / "hidden.py")
        assert warm.get("app.py", (b"jwt",)) is None
    finally:
        for name in ("app.py", "hidden.py"):
            if (tmp_path / name).exists():
                os.chmod(tmp_path / name, 0o644)


def test_no_cache_writes_no_presence(tmp_path: Path) -> None:
    store, digest = _store(tmp_path, enabled=False)
    store.presence(digest, frozenset({b"jwt"}), frozenset())
    store.save()
    assert not list(tmp_path.rglob("triggers-*.bin"))


def test_cold_and_warm_runs_agree_and_the_warm_one_knows_the_triggers(tmp_path: Path) -> None:
    # Routes are read whole (route-handler rules) and by trigger (the JWT rules): the
    # handlers file holds no "jwt" and the auth file does.
    (tmp_path / "app" / "routes").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "routes" / "__init__.py").write_text("")
    (tmp_path / "app" / "routes" / "posts.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
        "@router.get('/v1/posts')\ndef list_posts():\n    return []\n"
    )
    (tmp_path / "app" / "routes" / "auth.py").write_text(
        "import jwt\n\n\ndef token(user):\n    return jwt.encode({'sub': user}, 'secret', algorithm='HS256')\n"
    )
    config = load_config(None, tmp_path)
    cold = check(config, use_cache=True, jobs=1)
    presence_files = list((tmp_path / ".archlint_cache").glob("triggers-*.bin"))
    assert len(presence_files) == 1
    (tmp_path / "app" / "routes" / "posts.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
        "@router.get('/v1/posts')\ndef list_posts():\n    return [1]\n"
    )
    warm = check(load_config(None, tmp_path), use_cache=True, jobs=1)
    rules = sorted({f.rule for f in cold.findings})
    assert "symmetric-jwt-secret" in rules
    assert [(f.rule, f.path, f.line) for f in warm.findings] == [(f.rule, f.path, f.line) for f in cold.findings]


def test_trigger_presence_sees_triggers_inside_longer_ones(monkeypatch) -> None:
    # One regex pass finds "access_token" once: "token" and "access" are in it too.
    from archlint import parsing

    monkeypatch.setattr(parsing, "_TRIGGERS", (b"token", b"access_token", b"jwt", b"cookie", b"access"))
    monkeypatch.setattr(parsing, "_FINDER", None)
    assert parsing._present(b"x = access_token\n") == {b"token", b"access_token", b"access"}
    assert parsing._present(b"set_cookie(jwt)") == {b"cookie", b"jwt"}
    assert parsing._present(b"nothing here") == frozenset()
    data = b"".join([b"access_token token jwt ", b"a" * 1000, b" cookie"])
    assert parsing._present(data) == {t for t in parsing._TRIGGERS if t in data}
