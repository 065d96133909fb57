"""What ``archlint init`` reads of a project: its files, package.json manifests, and what
the Python files import and define. Files are only read (Python's ``ast``, ``json``), never
imported or run.

The walk is :func:`archlint.discover.discover`, so ``.gitignore``, virtual environments,
``node_modules``, build output and caches are skipped as ``archlint check`` skips them, and
so are the test files the presets leave out (tests import every layer: no evidence of one).
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from archlint.discover import discover

# Files that mark the folder of a Python project (a part of a monorepo, or the whole repo).
PYTHON_MARKERS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
    "Pipfile",
    "manage.py",
    "poetry.lock",
    "uv.lock",
)
# Decorators that register a route handler: @router.get(...), @bp.route(...), @app.post(...).
ROUTE_DECORATORS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "route",
        "api_route",
        "websocket",
        "trace",
    }
)
MAX_PYTHON_FILES = 20_000  # past this, the rest of a huge tree adds no new evidence
MAX_READ_BYTES = 1024 * 1024
JS_LANGUAGES = frozenset({"javascript", "typescript", "tsx"})


@dataclass(slots=True)
class PyFile:
    """What one Python file imports and defines, as far as ``init`` cares."""

    path: str
    imports: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (module, names)
    flags: set[str] = field(default_factory=set)
    installed_apps: list[str] = field(default_factory=list)  # INSTALLED_APPS entries
    settings_module: str | None = None  # manage.py's DJANGO_SETTINGS_MODULE


@dataclass(slots=True)
class Manifest:
    """One package.json."""

    folder: str  # "" for the root
    name: str | None
    deps: frozenset[str]  # dependencies and devDependencies
    workspaces: tuple[str, ...]
    peer: frozenset[str] = frozenset()  # peerDependencies: what a library is used with


@dataclass(slots=True)
class Inventory:
    root: Path
    files: dict[str, str]  # path -> language, every discovered source file
    folders: set[str]  # every folder holding a discovered file, and their ancestors ("")
    project_files: list[str]
    python: dict[str, PyFile]
    manifests: dict[str, Manifest]  # folder -> package.json
    notes: list[str] = field(default_factory=list)

    def exists(self, relpath: str) -> bool:
        return (self.root / relpath).exists() if relpath else True

    def under(self, folder: str, languages: frozenset[str] | None = None) -> list[str]:
        """The discovered files inside ``folder`` ("" for all), optionally of some languages."""
        prefix = folder + "/" if folder else ""
        return [
            p
            for p, lang in self.files.items()
            if p.startswith(prefix) and (languages is None or lang in languages)
        ]

    def read_text(self, relpath: str) -> str | None:
        try:
            with open(self.root / relpath, "rb") as handle:
                data = handle.read(MAX_READ_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_READ_BYTES:
            return None
        return data.decode("utf-8", errors="replace")


def parent(path: str) -> str:
    return path.rpartition("/")[0]


def scan(root: Path, exclude: tuple[str, ...]) -> Inventory:
    """Walk ``root`` once and read what detection needs."""
    found = discover(root, exclude=exclude)
    files = {f.path: f.language for f in found.files}
    folders: set[str] = {""}
    for path in (*files, *found.project_files):
        folder = parent(path)
        while folder not in folders:
            folders.add(folder)
            folder = parent(folder)
    inventory = Inventory(root, files, folders, list(found.project_files), {}, {})
    python = [p for p, lang in files.items() if lang == "python" and p.endswith(".py")]
    if len(python) > MAX_PYTHON_FILES:
        inventory.notes.append(f"read the first {MAX_PYTHON_FILES} of {len(python)} Python files")
    for path in python[:MAX_PYTHON_FILES]:
        text = inventory.read_text(path)
        inventory.python[path] = read_python(path, text or "")
    for path in found.project_files:
        if path.rpartition("/")[2] == "package.json":
            manifest = _read_manifest(inventory, path)
            if manifest is not None:
                inventory.manifests[manifest.folder] = manifest
    return inventory


def _read_manifest(inventory: Inventory, path: str) -> Manifest | None:
    text = inventory.read_text(path)
    try:
        data = json.loads(text or "")
    except ValueError:
        inventory.notes.append(f"{path}: not valid JSON, left out")
        return None
    if not isinstance(data, dict):
        return None
    deps: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        value = data.get(key)
        if isinstance(value, dict):
            deps.update(k for k in value if isinstance(k, str))
    peers = data.get("peerDependencies")
    peer = (
        frozenset(k for k in peers if isinstance(k, str))
        if isinstance(peers, dict)
        else frozenset()
    )
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):  # yarn's {"packages": [...]}
        workspaces = workspaces.get("packages")
    globs = (
        tuple(w for w in workspaces if isinstance(w, str)) if isinstance(workspaces, list) else ()
    )
    name = data.get("name") if isinstance(data.get("name"), str) else None
    return Manifest(parent(path), name, frozenset(deps), globs, peer)


def pnpm_workspaces(inventory: Inventory, folder: str) -> tuple[str, ...] | None:
    """The package globs of ``folder``'s pnpm-workspace.yaml, or None without one."""
    path = f"{folder}/pnpm-workspace.yaml" if folder else "pnpm-workspace.yaml"
    if path not in inventory.project_files:
        return None
    import yaml

    try:
        data = yaml.safe_load(inventory.read_text(path) or "")
    except yaml.YAMLError:
        return ()
    packages = data.get("packages") if isinstance(data, dict) else None
    return tuple(p for p in packages if isinstance(p, str)) if isinstance(packages, list) else ()


