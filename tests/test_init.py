"""`archlint init`: detection on differently shaped projects, the config it writes (which
must load and check), the pyproject.toml merge, --force / --dry-run, and --template."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archlint.cli import main
from archlint.config.document import tomllib
from archlint.config.load import find_config, load_config
from archlint.init import plan_for

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "init"
REFERENCE_APP = REPO / "reference_app"

# fixture -> what init must find: the presets, python.roots, the selectors it adds to each
# component (in order), the contracts it writes, where it writes, and `archlint check`'s
# exit code on the result.
EXPECTED = {
    "django_shop": {
        "parts": [("", "backend", "Django")],
        "extends": ["django"],
        "roots": [],
        "components": {},
        "contracts": [],
        "target": "pyproject.toml",
        "exit": 1,
    },
    "flask_blueprints": {
        "parts": [("", "backend", "Flask")],
        "extends": ["backend"],
        "roots": [],
        "components": {"routes": ["blog/**/views.py"], "migrations": ["db/sql/*.sql"]},
        "contracts": [],
        "target": "archlint.toml",
        "exit": 0,
    },
    "fastapi_layered": {
        "parts": [("", "backend", "FastAPI")],
        "extends": ["fastapi"],
        "roots": [],
        "components": {
            "routes": ["src/blogapi/api/*.py"],
            "migrations": ["db/versions/**", "db/env.py"],
        },
        "contracts": [],
        "target": "pyproject.toml",
        "exit": 1,
    },
    "nextjs_app": {
        "parts": [("", "frontend", "Next.js")],
        "extends": ["frontend"],
        "roots": [],
        "components": {"frontend": ["app/**/*.[jt]s", "lib/**/*.[jt]s"], "lib": ["lib/**"]},
        "contracts": [],
        "target": "archlint.toml",
        "exit": 0,
    },
    "monorepo": {
        "parts": [("backend", "backend", "FastAPI"), ("frontend", "frontend", "React")],
        "extends": ["fullstack", "fastapi"],
        "roots": ["backend"],
        "components": {},
        "contracts": [],
        "target": "archlint.toml",
        "exit": 1,
    },
    "express_api": {
        "parts": [("", "backend", "Express")],
        "extends": ["backend"],
        "roots": [],
        "components": {
            "routes": ["src/routes/**"],
            "services": ["src/services/**"],
            "repositories": ["src/repositories/**"],
            "middleware": ["src/middleware/**"],
        },
        "contracts": [],
        "target": "archlint.toml",
        "exit": 1,
    },
    "turborepo": {
        "parts": [
            ("apps/admin", "frontend", "React"),
            ("apps/api", "backend", "Express"),
            ("apps/web", "frontend", "Next.js"),
            ("packages/ui", "library", "React"),
        ],
        "extends": ["fullstack"],
        "roots": [],
        "components": {
            "frontend": ["apps/admin/src/**/*.[jt]s"],
            "stores": ["apps/admin/src/store/**"],
            "lib": ["apps/admin/src/lib/**"],
        },
        "contracts": ["apps/* do not import each other"],
        "target": "archlint.toml",
        "exit": 0,
    },
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def findings(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, set[tuple[str, str]]]:
    """`archlint check`'s exit code and (code, path) of its findings."""
    code, out, _ = run(["check", str(root), "--no-cache", "--format", "json"], capsys)
    document = json.loads(out)
    items = document["findings"] if isinstance(document, dict) else document
    return code, {(f["code"], f["path"]) for f in items}


def archlint_table(path: Path) -> dict:
    data = tomllib.loads(path.read_text())
    return data["tool"]["archlint"] if path.name == "pyproject.toml" else data


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detects_and_writes_a_config_that_checks(name: str, tmp_path, capsys) -> None:
    expected = EXPECTED[name]
    root = copy(name, tmp_path)
    detection, plan = plan_for(root)
    assert [(p.path, p.role, p.framework) for p in detection.parts] == expected["parts"]
    assert plan.extends == expected["extends"]
    assert plan.python_roots == expected["roots"]
    assert {c.name: c.added for c in plan.components} == expected["components"]
    assert [c.name for c in plan.contracts] == expected["contracts"]

    code, out, err = run(["init", str(root)], capsys)
    assert code == 0, err
    assert out == ""
    assert f"-> extends = {expected['extends']}" in err
    target = root / expected["target"]
    assert find_config(root) == target.resolve()
    table = archlint_table(target)
    assert table["extends"] == expected["extends"]
    assert table.get("python", {}).get("roots", []) == expected["roots"]
    written = table.get("components", {})
    assert set(written) == set(expected["components"])
    for component, added in expected["components"].items():
        assert written[component][-len(added) :] == added  # the preset's selectors, then these
    assert [c["name"] for c in table.get("contracts", [])] == expected["contracts"]

    config = load_config(target)
    assert config.python_roots == tuple(expected["roots"])
    for component, added in expected["components"].items():
        assert [s.text for s in config.components[component].selectors][-len(added) :] == added
    code, _ = findings(root, capsys)
    assert code == expected["exit"]


