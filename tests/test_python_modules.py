"""Naming Python files as modules from the directory tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.errors import ConfigError
from archlint.frontends.python_modules import PythonModuleNamer, expand_roots


def make(root: Path, *files: str) -> Path:
    for relpath in files:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return root


def test_flat_layout(tmp_path: Path) -> None:
    make(tmp_path, "pkg/__init__.py", "pkg/a.py", "pkg/sub/__init__.py", "pkg/sub/b.py", "top.py")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("pkg/a.py") == ("pkg.a", False)
    assert namer.name_for("pkg/__init__.py") == ("pkg", True)
    assert namer.name_for("pkg/sub/__init__.py") == ("pkg.sub", True)
    assert namer.name_for("pkg/sub/b.py") == ("pkg.sub.b", False)
    assert namer.name_for("top.py") == ("top", False)


def test_src_layout(tmp_path: Path) -> None:
    make(tmp_path, "src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/services/__init__.py")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("src/pkg/a.py") == ("pkg.a", False)
    assert namer.name_for("src/pkg/services/__init__.py") == ("pkg.services", True)


def test_directory_without_init_is_an_import_root(tmp_path: Path) -> None:
    make(tmp_path, "scripts/tool.py", "app/__init__.py", "app/loose/m.py")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("scripts/tool.py") == ("tool", False)
    # app/loose has no __init__.py: its files are top-level modules of that directory.
    assert namer.name_for("app/loose/m.py") == ("m", False)


def test_stub_only_package_and_stub_files(tmp_path: Path) -> None:
    make(tmp_path, "typed/__init__.pyi", "typed/mod.pyi", "pkg/__init__.py", "pkg/a.py")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("typed/mod.pyi") == ("typed.mod", False)
    assert namer.name_for("typed/__init__.pyi") == ("typed", True)
    assert namer.name_for("pkg/a.pyi") == ("pkg.a", False)  # same module as the .py


def test_dunder_main_keeps_its_name(tmp_path: Path) -> None:
    make(tmp_path, "pkg/__init__.py", "pkg/__main__.py")
    assert PythonModuleNamer(tmp_path).name_for("pkg/__main__.py") == ("pkg.__main__", False)


def test_non_python_files_and_root_init_have_no_name(tmp_path: Path) -> None:
    make(tmp_path, "__init__.py", "a.py", "README.md")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("README.md") is None
    assert namer.name_for("__init__.py") is None
    # The project root is always an import root, even with an __init__.py in it.
    assert namer.name_for("a.py") == ("a", False)


def test_invalid_segments_inside_the_module_name(tmp_path: Path) -> None:
    make(
        tmp_path,
        "my-pkg/__init__.py",
        "my-pkg/m.py",
        "pkg/__init__.py",
        "pkg/2fa/__init__.py",
        "pkg/2fa/x.py",
        "pkg/my-script.py",
        "pkg/class.py",
        "pkg/a.b.py",
    )
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("my-pkg/m.py") is None
    assert namer.name_for("my-pkg/__init__.py") is None
    assert namer.name_for("pkg/2fa/x.py") is None
    # A file name no import statement can spell is still a module whose imports count
    # (Django's migrations/0001_initial.py); grimp names them the same way.
    assert namer.name_for("pkg/my-script.py") == ("pkg.my-script", False)
    assert namer.name_for("pkg/class.py") == ("pkg.class", False)
    assert namer.name_for("pkg/a.b.py") is None  # a dot would make the name ambiguous


def test_invalid_segments_above_the_import_root_do_not_matter(tmp_path: Path) -> None:
    make(tmp_path, "my-scripts/x.py", "2fa/src/pkg/__init__.py", "2fa/src/pkg/y.py")
    namer = PythonModuleNamer(tmp_path)
    assert namer.name_for("my-scripts/x.py") == ("x", False)
    assert namer.name_for("2fa/src/pkg/y.py") == ("pkg.y", False)


def test_configured_roots_name_namespace_packages(tmp_path: Path) -> None:
    make(tmp_path, "backend/app/services/users.py", "backend/app/__init__.py", "tools/x.py")
    namer = PythonModuleNamer(tmp_path, ("backend",))
    assert namer.name_for("backend/app/services/users.py") == ("app.services.users", False)
    assert namer.name_for("backend/app/__init__.py") == ("app", True)
    assert namer.name_for("backend/top.py") == ("top", False)
    assert namer.name_for("backend/__init__.py") is None
    # Outside every configured root: the default rule.
    assert namer.name_for("tools/x.py") == ("x", False)


def test_glob_roots_and_deepest_root_wins(tmp_path: Path) -> None:
    make(
        tmp_path,
        "services/billing/src/billing/api.py",
        "services/users/src/users/models.py",
        "services/users/README.md",
        "services/users/scripts/run.py",
    )
    namer = PythonModuleNamer(tmp_path, ("services/*/src", "."))
    assert namer.roots == ("services/billing/src", "services/users/src", ".")
    assert namer.name_for("services/billing/src/billing/api.py") == ("billing.api", False)
    assert namer.name_for("services/users/src/users/models.py") == ("users.models", False)
    # Under "." only: named from the project root, __init__.py or not.
    assert namer.name_for("services/users/scripts/run.py") == (
        "services.users.scripts.run",
        False,
    )


def test_nested_roots_prefer_the_deeper_one(tmp_path: Path) -> None:
    make(tmp_path, "backend/src/app/x.py", "backend/tools/y.py")
    namer = PythonModuleNamer(tmp_path, ("backend", "backend/src"))
    assert namer.name_for("backend/src/app/x.py") == ("app.x", False)
    assert namer.name_for("backend/tools/y.py") == ("tools.y", False)


def test_invalid_segment_under_a_configured_root(tmp_path: Path) -> None:
    make(tmp_path, "my-backend/app/x.py", "my-backend/my-app/y.py")
    namer = PythonModuleNamer(tmp_path, ("my-backend",))
    assert namer.name_for("my-backend/app/x.py") == ("app.x", False)
    assert namer.name_for("my-backend/my-app/y.py") is None


def test_expand_roots(tmp_path: Path) -> None:
    make(tmp_path, "services/a/src/m.py", "services/b/src/m.py", "services/c/m.py", "lib/x.py")
    (tmp_path / "services" / "file.txt").write_text("")
    roots = ("./services/*/src/", "lib", "missing", ".", "services/*")
    assert expand_roots(tmp_path, roots) == [
        ".",
        "lib",
        "services/a",
        "services/a/src",
        "services/b",
        "services/b/src",
        "services/c",
    ]
    assert expand_roots(tmp_path, ()) == []


@pytest.mark.parametrize("bad", ["../outside", "/abs", "a/../b", "a//b"])
def test_expand_roots_rejects_paths_outside_the_project(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigError):
        expand_roots(tmp_path, (bad,))


def test_init_existence_is_checked_once_per_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "pkg/__init__.py", "pkg/a.py", "pkg/b.py", "pkg/sub/__init__.py", "pkg/sub/c.py")
    import archlint.frontends.python_modules as python_modules

    calls: list[str] = []
    real_isfile = python_modules.os.path.isfile

    def counting_isfile(path: str) -> bool:
        calls.append(path)
        return real_isfile(path)

    monkeypatch.setattr(python_modules.os.path, "isfile", counting_isfile)
    namer = PythonModuleNamer(tmp_path)
    for relpath in ("pkg/a.py", "pkg/b.py", "pkg/sub/c.py", "pkg/__init__.py"):
        assert namer.name_for(relpath) is not None
    assert len(calls) == 2  # pkg and pkg/sub, each found on the first marker
