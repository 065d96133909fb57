"""The fast glob matcher (globs.GlobSet, path_matcher) against the plain regex of each glob:
the answers must be exactly the same, for odd globs and odd paths too."""

from __future__ import annotations

import random

import pytest
import tomllib

from archlint.config import presets
from archlint.globs import (
    GlobSet,
    PatternError,
    compile_path_glob,
    compile_path_globs,
    glob_set,
    path_matcher,
)

# Segments of generated globs: literals, wildcards, classes that cannot match "/" and ones
# that can ("[!a]", "[^a]", "[.-0]", a backslash), and "**".
GLOB_SEGMENTS = [
    "a", "b", "ab", "routes", "x.py", "..", "a.b", "*", "**", "?", "*.py", "a*", "*a", "a?b",
    "*.[jt]s", "[ab]", "[ab]*", "[a-c]", "[!a]", "[^a]", "[.-0]", "[\\]", "use[A-Z]*.[jt]sx",
    "*routes.[jt]s", "[ab].py", "*.?s", "[ab][ab][ab]", "*.test.*", "*a*", "*[ab]*", "test_*.py",
]  # fmt: skip
PATH_PARTS = [
    "a", "b", "ab", "aa", "abb", "routes", "x.py", "y.py", "a.js", "a.ts", "a.b", "..", ".", "",
    "use", "useA.jsx", "useAb.tsx", "usea.js", "!", "-", "^", "\\", "a\nb", "\n", "A", "0",
    "x routes.js", "[", "]", "x.test.js", "test_x.py", "test_.py", ".test.", "b.spec.ts",
]  # fmt: skip


def random_glob(rng: random.Random) -> str:
    parts = [rng.choice(GLOB_SEGMENTS) for _ in range(rng.randint(1, 4))]
    text = "/".join(parts)
    return rng.choice(["", "", "", "./", " "]) + text + rng.choice(["", "", "", "/"])


def random_path(rng: random.Random) -> str:
    return "/".join(rng.choice(PATH_PARTS) for _ in range(rng.randint(1, 5)))


def plain(patterns: tuple[str, ...], path: str) -> bool:
    return any(compile_path_glob(p).match(path) for p in patterns)


def valid(pattern: str) -> bool:
    try:
        compile_path_glob(pattern)
    except PatternError:
        return False
    return True


def test_random_globs_and_paths_match_as_the_regexes_do() -> None:
    rng = random.Random(20240611)
    paths = [random_path(rng) for _ in range(3000)] + ["", "a", "a/", "/a", "a//b", "\n"]
    checked = 0
    for _ in range(400):
        patterns = tuple(
            g for g in (random_glob(rng) for _ in range(rng.randint(1, 5))) if valid(g)
        )
        if not patterns:
            continue
        matcher = GlobSet(patterns)
        for path in rng.sample(paths, 300):
            assert matcher.match(path) == plain(patterns, path), (patterns, path)
            checked += 1
    assert checked > 50_000


def test_every_glob_shape_of_the_generator_is_asked() -> None:
    # Each segment alone and below "**", against every path of two parts.
    paths = [f"{a}/{b}" for a in PATH_PARTS for b in PATH_PARTS] + PATH_PARTS
    for segment in GLOB_SEGMENTS:
        for pattern in (segment, f"**/{segment}", f"a/{segment}", f"{segment}/**", f"{segment}/b"):
            if not valid(pattern):
                continue
            matcher = GlobSet((pattern,))
            for path in paths:
                assert matcher.match(path) == plain((pattern,), path), (pattern, path)


def preset_glob_lists() -> dict[str, tuple[str, ...]]:
    """Every list of path globs in the bundled presets: components and exclude lists."""
    lists: dict[str, tuple[str, ...]] = {}
    for file in sorted(presets.preset_dir().glob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        if isinstance(data.get("exclude"), list):
            lists[f"{file.stem}:exclude"] = tuple(data["exclude"])
        for name, entries in (data.get("components") or {}).items():
            globs = tuple(e for e in entries if isinstance(e, str) and "/" in e)
            if globs:
                lists[f"{file.stem}:{name}"] = globs
    return lists


def preset_paths(lists: dict[str, tuple[str, ...]], count: int) -> list[str]:
    """Paths built of the presets' own words, so that most globs match some of them."""
    rng = random.Random(7)
    words: set[str] = {"src", "app", "lib", "x", "deep"}
    names: set[str] = {"index.ts", "main.py", "a.jsx", "b.tsx", "c.d.ts", "useThing.ts"}
    for globs in lists.values():
        for glob in globs:
            for segment in glob.split("/"):
                if "*" not in segment and "[" not in segment and "?" not in segment:
                    words.add(segment)
                    names.add(segment)
                elif segment != "**":
                    for fill in ("", "x", "user", "Thing"):
                        names.add(segment.replace("*", fill).replace("[jt]", rng.choice("jt")))
    word_list, name_list = sorted(words), sorted(names)
    paths = []
    for _ in range(count):
        folders = [rng.choice(word_list) for _ in range(rng.randint(0, 5))]
        paths.append("/".join([*folders, rng.choice(name_list)]))
    return paths


def test_preset_globs_match_as_their_alternation_does() -> None:
    lists = preset_glob_lists()
    assert {"backend:routes", "frontend:hooks", "backend:exclude"} <= set(lists)
    paths = preset_paths(lists, 6000)
    matched = 0
    for label, globs in lists.items():
        alternation = compile_path_globs(globs)
        assert alternation is not None
        fast = GlobSet(globs)
        remembered = path_matcher(globs)
        for path in paths:
            expected = alternation.match(path) is not None
            assert fast.match(path) == expected, (label, path)
            assert remembered(path) == expected, (label, path)
            matched += expected
    assert matched > 1000  # the paths do reach the globs


def test_directory_verdicts() -> None:
    matcher = GlobSet(("server/**/routes/**", "**/routes.py", "**/*.[jt]s", "app/db"))
    assert matcher.directory("server/x/routes/") is True
    assert matcher.directory("app/db/") is True
    verdict = matcher.directory("web/")
    assert verdict is not True and verdict
    assert verdict("web/", "routes.py") and verdict("web/", "a.ts")
    assert not verdict("web/", "a.py")
    assert matcher.directory("app/").names == {"db", "routes.py"}  # type: ignore[union-attr]
    assert GlobSet(("server/**",)).directory("web/") is False


def test_invalid_globs_raise_as_before() -> None:
    for bad in ("", "/abs", "../up", "a/../b", "a/**b", "a//b", "a/./b", "[", "a/[]"):
        with pytest.raises(PatternError):
            compile_path_glob(bad)
        with pytest.raises(PatternError):
            glob_set(("ok/**", bad))
        with pytest.raises(PatternError):
            path_matcher(("ok/**", bad))


def test_no_globs_match_nothing() -> None:
    assert path_matcher(())("a/b.py") is False
    assert GlobSet(()).match("a/b.py") is False
