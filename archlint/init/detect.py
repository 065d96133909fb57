"""Detecting a project's languages, parts and frameworks from its files (``archlint init``).

A project is one or more *parts*: a Python backend (Django, FastAPI, Flask or none), a JS/TS
backend (Express, NestJS...), a frontend (Next.js, React, Vue...) or a library. Python parts
are the folders holding a project marker (``pyproject.toml``, ``manage.py``...); JS/TS parts
are the folders of package.json files. Each detection keeps its evidence (the file that
shows it), which ``init`` prints and writes into the config's comments.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass, field

from archlint.init.pyroots import Roots, find_roots
from archlint.init.scan import JS_LANGUAGES, Inventory, has_marker, parent, pnpm_workspaces
from archlint.rules.schema_scope import is_migration_path

FRONTEND_DEPS = (  # first match names the framework
    ("next", "Next.js"),
    ("nuxt", "Nuxt"),
    ("@remix-run/react", "Remix"),
    ("@sveltejs/kit", "SvelteKit"),
    ("@angular/core", "Angular"),
    ("react", "React"),
    ("vue", "Vue"),
    ("svelte", "Svelte"),
    ("solid-js", "Solid"),
    ("preact", "Preact"),
)
BACKEND_DEPS = (
    ("@nestjs/core", "NestJS"),
    ("express", "Express"),
    ("fastify", "Fastify"),
    ("koa", "Koa"),
    ("hono", "Hono"),
    ("@hapi/hapi", "hapi"),
    ("@adonisjs/core", "AdonisJS"),
    ("restify", "restify"),
    ("elysia", "Elysia"),
)
OTHER_PYTHON_WEB = (
    "litestar",
    "starlette",
    "sanic",
    "aiohttp",
    "tornado",
    "falcon",
    "bottle",
    "pyramid",
    "quart",
)
PYTHON_LAYER_FOLDERS = frozenset({"routes", "routers", "controllers", "services", "repositories"})
CONFIG_FILE_MARKS = (".config.", "config.")


@dataclass(slots=True)
class Part:
    path: str  # folder, "" for the root
    stack: str  # "python" | "js"
    role: str  # "backend" | "frontend" | "library"
    framework: str | None
    evidence: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.path or "."


@dataclass(slots=True)
class DjangoApp:
    label: str
    folder: str
    module: str


@dataclass(slots=True)
class Migrations:
    kind: str  # "Alembic" | "Django" | "SQL" | "JS"
    folders: list[str]
    files: list[str]
    evidence: str


@dataclass(slots=True)
class Detection:
    inventory: Inventory
    languages: dict[str, int]
    parts: list[Part]
    python: Roots
    monorepo: list[str]
    django_apps: list[DjangoApp]
    route_files: dict[str, str]  # path -> why it is a route module
    migrations: list[Migrations]
    notes: list[str] = field(default_factory=list)

    def parts_of(self, role: str) -> list[Part]:
        return [p for p in self.parts if p.role == role]


def detect(inventory: Inventory) -> Detection:
    counts: dict[str, int] = {}
    for language in inventory.files.values():
        name = {"tsx": "typescript"}.get(language, language)
        counts[name] = counts.get(name, 0) + 1
    python = find_roots(inventory.root, inventory.python, _python_folders(inventory))
    parts = _python_parts(inventory) + _js_parts(inventory)
    parts.sort(key=lambda p: (p.path, p.stack))
    detection = Detection(
        inventory,
        counts,
        parts,
        python,
        _monorepo(inventory, parts),
        [],
        _route_files(inventory),
        _migrations(inventory),
        list(inventory.notes),
    )
    detection.django_apps = _django_apps(inventory, python)
    return detection


def _python_folders(inventory: Inventory) -> set[str]:
    folders: set[str] = set()
    for path in inventory.python:
        folder = parent(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = parent(folder)
    return folders


def common_folder(paths: list[str]) -> str:
    split = [parent(p).split("/") if parent(p) else [] for p in paths]
    common: list[str] = []
    for segments in zip(*split):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common)


# --- Python ------------------------------------------------------------------------------


def _python_parts(inventory: Inventory) -> list[Part]:
    owners: dict[str, list[str]] = {}
    marked: dict[str, str | None] = {}
    for path in inventory.python:
        folder, owner = parent(path), None
        while owner is None:
            if folder not in marked:
                marked[folder] = has_marker(inventory, folder)
            if marked[folder] or not folder:
                owner = folder
            else:
                folder = parent(folder)
        owners.setdefault(owner, []).append(path)
    parts = []
    for owner, paths in sorted(owners.items()):
        where = owner if marked.get(owner) else common_folder(paths)
        part = Part(where, "python", "library", None)
        _python_framework(inventory, part, paths)
        parts.append(part)
    return parts


def _python_framework(inventory: Inventory, part: Part, paths: list[str]) -> None:
    files = [inventory.python[p] for p in sorted(paths)]

    def first(flag: str) -> str | None:
        return next((f.path for f in files if flag in f.flags), None)

    manage = next((f for f in files if f.settings_module), None)
    settings = next((f for f in files if f.installed_apps), None)
    if manage or settings:
        part.role, part.framework = "backend", "Django"
        if manage:
            part.evidence.append(
                f"{manage.path} with DJANGO_SETTINGS_MODULE {manage.settings_module}"
            )
        if settings:
            part.evidence.append(f"INSTALLED_APPS in {settings.path}")
        return
    for flag, framework, label in (
        ("router", "FastAPI", "APIRouter"),
        ("fastapi-app", "FastAPI", "FastAPI app"),
        ("blueprint", "Flask", "Blueprint"),
        ("flask-app", "Flask", "Flask app"),
    ):
        path = first(flag)
        if path:
            part.role, part.framework = "backend", framework
            part.evidence.append(f"{label} in {path}")
            return
    for facts in files:
        web = next((m for m, _ in facts.imports if m.partition(".")[0] in OTHER_PYTHON_WEB), None)
        if web:
            part.role, part.framework = "backend", web.partition(".")[0]
            part.evidence.append(f"{web} imported in {facts.path}")
            return
    layers = sorted(
        {seg for p in paths for seg in p.split("/")[:-1] if seg in PYTHON_LAYER_FOLDERS}
    )
    if layers:
        part.role = "backend"
        part.evidence.append("layer folders " + ", ".join(f"{n}/" for n in layers))


def _route_files(inventory: Inventory) -> dict[str, str]:
    """Python modules that define route handlers on an APIRouter or a Flask Blueprint."""
    found = {}
    for path, facts in sorted(inventory.python.items()):
        if "route-handlers" not in facts.flags:
            continue
        if "router" in facts.flags:
            found[path] = "APIRouter"
        elif "blueprint" in facts.flags:
            found[path] = "Blueprint"
    return found


def _django_apps(inventory: Inventory, python: Roots) -> list[DjangoApp]:
    """The project's own apps: INSTALLED_APPS entries that are packages of the project."""
    by_module = {name: path for path, name in python.names.items()}
    entries = [e for f in inventory.python.values() for e in f.installed_apps]
    apps: dict[str, DjangoApp] = {}
    for entry in entries:
        module = entry.split(".apps.")[0] if ".apps." in entry else entry.removesuffix(".apps")
        init = by_module.get(module)
        if init is None or not init.endswith("__init__.py"):
            continue
        folder = parent(init)
        apps.setdefault(folder, DjangoApp(module.rpartition(".")[2], folder, module))
    return sorted(apps.values(), key=lambda a: a.folder)


