"""``archlint baseline`` and ``check`` honouring it: real projects on disk, the real CLI.

Two kinds of project: a copy of ``fixtures/layered_app`` (contract findings, with import
chains) and a small one whose services call ``print`` (code findings, keyed by the text of
the offending line).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archlint import engine
from archlint.baseline import BASELINE_NAME
from tests.test_cli import run, write_tree

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"

SERVICE = '''\
"""Order use cases."""


def place(order):
    print("placing", order)
    total = 0
    print("placing", order)
    return total


def cancel(order):
    print( "cancel",   order )
'''


@pytest.fixture()
def layered(tmp_path: Path) -> Path:
    root = tmp_path / "layered"
    shutil.copytree(LAYERED, root)
    return root


@pytest.fixture()
def printing(tmp_path: Path) -> Path:
    """Three AL601 findings in app/services/orders.py: two identical lines and one other."""
    return write_tree(
        tmp_path / "printing",
        {
            "archlint.toml": '[components]\nservices = ["app/services/**"]\n',
            "app/__init__.py": "",
            "app/services/__init__.py": "",
            "app/services/orders.py": SERVICE,
        },
    )


def _baseline(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = run(["baseline", str(root), "--no-cache", *args], capsys)
    assert code == 0, err
    assert out.startswith("Wrote ")
    return json.loads((root / BASELINE_NAME).read_text(encoding="utf-8"))


def _check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list, str]:
    """(exit code, findings as JSON, stderr)."""
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", *args], capsys)
    findings = json.loads(out)["findings"] if out else []
    return code, findings, err


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_round_trip_hides_todays_findings(layered: Path, capsys) -> None:
    code, before, _ = _check(layered, capsys)
    assert code == 1 and len(before) == 9
    document = _baseline(layered, capsys)
    assert document["version"] == 1
    entries = document["findings"]
    assert sum(e["count"] for e in entries) == 9
    # posix paths relative to the root, sorted; no line numbers anywhere in the file
    assert [e["path"] for e in entries] == sorted(e["path"] for e in entries)
    assert all("\\" not in e["path"] and not e["path"].startswith("/") for e in entries)
    assert not any("line" in e or "column" in e for e in entries)

    code, after, err = _check(layered, capsys)
    assert (code, after) == (0, [])
    assert "9 findings in the baseline (.archlint-baseline.json) not reported" in err
    assert "no longer occur" not in err
    code, everything, _ = _check(layered, capsys, "--no-baseline")
    assert code == 1 and everything == before


def test_findings_moved_by_inserted_lines_stay_baselined(layered: Path, printing: Path, capsys) -> None:
    _baseline(layered, capsys)
    _baseline(printing, capsys)
    # Lines above every finding: import findings (chains) and code findings all move down.
    for path in (layered / "app/services/orders.py", layered / "app/domain/pricing.py",
                 layered / "app/repositories/orders.py"):  # fmt: skip
        path.write_text("# a header\n\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    service = printing / "app/services/orders.py"
    _edit(service, '"""Order use cases."""\n', '"""Order use cases."""\n\nimport logging\n\nLOG = 1\n')
    # An edit to the import line itself that keeps the same import keeps it baselined too.
    _edit(layered / "app/services/orders.py", "import router", "import router as the_router")
    for root in (layered, printing):
        code, findings, err = _check(root, capsys)
        assert (code, findings) == (0, []), findings
        assert "no longer occur" not in err
    code, findings, _ = _check(printing, capsys, "--no-baseline")
    assert [f["line"] for f in findings] == [9, 11, 16]  # they did move


def test_an_edited_offending_line_is_a_new_finding(printing: Path, capsys) -> None:
    _baseline(printing, capsys)
    _edit(printing / "app/services/orders.py", 'print( "cancel",   order )', 'print("cancelled", order)')
    code, findings, err = _check(printing, capsys)
    assert code == 1
    assert [(f["code"], f["line"]) for f in findings] == [("AL601", 12)]
    # ... and the entry of the old line no longer occurs
    assert "1 baseline entry no longer occurs; run with --update-baseline to prune them" in err
    assert "AL601 app/services/orders.py: print() in application code" in err


def test_whitespace_inside_the_offending_line_does_not_matter(printing: Path, capsys) -> None:
    _baseline(printing, capsys)
    _edit(printing / "app/services/orders.py", 'print( "cancel",   order )', 'print( "cancel", order )')
    assert _check(printing, capsys)[:2] == (0, [])


def test_a_baseline_holds_across_line_endings(printing: Path, capsys) -> None:
    """Written where files have LF, read where git checked them out with CRLF (Windows)."""
    _baseline(printing, capsys)
    service = printing / "app/services/orders.py"
    service.write_bytes(service.read_bytes().replace(b"\n", b"\r\n"))
    assert _check(printing, capsys)[:2] == (0, [])


def test_fixed_finding_is_listed_as_gone_and_pruned(printing: Path, capsys) -> None:
    _baseline(printing, capsys)
    baseline = printing / BASELINE_NAME
    written = baseline.read_bytes()
    service = printing / "app/services/orders.py"
    _edit(service, 'print( "cancel",   order )', "return order")
    code, findings, err = _check(printing, capsys)
    assert (code, findings) == (0, [])
    assert "1 baseline entry no longer occurs; run with --update-baseline to prune them" in err
    assert baseline.read_bytes() == written  # a plain check never rewrites it

    # A new finding appears at the same time: --update-baseline must not add it.
    _edit(service, "    total = 0\n", '    total = 0\n    print("new")\n')
    code, findings, err = _check(printing, capsys, "--update-baseline")
    assert code == 1 and [f["line"] for f in findings] == [7]
    assert "removed 1 baseline entry that no longer occurs from .archlint-baseline.json" in err
    entries = json.loads(baseline.read_text())["findings"]
    assert [(e["path"], e["count"]) for e in entries] == [("app/services/orders.py", 2)]
    assert "new" not in baseline.read_text()

    code, findings, err = _check(printing, capsys)  # pruned: nothing gone any more
    assert code == 1 and "no longer occur" not in err
    # the fixed line coming back is a new finding: the entry is gone for good
    _edit(service, "return order", 'print( "cancel",   order )')
    code, findings, _ = _check(printing, capsys)
    assert sorted(f["line"] for f in findings) == [7, 13]


def test_duplicates_are_counted(printing: Path, capsys) -> None:
    entries = _baseline(printing, capsys)["findings"]
    counts = sorted(e["count"] for e in entries)
    assert counts == [1, 2]  # the two identical print lines share one entry
    service = printing / "app/services/orders.py"
    _edit(service, "    return total\n", '    print("placing", order)\n    return total\n')
    code, findings, _ = _check(printing, capsys)
    assert code == 1 and len(findings) == 1  # the third copy is new, the other two are not
    assert findings[0]["line"] == 8  # the last one in report order
    # down to one copy: one of the two baselined no longer occurs
    _edit(service, '    print("placing", order)\n    return total\n', "    return total\n")
    _edit(service, '    print("placing", order)\n    total', "    total")
    code, findings, err = _check(printing, capsys)
    assert (code, findings) == (0, [])
    assert "1 baseline entry no longer occurs" in err and "(x" not in err
    _check(printing, capsys, "--update-baseline")
    entries = json.loads((printing / BASELINE_NAME).read_text())["findings"]
    assert sorted(e["count"] for e in entries) == [1, 1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ not json", "the baseline is not valid JSON"),
        ('{"version": 2, "findings": []}', "unsupported baseline version 2"),
        ("[]", "unsupported baseline version None"),
        ('{"version": 1, "findings": [{"code": "AL601"}]}', "baseline entry 1 has no string 'rule'"),
        (
            json.dumps({"version": 1, "findings": [
                {"code": "A", "rule": "r", "path": "p", "fingerprint": "f", "count": 0}
            ]}),
            "not a positive integer",
        ),
    ],
)
def test_unusable_baseline_exits_2_naming_the_file(printing: Path, capsys, content: str, message: str) -> None:
    (printing / BASELINE_NAME).write_text(content)
    code, out, err = run(["check", str(printing), "--no-cache"], capsys)
    assert code == 2 and out == ""
    assert f"archlint: error: {printing / BASELINE_NAME}: " in err and message in err
    assert "Traceback" not in err
    # --no-baseline does not read it
    assert run(["check", str(printing), "--no-cache", "--no-baseline"], capsys)[0] == 1


def test_baseline_option_points_elsewhere(printing: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "ci" / "known.json"
    elsewhere.parent.mkdir()
    code, out, _ = run(["baseline", str(printing), "--no-cache", "--baseline", str(elsewhere)], capsys)
    assert code == 0 and "Wrote 3 findings" in out
    assert not (printing / BASELINE_NAME).exists()
    assert _check(printing, capsys)[0] == 1  # no default file: every finding
    assert _check(printing, capsys, "--baseline", str(elsewhere))[:2] == (0, [])
    code, _, err = _check(printing, capsys, "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json' does not exist" in err


def test_contradicting_or_pointless_options_are_usage_errors(printing: Path, capsys) -> None:
    code, _, err = _check(printing, capsys, "--update-baseline")
    assert code == 2 and "no baseline to update" in err
    _baseline(printing, capsys)
    code, _, err = _check(printing, capsys, "--update-baseline", "--no-baseline")
    assert code == 2 and "cannot be combined" in err


def test_entries_of_rules_left_out_of_a_run_are_neither_gone_nor_pruned(layered: Path, capsys) -> None:
    _baseline(layered, capsys)
    written = (layered / BASELINE_NAME).read_bytes()
    code, findings, err = _check(layered, capsys, "--select", "AL104", "--update-baseline")
    assert (code, findings) == (0, [])
    assert "2 findings in the baseline" in err and "no longer occur" not in err
    assert (layered / BASELINE_NAME).read_bytes() == written


def test_baseline_is_deterministic(layered: Path, tmp_path: Path, capsys) -> None:
    _baseline(layered, capsys)
    first = (layered / BASELINE_NAME).read_bytes()
    # again, with the cache and two workers, and from a copy somewhere else
    code, _, _ = run(["baseline", str(layered), "--jobs", "2"], capsys)
    assert code == 0 and (layered / BASELINE_NAME).read_bytes() == first
    copy = tmp_path / "elsewhere" / "copy"
    shutil.copytree(LAYERED, copy)
    _baseline(copy, capsys)
    assert (copy / BASELINE_NAME).read_bytes() == first
    assert first.endswith(b"\n") and json.loads(first)["version"] == 1
    assert not list(layered.glob(f"{BASELINE_NAME}.*"))  # no temporary file left behind


def test_a_replayed_run_honours_the_baseline(printing: Path, capsys, monkeypatch) -> None:
    """The fast path replays every finding; the baseline is applied after it."""
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))
    monkeypatch.setattr("archlint.fastpath._RACY_WINDOW_NS", -(10**18))
    _baseline(printing, capsys)
    assert run(["check", str(printing)], capsys)[0] == 0  # records the manifest

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("expected a replay")

    monkeypatch.setattr(engine, "check", forbidden)
    code, out, err = run(["check", str(printing)], capsys)
    assert (code, out) == (0, "All checks passed (3 files checked).\n"), err
    code, out, _ = run(["check", str(printing), "--no-baseline"], capsys)
    assert code == 1 and out.count("AL601") == 3
