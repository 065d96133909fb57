"""The wheel, built for real with hatchling from a copy of the repository: it ships the
presets as archlint/presets and the reference app as archlint/templates/reference (what
`extends` and `init --template reference` read), and nothing a working tree accumulates
(a cache, bytecode), even when the copy has them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_presets_and_the_reference_app_and_no_cache(tmp_path: Path) -> None:
    builders = pytest.importorskip("hatchling.builders.wheel")
    if not (REPO / "pyproject.toml").is_file():  # pragma: no cover - an installed tree
        pytest.skip("no pyproject.toml next to the tests")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", ".gitignore", "hatch_build.py"):
        shutil.copy2(REPO / name, source / name)
    ignore = shutil.ignore_patterns(".archlint_cache", "__pycache__", "node_modules", "*.pem")
    for folder in ("archlint", "rules", "reference_app"):
        shutil.copytree(REPO / folder, source / folder, ignore=ignore)
    # What a working tree has after `archlint check reference_app` and a test run.
    planted = [source / "reference_app/.archlint_cache/facts-0.bin",
               source / "reference_app/backend/blog/__pycache__/app.cpython-311.pyc"]  # fmt: skip
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"stale")
    built = list(builders.WheelBuilder(str(source)).build(directory=str(tmp_path / "dist"), versions=["standard"]))
    names = set(zipfile.ZipFile(built[0]).namelist())
    presets = {n for n in names if n.startswith("archlint/presets/")}
    assert {f"archlint/presets/{p.name}" for p in (REPO / "rules").glob("*.toml")} <= presets
    template = {n.removeprefix("archlint/templates/reference/") for n in names
                if n.startswith("archlint/templates/reference/")}  # fmt: skip
    assert {"archlint.toml", ".gitignore", "backend/blog/app.py"} <= template
    assert not [n for n in names if ".archlint_cache" in n or "__pycache__" in n]
    assert not [n for n in names if n.startswith(("reference_app/", "rules/"))]  # moved, not copied
