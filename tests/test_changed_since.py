"""``check --changed-since REF``: real git repositories made in tmp_path, the real CLI.

Every repository gets its own user.name/email; the user's global and system git config are
kept out (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM) so that no setting of theirs changes what
git prints, and nothing of theirs is touched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from archlint import engine
from archlint.changes import changed_files
from tests.test_cli import run, write_tree

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(autouse=True)
def _own_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def init_repo(repo: Path) -> Path:
    """A repository on branch main with everything in ``repo`` committed."""
    git(repo, "init", "-q")
    git(repo, "symbolic-ref", "HEAD", "refs/heads/main")  # whatever init.defaultBranch says
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "commit.gpgsign", "false")
    commit(repo, "initial")
    return repo


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture()
def layered(tmp_path: Path) -> Path:
    """fixtures/layered_app (nine findings) committed on main, HEAD on branch feature."""
    root = tmp_path / "layered"
    shutil.copytree(LAYERED, root)
    init_repo(root)
    git(root, "checkout", "-q", "-b", "feature")
    return root


def _check(root: Path, capsys, *args: str) -> tuple[int, list[tuple[str, str]], str]:
    """(exit code, (code, path) of each finding, stderr)."""
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", *args], capsys)
    findings = json.loads(out)["findings"] if out else []
    return code, [(f["code"], f["path"]) for f in findings], err


def _append(path: Path, text: str = "\n# touched\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_only_findings_in_changed_files(layered: Path, capsys) -> None:
    assert len(_check(layered, capsys)[1]) == 9
    assert _check(layered, capsys, "--changed-since", "main")[:2] == (0, [])  # nothing changed
    _append(layered / "app/services/billing.py")
    commit(layered, "touch billing")
    code, findings, _ = _check(layered, capsys, "--changed-since", "main")
    assert (code, findings) == (1, [("AL103", "app/services/billing.py")])
    # PATHs narrow further: both must hold
    for folder, expected in (("app/domain", 0), ("app/services", 1)):
        args = ["check", str(layered / folder), "--no-cache", "--changed-since", "main"]
        assert run(args, capsys)[0] == expected


def test_a_chain_through_a_changed_file_is_reported(layered: Path, capsys) -> None:
    # app.repositories.orders -> app.helpers -> app.routes.orders: only the middle hop changes
    _append(layered / "app/helpers.py")
    commit(layered, "touch helpers")
    code, findings, _ = _check(layered, capsys, "--changed-since", "main")
    assert (code, findings) == (1, [("AL101", "app/repositories/orders.py")])
    # the whole graph was still checked: the finding runs through an unchanged importer
    code, out, _ = run(["check", str(layered), "--no-cache", "--changed-since", "main"], capsys)
    assert "indirectly imports app.routes.orders via app.helpers" in out


def test_staged_unstaged_and_untracked_files_count(tmp_path: Path, capsys) -> None:
    # The project is a folder of a bigger repository: paths are relative to its root.
    repo = tmp_path / "mono"
    project = repo / "backend"
    shutil.copytree(LAYERED, project)
    write_tree(repo, {"README.md": "monorepo\n", "web/app.js": "console.log(1)\n"})
    init_repo(repo)
    _append(repo / "web/app.js")  # outside the project: ignored
    _append(project / "app/services/billing.py")  # unstaged
    _append(project / "app/domain/orders.py")
    git(repo, "add", "backend/app/domain/orders.py")  # staged
    write_tree(project, {"app/services/extra.py": "from app.routes.orders import router\n"})
    write_tree(project, {"ignored.py": "", ".gitignore": "ignored.py\n"})
    changed = changed_files(str(project), "main")
    assert changed == {
        "app/services/billing.py", "app/domain/orders.py", "app/services/extra.py", ".gitignore",
    }  # fmt: skip
    code, findings, _ = _check(project, capsys, "--changed-since", "main")
    assert code == 1
    assert findings == [
        ("AL104", "app/domain/orders.py"),
        ("AL103", "app/services/billing.py"),
        ("AL101", "app/services/extra.py"),
    ]


def test_a_renamed_file_counts_as_its_new_path(tmp_path: Path, capsys) -> None:
    root = write_tree(
        tmp_path / "printing",
        {
            "archlint.toml": '[components]\nservices = ["app/services/**"]\n',
            "app/__init__.py": "",
            "app/services/__init__.py": "",
            "app/services/orders.py": 'def place(order):\n    print("placing", order)\n',
            "app/services/other.py": 'print("other")\n',
        },
    )
    init_repo(root)
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "mv", "app/services/orders.py", "app/services/sales.py")
    commit(root, "rename")
    assert changed_files(str(root), "main") == {"app/services/sales.py"}
    code, findings, _ = _check(root, capsys, "--changed-since", "main")
    assert (code, findings) == (1, [("AL601", "app/services/sales.py")])


def test_paths_with_spaces_and_unicode(tmp_path: Path, capsys) -> None:
    root = write_tree(
        tmp_path / "uni code",
        {"archlint.toml": '[components]\nservices = ["app/services/**"]\n', "app/x.py": ""},
    )
    init_repo(root)
    # (a Python file whose name has a space is no module: JS files are named by their path)
    names = ["app/services/naïve orders.js", 'app/services/quote"d.py', "app/services/日 本.ts"]
    write_tree(root, {names[0]: 'console.log("a")\n'})
    commit(root, "one committed")
    write_tree(root, {names[1]: 'print("b")\n', names[2]: 'console.log("c")\n'})  # untracked
    assert changed_files(str(root), "HEAD~1") == set(names)
    code, findings, _ = _check(root, capsys, "--changed-since", "HEAD~1")
    assert code == 1 and sorted(path for _, path in findings) == sorted(names)


def test_unknown_ref_is_a_usage_error(layered: Path, capsys) -> None:
    code, findings, err = _check(layered, capsys, "--changed-since", "no-such-branch")
    assert (code, findings) == (2, [])
    assert "unknown revision 'no-such-branch'" in err and "Traceback" not in err
    code, _, err = _check(layered, capsys, "--changed-since", "--help")
    assert code == 2


def test_not_a_git_repository(tmp_path: Path, capsys) -> None:
    root = tmp_path / "plain"
    shutil.copytree(LAYERED, root)
    code, _, err = _check(root, capsys, "--changed-since", "main")
    assert code == 2 and "is not in a git work tree" in err


def test_git_missing(layered: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin-here"))
    code, _, err = _check(layered, capsys, "--changed-since", "main")
    assert code == 2 and "git is not installed" in err


def test_shallow_clone_explains_how_to_fetch_history(tmp_path: Path, capsys) -> None:
    source = tmp_path / "source"
    shutil.copytree(LAYERED, source)
    init_repo(source)
    first = git(source, "rev-parse", "HEAD").strip()
    _append(source / "app/helpers.py")
    commit(source, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", source.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    for ref in ("HEAD~1", first):
        code, findings, err = _check(clone, capsys, "--changed-since", ref)
        assert (code, findings) == (2, [])
        assert f"unknown revision '{ref}': this is a shallow clone" in err
        assert "git fetch --unshallow" in err and "fetch-depth: 0" in err
    # once the history is there, the same command works
    git(clone, "fetch", "-q", "--unshallow")
    code, findings, _ = _check(clone, capsys, "--changed-since", "HEAD~1")
    assert (code, findings) == (1, [("AL101", "app/repositories/orders.py")])


def test_a_replayed_run_is_narrowed_too(layered: Path, capsys, monkeypatch) -> None:
    """The fast path replays the whole project's findings; --changed-since applies after."""
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))
    monkeypatch.setattr("archlint.fastpath._RACY_WINDOW_NS", -(10**18))
    _append(layered / "app/services/billing.py")
    assert run(["check", str(layered)], capsys)[0] == 1  # records the manifest

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("expected a replay")

    monkeypatch.setattr(engine, "check", forbidden)
    code, out, err = run(["check", str(layered), "--changed-since", "main"], capsys)
    assert code == 1, err
    assert out.count(" AL") == 1 and "app/services/billing.py:3:" in out


