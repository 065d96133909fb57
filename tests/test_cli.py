"""The command line end to end: exit codes, formats, options and every kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archlint import __version__, engine
from archlint.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "fixtures" / "sample_app"

CONFIG = """\
[components]
routes = ["app.routes"]
services = ["app.services"]
repositories = ["app.repositories"]

[[contracts]]
name = "Backend layers"
type = "layers"
layers = ["routes", "services", "repositories"]
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for relpath, content in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    return root


def layered_project(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """routes -> services -> repositories, with repositories/users.py importing a route."""
    files: dict[str, str | bytes] = {
        "archlint.toml": CONFIG,
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/routes/users.py": "from app.services import users\n",
        "app/services/__init__.py": "",
        "app/services/users.py": "from app.repositories import users\n",
        "app/repositories/__init__.py": "",
        "app/repositories/users.py": "import os\nfrom app.routes import users\n",
    }
    files.update(extra or {})
    return write_tree(root, files)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"archlint, version {__version__}"


def test_sample_app_is_clean(capsys) -> None:
    code, out, err = run(["check", str(SAMPLE), "--no-cache"], capsys)
    assert (code, err) == (0, "")
    assert out == "All checks passed (7 files checked).\n"


def test_layers_violation_text_output(tmp_path, capsys, monkeypatch) -> None:
    layered_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["check", "--no-cache"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("app/repositories/users.py:2:")
    assert " AL101 " in lines[0] and lines[0].endswith("[Backend layers]")
    assert lines[1].strip() == "app.repositories.users -> app.routes (app/repositories/users.py:2)" or (
        lines[1].strip().startswith("app.repositories.users -> app.routes")
    )
    assert lines[-1] == "Found 1 finding in 7 files checked."


def test_json_output_and_file_output(tmp_path, capsys) -> None:
    layered_project(tmp_path)
    target = tmp_path / "report.json"
    code, out, _ = run(
        ["check", str(tmp_path), "--no-cache", "--format", "json", "--output", str(target)],
        capsys,
    )
    assert code == 1 and out == ""
    report = json.loads(target.read_text())
    assert report["version"] == __version__
    assert report["summary"] == {"files": 7, "findings": 1, "by_rule": {"layers": 1}}
    (finding,) = report["findings"]
    assert (finding["code"], finding["rule"], finding["path"], finding["line"]) == (
        "AL101", "layers", "app/repositories/users.py", 2,
    )  # fmt: skip
    assert finding["contract"] == "Backend layers"
    assert finding["chain"][0]["importer"] == "app.repositories.users"
    assert not list(tmp_path.glob(".report.json.*"))  # no temp file left behind


def test_exit_zero_statistics_and_quiet(tmp_path, capsys) -> None:
    layered_project(tmp_path)
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--exit-zero"], capsys)
    assert code == 0 and "AL101" in out
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--statistics", "-q"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "1\tAL101\tlayers"
    assert "Found" not in out


def test_select_and_ignore(tmp_path, capsys) -> None:
    layered_project(tmp_path, {"app/broken.py": "def f(:\n"})
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--select", "AL0"], capsys)
    assert code == 1 and "AL001" in out and "AL101" not in out
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--ignore", "parse-error,AL1"], capsys)
    assert code == 0 and "All checks passed" in out


def test_unknown_rule_selector_is_a_usage_error(tmp_path, capsys) -> None:
    layered_project(tmp_path)
    code, out, err = run(["check", str(tmp_path), "--select", "layer"], capsys)
    assert code == 2 and out == ""
    assert "unknown rule selector 'layer' (did you mean 'layers'?)" in err
    assert "Traceback" not in err


def test_missing_path(capsys, tmp_path) -> None:
    code, out, err = run(["check", str(tmp_path / "nope")], capsys)
    assert code == 2 and out == ""
    assert err.strip() == f"archlint: error: path '{tmp_path / 'nope'}' does not exist"


def test_bad_option_is_exit_2(capsys) -> None:
    code, _, err = run(["check", "--format", "xml"], capsys)
    assert code == 2 and "Invalid value for '--format'" in err


def test_config_typo_names_file_and_line(tmp_path, capsys) -> None:
    layered_project(tmp_path)
    (tmp_path / "archlint.toml").write_text(CONFIG.replace("layers = [", "layer = ["))
    code, out, err = run(["check", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert "archlint.toml:9:" in err and "did you mean 'layers'" in err
    assert "Traceback" not in err


def test_syntax_error_is_a_finding_and_the_run_goes_on(tmp_path, capsys) -> None:
    layered_project(tmp_path, {"app/services/broken.py": "x = 1\ndef f(:\n    pass\n"})
    code, out, _ = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert code == 1
    assert "app/services/broken.py:2:7: AL001 syntax error: " in out
    assert "AL101" in out  # the rest of the project was still checked


def test_bad_bytes_binary_and_coding_cookie(tmp_path, capsys) -> None:
    layered_project(
        tmp_path,
        {
            "app/latin.py": "x = \"caf\xe9\"\nimport os\n".encode("latin-1"),
            "app/cookie.py": "# -*- coding: latin-1 -*-\n# caf\xe9\nimport os\n".encode("latin-1"),
            "app/blob.py": b"\x7fELF\x00\x00\x01binary",
        },
    )
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--select", "AL001"], capsys)
    assert code == 1
    flagged = sorted(line.split(":")[0] for line in out.splitlines() if "AL001" in line)
    assert flagged == ["app/blob.py", "app/latin.py"]  # the cookie file parses fine
    assert "binary file" in out


def test_empty_project(tmp_path, capsys) -> None:
    code, out, _ = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert code == 0 and out == "All checks passed (0 files checked).\n"


def test_symlink_loop_and_link_out_of_root(tmp_path, capsys) -> None:
    project = layered_project(tmp_path / "project")
    os.symlink(project / "app", project / "app" / "loop")
    os.symlink(tmp_path, project / "outside")
    code, out, err = run(["check", str(project), "--no-cache"], capsys)
    assert code == 1 and "Found 1 finding in 7 files checked." in out
    assert "note: outside: skipped, symlink to outside the project root" in err


def test_unreadable_file_is_a_finding(tmp_path, capsys, monkeypatch) -> None:
    layered_project(tmp_path)
    real_open = open

    def refusing_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(path).endswith("services/users.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--jobs", "1"], capsys)
    assert code == 1
    assert "app/services/users.py:1:1: AL002 cannot read file: Permission denied" in out


def test_internal_error_is_one_line_unless_debug(tmp_path, capsys, monkeypatch) -> None:
    layered_project(tmp_path)

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyError("boom")

    monkeypatch.setattr(engine, "check", broken)
    code, out, err = run(["check", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert err == "archlint: internal error: KeyError: 'boom' (run with --debug for the traceback)\n"
    code, _, err = run(["--debug", "check", str(tmp_path)], capsys)
    assert code == 2 and "Traceback (most recent call last)" in err


def test_paths_limit_reported_findings(tmp_path, capsys) -> None:
    layered_project(tmp_path, {"app/bad.py": "def f(:\n"})
    code, out, _ = run(["check", str(tmp_path / "app" / "routes"), "--no-cache"], capsys)
    # the chain passes through nothing in routes' files, and bad.py is elsewhere
    assert code == 0, out
    code, out, _ = run(["check", str(tmp_path / "app" / "bad.py"), "--no-cache"], capsys)
    assert code == 1 and "AL001" in out and "AL101" not in out


def _json_report(root: Path, capsys, *options: str) -> str:
    code, out, _ = run(["check", str(root), "--format", "json", *options], capsys)
    assert code == 1
    return out


def test_same_findings_whatever_the_workers_or_the_cache(tmp_path, capsys, monkeypatch) -> None:
    files = {f"app/gen/m{i:03}.py": f"from app.gen import m{(i + 1) % 300:03}\n" for i in range(300)}
    layered_project(tmp_path, {"app/gen/__init__.py": "", "app/services/extra.py": "def (\n"})
    write_tree(tmp_path, files)
    (tmp_path / "archlint.toml").write_text(
        CONFIG + '\n[[contracts]]\nname = "acyclic gen"\ntype = "acyclic"\npackages = ["app", "app.gen"]\n'
    )
    monkeypatch.setattr("archlint.parsing.MIN_FILES_PER_WORKER", 50)
    serial = _json_report(tmp_path, capsys, "--no-cache", "--jobs", "1")
    parallel = _json_report(tmp_path, capsys, "--no-cache", "--jobs", "2")
    cold = _json_report(tmp_path, capsys, "--jobs", "2")  # writes the cache
    warm = _json_report(tmp_path, capsys, "--jobs", "2")  # reads it
    assert serial == parallel == cold == warm
    assert (tmp_path / ".archlint_cache" / ".gitignore").exists()


def test_graph_parses_each_file_once(tmp_path, capsys, monkeypatch) -> None:
    """The picture's violations come from a check, whose graph is the picture's: with
    --no-cache, no file is read a second time for the graph."""
    from archlint import parsing

    layered_project(tmp_path)
    read: list[str] = []
    real = parsing._read_and_parse
    monkeypatch.setattr(parsing, "_read_and_parse", lambda item: (read.append(item[0]), real(item))[1])
    code, out, _ = run(["graph", str(tmp_path), "--no-cache", "--format", "dot", "-j", "1"], capsys)
    assert code == 0 and "app.repositories.users" in out and read
    assert sorted(read) == sorted(set(read))  # every file once


def test_graph_formats(tmp_path, capsys) -> None:
    layered_project(tmp_path)
    code, out, _ = run(["graph", str(tmp_path), "--no-cache"], capsys)
    assert code == 0
    data = json.loads(out)
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids) and "os" in ids and "app.routes.users" in ids
    os_node = next(n for n in data["nodes"] if n["id"] == "os")
    assert os_node == {"id": "os", "path": None, "language": "python", "external": True}
    edge = next(e for e in data["edges"] if e["source"] == "app.repositories.users" and e["target"] == "os")
    assert edge["sites"] == [
        {"path": "app/repositories/users.py", "line": 1, "column": 8, "kind": "import"}
    ]
    code, out, _ = run(["graph", str(tmp_path), "--no-cache", "--format", "dot", "--collapse", "2"], capsys)
    assert code == 0 and out.startswith("digraph archlint {")
    assert '"app.repositories" -> "app.routes";' in out
    assert "app.routes.users" not in out
    code, out, _ = run(["graph", str(tmp_path), "--no-cache", "--format", "mermaid"], capsys)
    assert code == 0 and out.startswith("flowchart LR\n")
    assert '(["os"])' in out


def test_console_script_runs_as_a_process(tmp_path) -> None:
    """The installed entry point, in a real process: exit code and no traceback."""
    layered_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "check", str(tmp_path), "--no-cache"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "AL101" in result.stdout


def test_colour_only_when_asked_or_on_a_tty(tmp_path, capsys, monkeypatch) -> None:
    layered_project(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    _, plain, _ = run(["check", str(tmp_path), "--no-cache"], capsys)  # captured: no TTY
    assert "\x1b[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert "\x1b[31mAL101\x1b[0m" in coloured
    _, as_json, _ = run(["check", str(tmp_path), "--no-cache", "--format", "json"], capsys)
    assert "\x1b[" not in as_json  # never colour in machine output
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain_again, _ = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert plain_again == plain


def test_graph_json_is_identical_across_runs_and_hash_seeds(tmp_path) -> None:
    layered_project(tmp_path)
    outputs = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [sys.executable, "-m", "archlint", "graph", str(tmp_path), "--no-cache"],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        outputs.add(result.stdout)
    assert len(outputs) == 1