# --- Python ------------------------------------------------------------------------------


def read_python(path: str, text: str) -> PyFile:
    """Imports and framework markers of one Python file; a file that does not parse is empty."""
    result = PyFile(path)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError):
        return result
    assigned: dict[str, ast.expr] = {}
    routes = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            result.imports.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            result.imports.append((node.module, tuple(a.name for a in node.names)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            routes += sum(1 for d in node.decorator_list if _is_route_decorator(d))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = node.value
        elif isinstance(node, ast.Call):
            _settings_call(node, result)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in (("fastapi", "APIRouter"), ("flask", "Blueprint"))
        ):
            result.flags.add("router" if node.attr == "APIRouter" else "blueprint")
    for module, names in result.imports:
        top = module.partition(".")[0]
        if top in ("fastapi", "flask", "django", "alembic"):
            result.flags.add(top)
        if module == "fastapi":
            result.flags.update(
                {"APIRouter": "router", "FastAPI": "fastapi-app"}.get(n, "") for n in names
            )
        elif module == "flask":
            result.flags.update(
                {"Blueprint": "blueprint", "Flask": "flask-app"}.get(n, "") for n in names
            )
        elif module == "alembic" and "context" in names:
            result.flags.add("alembic-env")
        elif module == "django.db" and "migrations" in names:
            result.flags.add("django-migration")
    result.flags.discard("")
    if routes:
        result.flags.add("route-handlers")
    if "INSTALLED_APPS" in assigned:
        result.installed_apps = _strings(assigned["INSTALLED_APPS"], assigned)
    return result


def _is_route_decorator(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ROUTE_DECORATORS
        and isinstance(node.func.value, (ast.Name, ast.Attribute))
    )


def _settings_call(node: ast.Call, result: PyFile) -> None:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")`` in manage.py."""
    args = node.args
    if (
        len(args) == 2
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args)
        and args[0].value == "DJANGO_SETTINGS_MODULE"  # type: ignore[attr-defined]
    ):
        result.settings_module = args[1].value  # type: ignore[attr-defined]


def _strings(value: ast.expr, assigned: dict[str, ast.expr], depth: int = 0) -> list[str]:
    """The string entries of a list/tuple expression, following names assigned in the same
    module (``INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS``)."""
    if depth > 5:
        return []
    if isinstance(value, (ast.List, ast.Tuple)):
        out: list[str] = []
        for element in value.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                out.append(element.value)
            elif isinstance(element, ast.Starred):
                out.extend(_strings(element.value, assigned, depth + 1))
        return out
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _strings(value.left, assigned, depth + 1) + _strings(
            value.right, assigned, depth + 1
        )
    if isinstance(value, ast.Name) and value.id in assigned:
        return _strings(assigned[value.id], assigned, depth + 1)
    return []


def has_marker(inventory: Inventory, folder: str) -> str | None:
    """The first Python project marker file in ``folder``, or None."""
    for name in PYTHON_MARKERS:
        if os.path.isfile(os.path.join(inventory.root, folder, name)):
            return name
    return None