# --- JS/TS -------------------------------------------------------------------------------


def _js_parts(inventory: Inventory) -> list[Part]:
    parts = []
    claimed: list[str] = []
    for folder, manifest in sorted(inventory.manifests.items()):
        files = inventory.under(folder, JS_LANGUAGES)
        workspace = manifest.workspaces or pnpm_workspaces(inventory, folder) is not None
        frontend = next((label for dep, label in FRONTEND_DEPS if dep in manifest.deps), None)
        backend = next((label for dep, label in BACKEND_DEPS if dep in manifest.deps), None)
        if workspace and not (frontend or backend):
            continue  # a monorepo's root: its packages are parts of their own
        package = f"{folder}/package.json" if folder else "package.json"
        if frontend:
            part = Part(folder, "js", "frontend", frontend, [f"{_dep_of(frontend)} in {package}"])
            _frontend_evidence(inventory, part, files)
            if backend:
                part.evidence.append(f"also {backend}: taken as the app's own server")
        elif backend:
            part = Part(
                folder, "js", "backend", backend, [f"{_dep_of(backend, True)} in {package}"]
            )
        elif files:
            # A UI kit with react as a peer dependency is a library used by the apps.
            used_with = next((label for dep, label in FRONTEND_DEPS if dep in manifest.peer), None)
            part = Part(folder, "js", "library", used_with, [package])
        else:
            continue
        parts.append(part)
        claimed.append(folder)
    # JSX/TSX outside every package.json: a frontend all the same.
    orphans = [
        p
        for p, lang in inventory.files.items()
        if p.endswith((".jsx", ".tsx")) and not any(inside_folder(p, c) for c in claimed)
    ]
    tops: dict[str, list[str]] = {}
    for path in orphans:
        tops.setdefault(path.split("/")[0] if "/" in path else "", []).append(path)
    for top, paths in sorted(tops.items()):
        parts.append(
            Part(top, "js", "frontend", None, [f"{len(paths)} JSX/TSX files, no package.json"])
        )
    return parts


