"""From what was detected to what the config says: the presets to extend, ``python.roots``,
and components only where the project's layout is not what the presets claim.

A component is added to only when files that detection places in it (a module of route
handlers, a ``services/`` folder of a JS backend, a frontend's ``lib/``...) are not matched by
the preset's selectors for it. Since a component in the config replaces the preset's whole
list, the preset's selectors are written too: those that can apply to this project (of a
language it has, under a folder it has), then the additions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.init.detect import Detection, Part, common_folder, folders_named, inside_folder
from archlint.init.match import applies, claims, languages_below
from archlint.init.scan import JS_LANGUAGES

JS_LAYER_FOLDERS = {
    "routes": "routes",
    "routers": "routes",
    "controllers": "controllers",
    "services": "services",
    "repositories": "repositories",
    "repository": "repositories",
    "middleware": "middleware",
    "middlewares": "middleware",
    "validators": "validators",
    "validation": "validators",
    "jobs": "queue",
    "queues": "queue",
    "workers": "queue",
}
PY_LAYER_FOLDERS = {**JS_LAYER_FOLDERS, "queue": "queue", "tasks": "queue"}
JS_SUFFIXES = {
    ".service": "services",
    ".controller": "controllers",
    ".repository": "repositories",
    ".middleware": "middleware",
    ".routes": "routes",
    ".router": "routes",
}
FRONTEND_FOLDERS = {
    "store": "stores",
    "stores": "stores",
    "hooks": "hooks",
    "features": "features",
    "lib": "lib",
}
PYTHON_VARIANTS = {"Django": "django", "FastAPI": "fastapi"}


@dataclass(slots=True)
class ComponentPlan:
    name: str
    inherited: list[str]  # the preset's selectors kept
    added: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    preset: str | None = None  # the preset the inherited selectors come from


@dataclass(slots=True)
class ContractPlan:
    name: str
    type: str
    fields: dict[str, object]
    reasons: list[str]


@dataclass(slots=True)
class Plan:
    extends: list[str]
    extends_reasons: list[str]
    python_roots: list[str]
    roots_reasons: list[str]
    summary: str = ""
    components: list[ComponentPlan] = field(default_factory=list)
    contracts: list[ContractPlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def choose_presets(detection: Detection) -> tuple[list[str], list[str], str]:
    """(extends, why, for the config's comments, a one-line summary)."""
    backends, frontends = detection.parts_of("backend"), detection.parts_of("frontend")
    python_libraries = [p for p in detection.parts_of("library") if p.stack == "python"]
    variants = {PYTHON_VARIANTS.get(p.framework or "") for p in backends}
    variant = variants.pop() if len(variants) == 1 else None
    reasons = [f"{_describe(p)} -> preset {_preset_of(p)}" for p in (*backends, *frontends)]
    if backends and len(variants) > 1:
        reasons.append("backends of different kinds -> the generic backend selectors")
    if backends and frontends:
        then = f", then {variant} (later presets win)" if variant else ""
        reasons.append(f"a backend and a frontend in one repository -> preset fullstack{then}")
        kinds = ", ".join(sorted({p.framework or p.stack for p in (*backends, *frontends)}))
        return (
            ["fullstack", *([variant] if variant else [])],
            reasons,
            f"backend and frontend ({kinds})",
        )
    if backends:
        kind = ", ".join(sorted({p.framework or p.stack for p in backends}))
        return [variant or "backend"], reasons, f"{kind} backend"
    if frontends:
        kind = ", ".join(sorted({p.framework or "JS/TS" for p in frontends}))
        return ["frontend"], reasons, f"{kind} frontend"
    if python_libraries:
        where = ", ".join(f"{p.where}/" for p in python_libraries)
        reason = f"Python code without a web framework in {where} -> preset backend"
        return ["backend"], [reason], "Python code without a web framework"
    reason = "no backend or frontend recognised -> preset fullstack (the default)"
    return ["fullstack"], [reason], "no backend or frontend recognised"


def _preset_of(part: Part) -> str:
    if part.role == "frontend":
        return "frontend"
    return PYTHON_VARIANTS.get(part.framework or "", "backend")


def _describe(part: Part) -> str:
    kind = part.framework or ("Python" if part.stack == "python" else "JS/TS")
    evidence = f" ({'; '.join(part.evidence)})" if part.evidence else ""
    return f"{kind} {part.role} in {part.where}/{evidence}"


def preset_components(extends: list[str]) -> dict[str, tuple[str, list[str]]]:
    """component -> (the preset that defines it last, its selectors), as ``extends`` applies."""
    from archlint.config.locate import Locator
    from archlint.config.presets import Source, expand
    from archlint.config.validate import Context

    source = Source(Context(path="<init>", locator=Locator("")), {"extends": list(extends)})
    found: dict[str, tuple[str, list[str]]] = {}
    for preset in expand(source):
        for name, selectors in preset.table.get("components", {}).items():
            found[name] = (preset.preset or "", list(selectors))
    return found


class Planner:
    def __init__(self, detection: Detection) -> None:
        self.detection = detection
        self.inventory = detection.inventory
        self.extends, reasons, summary = choose_presets(detection)
        roots = detection.python.roots
        self.plan = Plan(self.extends, reasons, roots, list(detection.python.evidence), summary)
        self.presets = preset_components(self.extends)
        self.names = detection.python.names
        self.additions: dict[str, dict[str, str]] = {}  # component -> selector -> reason

    def component(self, name: str) -> list[str]:
        return self.presets.get(name, ("", []))[1]

    def unclaimed(self, name: str, files: list[str]) -> list[str]:
        selectors = [*self.component(name), *self.additions.get(name, {})]
        return [f for f in files if not claims(selectors, f, self.names.get(f))]

    def add(self, name: str, selector: str, reason: str) -> None:
        self.additions.setdefault(name, {}).setdefault(selector, reason)

    def run(self) -> Plan:
        self._route_modules()
        for part in self.detection.parts:
            if part.role == "backend":
                self._backend_folders(part)
            elif part.role == "frontend":
                self._frontend(part)
        self._migrations()
        languages = languages_below(self.inventory.files)
        for name, selectors in self.additions.items():
            preset, inherited = self.presets.get(name, (None, []))
            kept = [s for s in inherited if applies(s, languages)]
            plan = ComponentPlan(name, kept, list(selectors), [], preset)
            for reason in selectors.values():
                if reason not in plan.reasons:
                    plan.reasons.append(reason)
            if name == "frontend":
                plan.reasons.append(
                    "(the frontend preset claims JSX/TSX anywhere, JS/TS only in"
                    " frontend folders: web/, frontend/, client/, apps/web/...)"
                )
            elif preset and not kept:
                plan.reasons.append(
                    f"(this replaces the {preset} preset's `{name}`: none of its"
                    " selectors can match a file here)"
                )
            self.plan.components.append(plan)
        return self.plan

    # -- evidence -------------------------------------------------------------------------
    def _route_modules(self) -> None:
        routes = self.detection.route_files
        missing = self.unclaimed("routes", sorted(routes))
        if not missing:
            return
        kinds = " and ".join(
            sorted({"an APIRouter" if routes[p] == "APIRouter" else "a Blueprint" for p in missing})
        )
        shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        reason = f"route handlers on {kinds} in {shown}"
        python = self.inventory.python
        by_name: dict[str, list[str]] = {}
        for path in missing:
            by_name.setdefault(path.rpartition("/")[2], []).append(path)
        for name, paths in sorted(by_name.items()):
            # blog/auth/views.py, blog/posts/views.py: every views.py below blog/ is a route
            # module today, so blog/**/views.py (new blueprints are claimed too).
            common = common_folder(paths)
            namesakes = [
                p for p in python if p.rpartition("/")[2] == name and inside_folder(p, common)
            ]
            if len(paths) > 1 and name != "__init__.py" and set(namesakes) == set(paths):
                self.add("routes", f"{common}/**/{name}" if common else f"**/{name}", reason)
                missing = [p for p in missing if p not in paths]
        by_folder: dict[str, list[str]] = {}
        for path in missing:
            by_folder.setdefault(path.rpartition("/")[0], []).append(path)
        for folder, paths in sorted(by_folder.items()):
            siblings = [
                p
                for p in python
                if p.rpartition("/")[0] == folder and not p.endswith("__init__.py")
            ]
            if len(paths) > 1 and set(siblings) == set(paths):
                self.add("routes", f"{folder}/*.py" if folder else "*.py", reason)
            else:
                for path in paths:
                    self.add("routes", path, reason)

    def _layer_folders(
        self, part: Part, files: list[str], table: dict[str, str], glob: str
    ) -> None:
        prefix = part.path + "/" if part.path else ""
        inner = [f[len(prefix) :] for f in files]
        for folder_name, component in table.items():
            for folder in sorted(folders_named(inner, (folder_name,))):
                full = prefix + folder
                members = [f for f in files if f.startswith(full + "/")]
                if part.stack == "python" and not any(
                    f.rpartition("/")[0] == full for f in members
                ):
                    continue  # services/*/app/...: a folder of separate projects, not a layer
                if self.unclaimed(component, members):
                    kind = part.framework or part.stack
                    why = (
                        f"{full}/: the {folder_name} folder of the {kind} backend in {part.where}/"
                    )
                    self.add(component, f"{full}/{glob}", why)

    def _backend_folders(self, part: Part) -> None:
        if part.stack == "python":
            files = [f for f in self.inventory.python if _owned(f, part, self.detection)]
            self._layer_folders(part, files, PY_LAYER_FOLDERS, "**/*.py")
            return
        files = [
            f
            for f in self.inventory.under(part.path, JS_LANGUAGES)
            if _owned(f, part, self.detection)
        ]
        self._layer_folders(part, files, JS_LAYER_FOLDERS, "**")
        for suffix, component in JS_SUFFIXES.items():
            matching = [
                f for f in files if f.rpartition("/")[2].rpartition(".")[0].endswith(suffix)
            ]
            if matching and self.unclaimed(component, matching):
                base = f"{part.path}/**" if part.path else "**"
                self.add(
                    component,
                    f"{base}/*{suffix}.[jt]s",
                    f"*{suffix}.ts files of the {part.framework} backend in {part.where}/",
                )

    def _frontend(self, part: Part) -> None:
        files = [
            f
            for f in self.inventory.under(part.path, JS_LANGUAGES)
            if _owned(f, part, self.detection)
        ]
        prefix = part.path + "/" if part.path else ""
        scripts = [f for f in files if not f.endswith(("x", ".d.ts"))]  # JSX is claimed anywhere
        tops = sorted(
            {
                f[len(prefix) :].split("/")[0]
                for f in self.unclaimed("frontend", scripts)
                if "/" in f[len(prefix) :]
            }
        )
        for top in tops:
            self.add(
                "frontend",
                f"{prefix}{top}/**/*.[jt]s",
                f"the JS/TS of the {part.framework or 'JS/TS'} frontend in {part.where}/",
            )
        inner = [f[len(prefix) :] for f in files]
        for folder_name, component in FRONTEND_FOLDERS.items():
            for folder in sorted(folders_named(inner, (folder_name,))):
                full = prefix + folder
                members = [f for f in files if f.startswith(full + "/")]
                if self.unclaimed(component, members):
                    self.add(
                        component,
                        f"{full}/**",
                        f"{full}/: the {folder_name} folder of the frontend in {part.where}/",
                    )

    def _migrations(self) -> None:
        for migrations in self.detection.migrations:
            if migrations.kind == "Alembic":
                folder = migrations.folders[0]
                for selector in (f"{folder}/versions/**", f"{folder}/env.py"):
                    files = [f for f in migrations.files if claims([selector], f, None)]
                    if files and self.unclaimed("migrations", files):
                        self.add(
                            "migrations", selector, f"Alembic's scripts ({migrations.evidence})"
                        )
                continue
            for folder in migrations.folders:
                files = [f for f in migrations.files if f.rpartition("/")[0] == folder]
                if self.unclaimed("migrations", files):
                    glob = "*.sql" if migrations.kind == "SQL" else "*"
                    self.add(
                        "migrations",
                        f"{folder}/{glob}" if folder else glob,
                        f"{migrations.kind} migrations in {folder or '.'}/",
                    )


def _owned(path: str, part: Part, detection: Detection) -> bool:
    """Whether ``path`` belongs to ``part`` rather than to a part nested inside it."""
    best = max(
        (
            p
            for p in detection.parts
            if p.stack == part.stack and (not p.path or path.startswith(p.path + "/"))
        ),
        key=lambda p: len(p.path),
        default=None,
    )
    return best is part
