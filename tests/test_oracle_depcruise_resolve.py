"""archlint's JS/TS resolver against dependency-cruiser 17.4.3 (tests/oracle/node_modules).

For every (module, specifier) pair that depcruise reports, :class:`JsResolver` must give
the same answer: depcruise's ``resolved`` path for internal files, its core modules as
builtin, npm packages (resolved into node_modules, or not installed) as external with the
package name. Two trees: dependency-cruiser's own source (package.json "imports" with
``#*``, ``node:`` built-ins, npm packages) and fixtures/ts_app (tsconfig extends from a
package and a file, paths with wildcards and two targets, baseUrl, index files,
re-exports, type-only imports, .js -> .ts, workspaces with "exports", subpath imports,
a nearest tsconfig in a workspace package).

Deliberate differences, each asserted to happen exactly where listed (DELIBERATE):

1. Outside the root. depcruise follows an alias (or ``../``) out of the project and
   reports ``../js_outside/thing.ts``; archlint never reads outside the root and says
   "unresolved", with a reason that says so.
2. Workspace packages that point at unbuilt output. depcruise finds ``@acme/utils``
   through node_modules and its package.json "main": "dist/index.js", which does not
   exist before a build, so it cannot resolve it; archlint maps the build path to the
   package's source (packages/utils/src/index.ts).

Not visible in these trees, and tested in test_js_resolve.py instead: TS sources win
over JS when both exist (depcruise probes .js first); "source"/"types" conditions fall
through to the next condition when their file is missing (enhanced-resolve stops at the
first matching condition); ``/x`` is taken from the project root.

Run without Node or depcruise, these tests skip, unless ARCHLINT_REQUIRE_ORACLES=1 (CI),
when they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from archlint.graph.js_resolve import JsResolver, JsTarget

REPO = Path(__file__).resolve().parent.parent
ORACLE_MODULES = REPO / "tests" / "oracle" / "node_modules"
DEPCRUISE = ORACLE_MODULES / ".bin" / "depcruise"
FIXTURES = REPO / "fixtures"
SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")

# Options that make depcruise answer the question archlint answers: every import, type-only
# ones too; package "exports" heeded (depcruise ignores them by default) with archlint's
# conditions and entry fields; nothing inside node_modules followed.
DEPCRUISE_CONFIG = """\
module.exports = {
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "types", "import", "module", "require", "node", "default"],
      mainFields: ["source", "module", "main", "types", "typings"],
    },
  },
};
"""

# (tree, importer, specifier) -> what archlint answers where depcruise differs, by design.
DELIBERATE: dict[tuple[str, str, str], tuple[str, str]] = {
    ("ts_app", "src/index.ts", "@outside/thing"): ("unresolved", "outside the project root"),
    ("ts_app", "src/index.ts", "@acme/utils"): ("internal", "packages/utils/src/index.ts"),
    ("ts_app", "packages/ui/src/icon-button.tsx", "@acme/utils"): (
        "internal",
        "packages/utils/src/index.ts",
    ),
}

Pair = tuple[str, str, dict[str, Any]]  # importer, raw specifier, depcruise's dependency


def require_depcruise() -> None:
    if DEPCRUISE.exists() and shutil.which("node"):
        return
    message = (
        f"dependency-cruiser is not installed at {DEPCRUISE} (or node is missing): "
        "run `npm ci` in tests/oracle"
    )
    if os.environ.get("ARCHLINT_REQUIRE_ORACLES") == "1":
        pytest.fail(message + " (ARCHLINT_REQUIRE_ORACLES=1)")
    pytest.skip(message)


def depcruise(cwd: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [str(DEPCRUISE), *args, "--output-type", "json"],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def pairs(output: dict[str, Any], under: str = "") -> list[Pair]:
    """Every (importer, specifier as written, dependency) depcruise reports for files
    (not node_modules) whose path starts with ``under``."""
    found: list[Pair] = []
    for module in output["modules"]:
        source = module["source"]
        if source.startswith("node_modules/") or not source.startswith(under):
            continue
        for dep in module["dependencies"]:
            # depcruise strips "node:" into a "protocol" field; put it back.
            raw = dep.get("protocol", "") + dep["module"] if dep.get("protocol") == "node:" else dep["module"]
            found.append((source, raw, dep))
    return found


def npm_name(text: str) -> str:
    match = re.match(r"@[^/]+/[^/]+|[^/]+", text)
    assert match is not None, text
    return match.group(0)


def expected(dep: dict[str, Any]) -> tuple[str, str]:
    """depcruise's answer, in archlint's terms."""
    module, resolved = dep["module"], dep["resolved"]
    if dep["coreModule"]:
        return "builtin", module
    if dep["couldNotResolve"]:
        if module.startswith((".", "/")):
            return "unresolved", ""
        return "external", npm_name(module)  # a package that is not installed
    if "node_modules/" in resolved:
        name = npm_name(resolved.rsplit("node_modules/", 1)[1])
        return "external", name.removeprefix("@types/")
    return "internal", resolved


def source_files(root: Path) -> list[str]:
    files = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "node_modules"]
        for name in names:
            if name.endswith(SOURCE_SUFFIXES):
                files.append((Path(directory) / name).relative_to(root).as_posix())
    return sorted(files)


def compare(tree: str, root: Path, found: list[Pair]) -> set[tuple[str, str, str]]:
    """Assert agreement on every pair; return the deliberate differences that occurred."""
    resolver = JsResolver(root, source_files(root))
    mismatches: list[str] = []
    differences: set[tuple[str, str, str]] = set()
    for importer, raw, dep in found:
        got: JsTarget = resolver.resolve(importer, raw)
        want = expected(dep)
        key = (tree, importer, raw)
        if key in DELIBERATE:
            differences.add(key)
            kind, text = DELIBERATE[key]
            assert got.kind == kind and text in got.target, (key, got, want)
            assert (got.kind, got.target) != want  # still a difference: else drop it from the list
            continue
        if want[0] == "unresolved":
            ok = got.kind == "unresolved"
        else:
            ok = (got.kind, got.target) == want
        if not ok:
            mismatches.append(f"{importer}: {raw!r} -> {got.kind} {got.target!r}; depcruise {want}")
    assert not mismatches, "\n".join(mismatches)
    return differences


@pytest.fixture(scope="module")
def depcruise_own_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Pair]]:
    """dependency-cruiser's src/ and package.json as a project, its node_modules beside."""
    require_depcruise()
    root = tmp_path_factory.mktemp("depcruise_src")
    package = ORACLE_MODULES / "dependency-cruiser"
    shutil.copytree(package / "src", root / "src")
    shutil.copy(package / "package.json", root / "package.json")
    (root / "node_modules").symlink_to(ORACLE_MODULES, target_is_directory=True)
    output = depcruise(
        root, "src", "--no-config", "--preserve-symlinks", "--ts-pre-compilation-deps",
        "--do-not-follow", "node_modules",
    )  # fmt: skip
    return root, pairs(output)


