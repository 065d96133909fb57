"""Pattern lists (rules/patterns.py) answer exactly as fnmatch.fnmatchcase does, whatever
shape each pattern has: exact, prefix, suffix, part between stars, or anything else."""

from __future__ import annotations

import random
from fnmatch import fnmatchcase

from archlint.rules import all_rules
from archlint.rules.patterns import _compiled, _shapes

ALPHABET = "ab.*?[]!_()/\n"


def _random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice("ab._()/\n") for _ in range(rng.randrange(size)))


def _random_pattern(rng: random.Random) -> str:
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(6)))
    return text if rng.random() < 0.7 else rng.choice(["*", "**", ""]) + text + rng.choice(["*", ""])


def test_random_lists_answer_as_fnmatchcase() -> None:
    rng = random.Random(4)
    for _ in range(3000):
        patterns = tuple(_random_pattern(rng) for _ in range(rng.randrange(1, 5)))
        match = _compiled(patterns)
        for _ in range(20):
            text = _random_text(rng, 8)
            assert match(text) == any(fnmatchcase(text, p) for p in patterns), (patterns, text)


def test_the_rules_option_lists_answer_as_fnmatchcase() -> None:
    lists = [tuple(str(p) for p in value) for rule in all_rules() for _, value in rule.options
             if isinstance(value, (list, tuple)) and value and all(isinstance(p, str) for p in value)]  # fmt: skip
    texts = ["session.query", "db.session.execute", "requests.get", "self.repo.pool.apply_async",
             "User.objects.filter().first", "cursor.execute", "send_mail", "axios.post",
             "res.cookie", "jwt.encode", "print", "console.log", "open", "x", ""]  # fmt: skip
    assert len(lists) > 20
    for patterns in lists:
        match = _compiled(patterns)
        for text in texts:
            assert match(text) == any(fnmatchcase(text, p) for p in patterns), (patterns, text)


def test_shapes() -> None:
    exact, prefixes, suffixes, parts, others = _shapes(("a.b", "req*", "*.query", "*pool*", "a?b", "*a*b*", "*"))
    assert exact == {"a.b"} and prefixes == ("req",) and suffixes == (".query",)
    assert parts == ("pool", "") and others == ("a?b", "*a*b*")