def test_one_file_rules_read_only_the_changed_files(tmp_path: Path, capsys, monkeypatch) -> None:
    # Two services print (print-logging judges one file at a time): only the changed one
    # is read at all, and the answer is the full run's, narrowed to it.
    from archlint.code_store import CodeFactsStore

    root = tmp_path / "prints"
    write_tree(root, {
        "archlint.toml": '[components]\nservices = ["app.services"]\n',
        "app/__init__.py": "", "app/services/__init__.py": "",
        "app/services/a.py": "def run():\n    print('a')\n",
        "app/services/b.py": "def run():\n    print('b')\n",
        # migrations there are, or no-migration-tool (which judges the whole project) would
        # read every file for models
        "migrations/V1__notes.sql": "CREATE TABLE notes (id uuid PRIMARY KEY, "
                                    "created_at timestamptz, updated_at timestamptz);\n",
    })  # fmt: skip
    init_repo(root)
    full = _check(root, capsys)[1]
    assert full == [("AL601", "app/services/a.py"), ("AL601", "app/services/b.py")]
    _append(root / "app/services/b.py")
    asked: list[str] = []
    real = CodeFactsStore.get

    def spy(self, path: str, triggers: tuple[bytes, ...] = ()):  # noqa: ANN001, ANN202
        asked.append(path)
        return real(self, path, triggers)

    monkeypatch.setattr(CodeFactsStore, "get", spy)
    assert _check(root, capsys, "--changed-since", "HEAD")[:2] == (1, [("AL601", "app/services/b.py")])
    assert "app/services/b.py" in asked and "app/services/a.py" not in asked
    # With a baseline, every rule sees every file: "no longer occurs" must stay true.
    assert run(["baseline", str(root), "--no-cache"], capsys)[0] == 0
    asked.clear()
    assert _check(root, capsys, "--changed-since", "HEAD")[:2][0] in (0, 1)
    assert "app/services/a.py" in asked