def inside_folder(path: str, folder: str) -> bool:
    return not folder or path.startswith(folder + "/")


def _dep_of(label: str, backend: bool = False) -> str:
    table = BACKEND_DEPS if backend else FRONTEND_DEPS
    return next(dep for dep, name in table if name == label)


def _frontend_evidence(inventory: Inventory, part: Part, files: list[str]) -> None:
    prefix = part.path + "/" if part.path else ""
    configs = sorted(p for p in files if p[len(prefix) :].startswith("next.config."))
    if configs:
        part.evidence.append(configs[0])
    app_router = sorted(
        p
        for p in files
        if p[len(prefix) :].startswith(("app/", "src/app/"))
        and p.rpartition("/")[2].split(".")[0] in ("page", "layout")
    )
    if app_router:
        part.evidence.append(f"app router ({app_router[0]})")
    features = sorted({f for f in folders_named(files, ("features",))})
    if features:
        part.evidence.append("features/ in " + ", ".join(features))


def folders_named(files: list[str], names: tuple[str, ...]) -> set[str]:
    """The outermost folders with one of ``names`` holding some of ``files``."""
    found: set[str] = set()
    for path in files:
        segments = path.split("/")[:-1]
        for index, segment in enumerate(segments):
            if segment in names:
                found.add("/".join(segments[: index + 1]))
                break
    return found


# --- the repository as a whole -----------------------------------------------------------


def _monorepo(inventory: Inventory, parts: list[Part]) -> list[str]:
    evidence = []
    root = inventory.manifests.get("")
    if root is not None and root.workspaces:
        evidence.append("workspaces in package.json: " + ", ".join(root.workspaces))
    pnpm = pnpm_workspaces(inventory, "")
    if pnpm is not None:
        evidence.append("pnpm-workspace.yaml" + (": " + ", ".join(pnpm) if pnpm else ""))
    roots = sorted({p.path for p in parts if p.role != "library" or p.stack == "js"})
    if len(roots) > 1:
        evidence.append("several roots: " + ", ".join(f"{r or '.'}/" for r in roots))
    return evidence


def _migrations(inventory: Inventory) -> list[Migrations]:
    found: list[Migrations] = []
    for ini in sorted(p for p in inventory.project_files if p.endswith("alembic.ini")):
        location = _alembic_location(inventory, ini)
        if location is not None:
            files = inventory.under(location)
            found.append(Migrations("Alembic", [location], files, ini))
    for env in sorted(p for p, f in inventory.python.items() if "alembic-env" in f.flags):
        folder = parent(env)
        if not any(folder in m.folders for m in found):
            found.append(Migrations("Alembic", [folder], inventory.under(folder), env))
    django = sorted(p for p, f in inventory.python.items() if "django-migration" in f.flags)
    if django:
        folders = sorted({parent(p) for p in django})
        found.append(Migrations("Django", folders, django, "migrations.Migration classes"))
    all_paths = set(inventory.files)
    sql = sorted(
        p
        for p, lang in inventory.files.items()
        if lang == "sql" and is_migration_path(p, all_paths)
    )
    if sql:
        found.append(Migrations("SQL", sorted({parent(p) for p in sql}), sql, "*.sql migrations"))
    js = sorted(
        p
        for p, lang in inventory.files.items()
        if lang in JS_LANGUAGES and is_migration_path(p, all_paths)
    )
    if js:
        found.append(Migrations("JS", sorted({parent(p) for p in js}), js, "migration scripts"))
    return found


def _alembic_location(inventory: Inventory, ini: str) -> str | None:
    """The script_location of an alembic.ini, relative to the root."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(inventory.read_text(ini) or "")
        location = parser.get("alembic", "script_location", fallback="").strip()
    except configparser.Error:
        return None
    if not location or ":" in location.replace("%(here)s", ""):
        return None  # a package resource ("myapp:migrations"): not a folder we can name
    location = location.replace("%(here)s/", "").replace("%(here)s", "").strip("/") or "."
    folder = "/".join(filter(None, (parent(ini), location if location != "." else "")))
    return folder if folder in inventory.folders else None