@pytest.fixture(scope="module")
def ts_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Pair]]:
    """fixtures/ts_app (with its sibling js_outside), workspace links made as npm would."""
    require_depcruise()
    base = tmp_path_factory.mktemp("ts_app")
    shutil.copytree(FIXTURES / "ts_app", base / "ts_app", symlinks=True)
    shutil.copytree(FIXTURES / "js_outside", base / "js_outside")
    root = base / "ts_app"
    scope = root / "node_modules" / "@acme"
    scope.mkdir(parents=True)
    for name in ("ui", "utils"):
        (scope / name).symlink_to(Path("..", "..", "packages", name), target_is_directory=True)
    config = base / "depcruise.cjs"
    config.write_text(DEPCRUISE_CONFIG)
    whole = depcruise(root, "src", "packages", "--config", str(config), "--ts-config", "tsconfig.json")
    # depcruise takes one tsconfig per run; files under packages/ui use their nearest one.
    ui = depcruise(
        root, "packages/ui", "--config", str(config), "--ts-config", "packages/ui/tsconfig.json"
    )
    found = [p for p in pairs(whole) if not p[0].startswith("packages/ui/")]
    return root, found + pairs(ui, "packages/ui/")


def test_depcruise_own_source(depcruise_own_tree: tuple[Path, list[Pair]]) -> None:
    root, found = depcruise_own_tree
    assert len(found) > 400, len(found)
    kinds = {expected(dep)[0] for _, _, dep in found}
    assert kinds == {"internal", "builtin", "external"}
    assert any(raw.startswith("#") for _, raw, _ in found)  # package.json "imports"
    assert any(raw.startswith("node:") for _, raw, _ in found)
    assert compare("depcruise", root, found) == set()


def test_ts_app(ts_app: tuple[Path, list[Pair]]) -> None:
    root, found = ts_app
    differences = compare("ts_app", root, found)
    assert differences == {key for key in DELIBERATE if key[0] == "ts_app"}
    specifiers = {raw for _, raw, _ in found}
    # The fixture keeps exercising what it was made for.
    for needed in ("@/components/Button", "@shared/legacy", "@components", "src/models/user",
                   "./util.js", "./esm-helper.mjs", "./widgets/Panel.jsx", "#config",
                   "#utils/slug.js", "@acme/ui", "@acme/ui/icon-button", "~ui/icon-button",
                   "./missing", "./styles.css", "node:fs", "react", "lodash/fp", "../components"):
        assert needed in specifiers, needed  # fmt: skip
    type_only = [dep for _, _, dep in found if "type-only" in dep["dependencyTypes"]]
    assert type_only, "type-only imports are part of the comparison"


def test_ts_app_nearest_tsconfig_matters(ts_app: tuple[Path, list[Pair]]) -> None:
    """The ~ui alias exists only in packages/ui/tsconfig.json: the root config cannot see it."""
    root, _ = ts_app
    resolver = JsResolver(root, source_files(root))
    assert resolver.resolve("packages/ui/src/index.ts", "~ui/icon-button") == JsTarget(
        "internal", "packages/ui/src/icon-button.tsx"
    )
    assert resolver.resolve("src/index.ts", "~ui/icon-button") == JsTarget("external", "~ui")