def test_init_itself_writes_nothing_but_the_config(tmp_path, capsys) -> None:
    root = copy("express_api", tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert run(["init", str(root)], capsys)[0] == 0
    after = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert set(after) - set(before) == {Path("archlint.toml")}


@pytest.mark.parametrize(
    ("name", "new", "kept"),
    [
        # a route module outside the fastapi preset's folders that queries the database (new),
        # and a service that raises an HTTPException (found with any preset)
        (
            "fastapi_layered",
            {("AL203", "src/blogapi/api/users.py")},
            {("AL202", "src/blogapi/services/posts.py")},
        ),
        # an Express service (src/services/ at the root: no preset claims it) using express
        ("express_api", {("AL202", "src/services/orders.ts")}, set()),
        # a service importing a route, visible only once python.roots names `app`
        ("monorepo", {("AL101", "backend/app/services/notes.py")}, set()),
    ],
)
def test_planted_violations_are_found_after_init(name, new, kept, tmp_path, capsys) -> None:
    root = copy(name, tmp_path)
    assert find_config(root) is None
    _, before = findings(root, capsys)  # the default preset, without init's config
    assert not new & before
    assert kept <= before
    assert run(["init", str(root)], capsys)[0] == 0
    code, after = findings(root, capsys)
    assert code == 1
    assert new | kept <= after


def test_pyproject_merge_keeps_every_other_byte(tmp_path, capsys) -> None:
    root = copy("fastapi_layered", tmp_path)
    original = (root / "pyproject.toml").read_text()
    assert "# pytest finds the tests under tests/" in original
    assert run(["init", str(root)], capsys)[0] == 0
    merged = (root / "pyproject.toml").read_text()
    assert merged.startswith(original)
    assert merged[len(original) :].startswith("\n[tool.archlint]\n")
    assert not (root / "archlint.toml").exists()
    data = tomllib.loads(merged)
    assert data["project"] == tomllib.loads(original)["project"]
    assert data["tool"]["ruff"] == {"line-length": 100, "lint": {"select": ["E", "F", "I"]}}


def test_force_replaces_an_old_table_and_keeps_the_rest(tmp_path, capsys) -> None:
    root = copy("django_shop", tmp_path)
    head = (root / "pyproject.toml").read_text()
    old = (
        '[tool.archlint]\n# hand-written\nextends = ["backend"]\n\n'
        '[tool.archlint.components]\nservices = ["shop.services"]\n\n'
        '[[tool.archlint.contracts]]\nname = "old"\ntype = "acyclic"\npackages = ["shop"]\n\n'
    )
    tail = "# black, kept for the old editors\n[tool.black]\nline-length = 99  # as ruff\n"
    (root / "pyproject.toml").write_text(head + "\n" + old + tail)
    code, _, err = run(["init", str(root)], capsys)
    assert code == 2
    assert "already configures archlint" in err and "--force" in err
    assert (root / "pyproject.toml").read_text() == head + "\n" + old + tail

    assert run(["init", "--force", str(root)], capsys)[0] == 0
    merged = (root / "pyproject.toml").read_text()
    assert merged.startswith(head + "\n" + tail + "\n[tool.archlint]\n")
    table = tomllib.loads(merged)["tool"]["archlint"]
    assert table["extends"] == ["django"] and "contracts" not in table
    assert tomllib.loads(merged)["tool"]["black"] == {"line-length": 99}


def test_dry_run_prints_what_init_writes(tmp_path, capsys) -> None:
    root = copy("nextjs_app", tmp_path)
    code, out, err = run(["init", "--dry-run", str(root)], capsys)
    assert code == 0
    assert not (root / "archlint.toml").exists()
    assert "--dry-run, nothing written" in err
    assert tomllib.loads(out)["extends"] == ["frontend"]
    assert run(["init", str(root)], capsys)[0] == 0
    assert (root / "archlint.toml").read_text() == out
    # with a config in place, --dry-run still prints (and writes nothing)
    code, again, _ = run(["init", "--dry-run", str(root)], capsys)
    assert (code, again) == (0, out)


def test_running_init_twice(tmp_path, capsys) -> None:
    root = copy("flask_blueprints", tmp_path)
    assert run(["init", str(root)], capsys)[0] == 0
    first = (root / "archlint.toml").read_text()
    (root / "archlint.toml").write_text(first + "# my edit\n")
    code, _, err = run(["init", str(root)], capsys)
    assert code == 2 and "archlint.toml already configures archlint" in err
    assert (root / "archlint.toml").read_text() == first + "# my edit\n"
    code, _, err = run(["init", "--force", str(root)], capsys)
    assert code == 0 and "replaced archlint.toml" in err
    assert (root / "archlint.toml").read_text() == first  # the same project, the same config


def test_report_says_what_was_found_and_why(tmp_path, capsys) -> None:
    root = copy("monorepo", tmp_path)
    code, _, err = run(["init", "--dry-run", str(root)], capsys)
    assert code == 0
    assert "backend: FastAPI in backend (APIRouter in backend/app/routes/notes.py)" in err
    frontend = "frontend: React in frontend (react in frontend/package.json; features/ in"
    assert f"{frontend} frontend/src/features)" in err
    assert "monorepo: workspaces in package.json: frontend" in err
    assert (
        "python.roots needed: backend: backend/app/main.py imports app.routes, but"
        " backend/app/ has no __init__.py (a namespace package)"
    ) in err
    assert "migrations: Alembic in backend/alembic/ (backend/alembic.ini)" in err


def test_django_apps_independence_only_when_it_holds(tmp_path, capsys) -> None:
    root = copy("django_shop", tmp_path)
    _, plan = plan_for(root)
    assert plan.contracts == []
    assert any("'Django apps are independent'" in n and "orders/models.py" in n for n in plan.notes)
    # the same shop with orders referring to the product by name only: now they are independent
    models = root / "orders" / "models.py"
    models.write_text(
        models.read_text()
        .replace("from catalog.models import Product\n", "")
        .replace("models.ForeignKey(Product,", 'models.ForeignKey("catalog.Product",')
    )
    _, plan = plan_for(root)
    assert [(c.name, c.fields) for c in plan.contracts] == [
        ("Django apps are independent", {"components": ["catalog/**", "orders/**"]})
    ]
    assert run(["init", str(root)], capsys)[0] == 0
    assert findings(root, capsys)[0] in (0, 1)


def test_files_are_read_never_run(tmp_path, capsys) -> None:
    root = copy("fastapi_layered", tmp_path)
    marker = tmp_path / "ran"
    (root / "src" / "blogapi" / "api" / "admin.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nfrom fastapi import APIRouter\n"
        "router = APIRouter()\n\n\n@router.get('/')\ndef index():\n    return {}\n"
    )
    (root / "setup.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    assert run(["init", "--dry-run", str(root)], capsys)[0] == 0
    assert not marker.exists()


def test_skips_node_modules_and_virtualenvs(tmp_path, capsys) -> None:
    root = copy("express_api", tmp_path)
    vendored = root / "node_modules" / "next"
    vendored.mkdir(parents=True)
    (vendored / "package.json").write_text('{"name": "next", "dependencies": {"react": "*"}}')
    (vendored / "page.tsx").write_text("export default function P() { return <p/>; }\n")
    venv = root / ".venv" / "lib" / "fastapi"
    venv.mkdir(parents=True)
    (venv / "routing.py").write_text("from fastapi import APIRouter\n")
    detection, plan = plan_for(root)
    assert [(p.path, p.role) for p in detection.parts] == [("", "backend")]
    assert plan.extends == ["backend"]


def test_empty_folder_gets_the_default_preset(tmp_path, capsys) -> None:
    code, _, err = run(["init", str(tmp_path)], capsys)
    assert code == 0 and "no backend or frontend recognised" in err
    assert tomllib.loads((tmp_path / "archlint.toml").read_text()) == {"extends": ["fullstack"]}
    load_config(tmp_path / "archlint.toml")


def test_bad_paths_exit_2(tmp_path, capsys) -> None:
    code, _, err = run(["init", str(tmp_path / "missing")], capsys)
    assert code == 2 and "does not exist" in err
    (tmp_path / "file.txt").write_text("x")
    code, _, err = run(["init", str(tmp_path / "file.txt")], capsys)
    assert code == 2 and "not a directory" in err


def test_broken_pyproject_is_an_error_not_a_rewrite(tmp_path, capsys) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    code, _, err = run(["init", str(tmp_path)], capsys)
    assert code == 2 and "pyproject.toml" in err
    assert (tmp_path / "pyproject.toml").read_text() == "[project\nname = 'x'\n"


# --- --template reference ----------------------------------------------------------------

needs_reference_app = pytest.mark.skipif(
    not (REFERENCE_APP / "archlint.toml").is_file(),
    reason="reference_app/ (the bundled reference app) is not in this checkout yet",
)


@needs_reference_app
def test_template_reference_copies_the_app(tmp_path, capsys) -> None:
    target = tmp_path / "blog"
    code, _, err = run(["init", "--template", "reference", str(target)], capsys)
    assert code == 0, err
    assert (target / "archlint.toml").is_file()
    copied = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    skipped = (".archlint_cache", "node_modules", "__pycache__", ".pytest_cache", ".venv")
    assert not [p for p in copied if any(part in skipped for part in p.split("/"))]
    assert not [p for p in copied if p.endswith((".pem", ".pyc", ".db"))]
    assert {"backend/pyproject.toml", "frontend/package.json"} <= copied
    assert findings(target, capsys)[0] == 0


@needs_reference_app
def test_template_refuses_a_non_empty_folder(tmp_path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run(["init", "--template", "reference", str(tmp_path)], capsys)
    assert code == 2 and "not empty" in err and "--force" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert run(["init", "--template", "reference", "--force", str(tmp_path)], capsys)[0] == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "archlint.toml").is_file()


def test_an_addition_that_would_stop_check_is_dropped(tmp_path) -> None:
    """A module in two layers makes `archlint check` exit 2: init never writes that."""
    from archlint.init.plan import ComponentPlan, Plan
    from archlint.init.verify import verify
    from archlint.init.write import render

    (tmp_path / "app" / "services").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "services" / "__init__.py").write_text("")
    (tmp_path / "app" / "services" / "users.py").write_text("import os\n")
    plan = Plan(["backend"], ["why"], [], [])
    plan.components = [
        ComponentPlan("routes", [], ["app/services/*.py"], ["a wrong guess"], "backend")
    ]
    verify(plan, tmp_path, render)
    assert plan.components == []
    assert any("not changing the component 'routes'" in note for note in plan.notes)


# --- init on the reference app and on its violating twin ------------------------------------

# What the twin plants that a config written by init cannot see, and why.
NOT_FROM_INIT = {
    "independence": "the twin's own contract between its feature folders",
    "import-cycle": "the twin's own acyclic contract",
    "unmatched-ignore": "an ignore entry of the twin's own contract",
    "unversioned-api-route": "off by default; the twin's config turns it on",
    "singular-resource-name": "off by default; the twin's config turns it on",
    "missing-soft-delete": "off by default; the twin's config turns it on",
    "no-migration-tool": "planted in a nested project with its own config",
    "forbidden-import": "one needs python.roots for a module named only in importlib.import_module "
    "(init reads static imports); the other is a TypeScript file planted in the repositories of "
    "a FastAPI backend, which the fastapi preset's Python-only repositories do not claim",
}


def _copy_without_config(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        ".archlint_cache", "__pycache__", "tests", "conftest.py"))  # fmt: skip
    (target / "archlint.toml").unlink()
    for nested in target.rglob("archlint.toml"):  # the twin's nested project keeps its own
        assert nested.parent != target
    return target


@needs_reference_app
def test_init_on_the_reference_app_writes_a_config_it_passes(tmp_path, capsys) -> None:
    app = _copy_without_config(REFERENCE_APP, tmp_path / "app")
    assert run(["init", str(app)], capsys)[0] == 0
    load_config(app / "archlint.toml")
    code, out, _ = run(["check", str(app), "--no-cache"], capsys)
    assert (code, out.startswith("All checks passed")) == (0, True), out


@needs_reference_app
def test_init_on_the_twin_finds_its_planted_violations(tmp_path, capsys) -> None:
    from archlint.rules import all_rules
    from tests.test_reference_twin import TWIN, markers

    twin = _copy_without_config(TWIN, tmp_path / "twin")
    assert run(["init", str(twin)], capsys)[0] == 0
    load_config(twin / "archlint.toml")
    code, out, _ = run(["check", str(twin), "--no-cache", "--format", "json"], capsys)
    assert code == 1
    found = {f["code"] for f in json.loads(out)["findings"]}
    codes = {rule.name: rule.code for rule in all_rules()}
    planted = {rule for (rule, _, _, _) in markers(TWIN)[TWIN]}
    expected = {codes[rule] for rule in planted if rule not in NOT_FROM_INIT}
    assert expected <= found, f"planted but not found after init: {sorted(expected - found)}"
    assert len(expected) >= 20
