"""Bundled presets (``extends``), ``[rules.<name>]`` options and ``[libraries]`` lists."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from archlint.config import presets
from archlint.config.libraries import default_libraries
from archlint.config.load import load_config
from archlint.config.model import Config, Group, Selector
from archlint.config.validate import parse_selector
from archlint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PRESETS = ["backend", "django", "fastapi", "frontend", "fullstack"]
LIBRARY_LISTS = [
    "web_frameworks", "db_clients", "cache_clients", "storage_clients", "mail_clients",
    "http_clients", "image_libraries", "ml_libraries", "queue_clients", "loggers",
]  # fmt: skip


def write(directory: Path, text: str, name: str = "archlint.toml") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def selectors(*texts: str) -> tuple[Selector, ...]:
    return tuple(parse_selector(text) for text in texts)


def raw_preset(name: str) -> dict:
    return tomllib.loads((presets.preset_dir() / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.fixture()
def preset_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty preset folder of our own (with the bundled library lists) in place of the
    bundled one."""
    folder = tmp_path / "presets"
    folder.mkdir()
    shutil.copy(presets.preset_dir() / presets.LIBRARIES_FILE, folder)
    monkeypatch.setattr(presets, "preset_dir", lambda: folder)
    return folder


# ---------------------------------------------------------------------------------------------
# Finding the presets


def test_preset_files_are_bundled() -> None:
    # pyproject.toml force-includes rules/ as archlint/presets/ in the wheel; in a checkout
    # or an editable install preset_dir() is rules/ itself. Either way, all files are there.
    folder = presets.preset_dir()
    assert folder.name in ("presets", "rules")
    for name in [*PRESETS, "libraries"]:
        assert (folder / f"{name}.toml").is_file(), name
    assert presets.available_presets() == PRESETS  # libraries.toml is no preset


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_on_its_own(tmp_path: Path, name: str) -> None:
    config = load_config(write(tmp_path, f"extends = ['{name}']\n"))
    assert config.presets[-1] == name
    assert config.components
    assert config.contracts or name == "frontend"  # its one check is a rule (AL205)
    for spec in config.contracts:
        assert spec.optional, spec.name
        assert spec.origin is not None and spec.origin.endswith(".toml")
        assert Path(spec.origin).is_absolute() and Path(spec.origin).is_file()
        assert spec.line is not None
    assert config.rules == {}
    assert config.libraries == default_libraries()


def test_presets_compose_in_order_and_each_applies_once(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "extends = ['fullstack', 'django', 'fastapi']\n"))
    assert config.presets == ("backend", "frontend", "fullstack", "django", "fastapi")
    # fastapi came last: its routes and its five-layer "Backend layers" win
    assert config.components["routes"].selectors[0].text == "app.api"
    layers = next(c for c in config.contracts if c.name == "Backend layers").options["layers"]
    labels = [g.label for g in layers]
    assert labels == ["routes", "controllers", "services", "repositories", "models"]
    names = [c.name for c in config.contracts]
    assert len(names) == len(set(names))


def test_extends_may_be_a_string(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "extends = 'backend'\n"))
    assert config.presets == ("backend",)


def test_pyproject_extends(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.archlint]\nextends = ['frontend']\n", "pyproject.toml")
    assert load_config(path).presets == ("frontend",)


def test_no_config_is_fullstack(tmp_path: Path) -> None:
    default = load_config(None, tmp_path)
    explicit = load_config(write(tmp_path / "c", "extends = ['fullstack']\n"), tmp_path)
    assert default.path is None and default.root == tmp_path.resolve()
    assert default.presets == explicit.presets == ("backend", "frontend", "fullstack")
    assert default.contracts == explicit.contracts
    assert default.components == explicit.components
    assert default.exclude == explicit.exclude != ()


# ---------------------------------------------------------------------------------------------
# The user's settings win


def test_user_component_replaces_the_presets_and_contracts_use_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        extends = ["fullstack"]

        [components]
        routes = ["myapp.api"]
        gateways = ["myapp.gateways"]
        """,
    )
    config = load_config(path)
    assert config.components["routes"].selectors == selectors("myapp.api")
    assert config.components["routes"].line == 4
    assert config.components["gateways"].selectors == selectors("myapp.gateways")
    assert config.components["services"].selectors[0].text == "services.**"  # untouched
    layers = next(c for c in config.contracts if c.name == "Backend layers").options["layers"]
    assert layers[0] == Group("routes", selectors("myapp.api"))


def test_an_empty_list_empties_a_preset_component_only(tmp_path: Path) -> None:
    path = write(tmp_path, "extends = ['backend']\n[components]\ncontrollers = []\n")
    config = load_config(path)
    assert config.components["controllers"].selectors == ()
    error = config_error(write(tmp_path, "extends = ['backend']\n[components]\nmine = []\n"))
    assert error.message == "component 'mine' has no selectors" and error.line == 3


def test_user_contract_with_a_presets_name_replaces_it_in_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        extends = ["backend"]

        [[contracts]]
        name = "Mine"
        type = "acyclic"
        packages = ["app"]

        [[contracts]]
        name = "Backend layers"
        type = "layers"
        layers = ["routes", "services"]
        """,
    )
    config = load_config(path)
    assert [c.name for c in config.contracts] == [
        "Backend layers",
        "Application code does not import migrations",
        "Mine",
    ]
    mine = config.contracts[0]
    assert [g.label for g in mine.options["layers"]] == ["routes", "services"]
    assert (mine.line, mine.origin, mine.optional) == (8, None, False)
    assert config.contracts[2].optional is False


def test_optional_contract_written_by_the_user(tmp_path: Path) -> None:
    body = "[[contracts]]\nname = 'X'\ntype = 'acyclic'\npackages = ['app']\n"
    config = load_config(write(tmp_path, body + "optional = true\n"))
    assert config.contracts[0].optional is True
    error = config_error(write(tmp_path, body + "optional = 'yes'\n"))
    assert error.message == "'optional' of contract 'X' must be true or false, not a string"
    assert error.line == 5


def test_scalar_settings_replace_the_presets(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
            extends = ["fullstack"]
            exclude = ["legacy/**"]
            select = ["AL1"]
            python.roots = ["backend"]
            """,
        )
    )
    assert config.exclude == ("legacy/**",)
    assert config.select == ("AL1",)
    assert config.python_roots == ("backend",)
    assert config.include == () and config.ignore == ()


# ---------------------------------------------------------------------------------------------
# extends: errors, cycles


EXTENDS_ERRORS = [
    (
        "include = []\nextends = ['fullstak']\n",
        "unknown preset 'fullstak' in 'extends' (did you mean 'fullstack'?); available presets:"
        " backend, django, fastapi, frontend, fullstack",
        2,
    ),
    ("extends = [\n  'backend',\n  'fullstack.toml',\n]\n", "(did you mean 'fullstack'?)", 3),
    ("extends = 'nextjs'\n", "unknown preset 'nextjs' in 'extends'; available presets: back", 1),
    ("extends = 3\n", "'extends' must be a preset name or a list of preset names, not an", 1),
    ("extends = ['backend', 2]\n", "'extends' must be a list of strings (item 2 is an int", 1),
    ("extends = ' '\n", "'extends' must not be empty", 1),
    ("extends = ['backend', 'backend']\n", "preset 'backend' is listed twice in 'extends'", 1),
    ("extend = ['backend']\n", "unknown key 'extend' (did you mean 'extends'?)", 1),
    ("presets = ['backend']\n", "unknown key 'presets' (did you mean 'extends'?)", 1),
    (
        "extends = ['fullstack']\n[[contracts]]\nname = 'X'\ntype = 'layers'\n"
        "layers = ['routes', 'servics']\n",
        "unknown component 'servics' (did you mean 'services'?)",
        5,
    ),
]


@pytest.mark.parametrize(
    ("text", "message", "line"), EXTENDS_ERRORS, ids=[m for _, m, _ in EXTENDS_ERRORS]
)
def test_extends_errors(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "archlint.toml"
    path.write_text(text, encoding="utf-8")
    error = config_error(path)
    assert message in error.message
    assert (error.path, error.line) == (str(path), line)


def test_unknown_preset_in_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.archlint]\n\nextends = ['djano']\n", "pyproject.toml")
    error = config_error(path)
    assert "unknown preset 'djano' in 'extends' (did you mean 'django'?)" in error.message
    assert error.line == 3


def test_extends_cycle(tmp_path: Path, preset_folder: Path) -> None:
    write(preset_folder, "extends = ['b']\n", "a.toml")
    write(preset_folder, "# b\n\nextends = ['c']\n", "b.toml")
    write(preset_folder, "extends = [\n  'a',\n]\n", "c.toml")
    error = config_error(write(tmp_path, "extends = ['a']\n"))
    assert error.message == "presets extend each other in a cycle: a -> b -> c -> a"
    assert error.path is not None and Path(error.path).resolve() == (preset_folder / "c.toml")
    assert error.line == 2


def test_preset_extending_itself(tmp_path: Path, preset_folder: Path) -> None:
    write(preset_folder, "extends = 'a'\n", "a.toml")
    error = config_error(write(tmp_path, "extends = 'a'\n"))
    assert error.message == "presets extend each other in a cycle: a -> a"


def test_a_diamond_is_no_cycle(tmp_path: Path, preset_folder: Path) -> None:
    write(preset_folder, "[components]\nx = ['base.x']\ny = ['base.y']\n", "base.toml")
    write(preset_folder, "extends = ['base']\n[components]\nx = ['left.x']\n", "left.toml")
    write(preset_folder, "extends = ['base']\n[components]\ny = ['right.y']\n", "right.toml")
    config = load_config(write(tmp_path, "extends = ['left', 'right']\n"))
    assert config.presets == ("base", "left", "right")  # base once, not again after left
    assert config.components["x"].selectors == selectors("left.x")
    assert config.components["y"].selectors == selectors("right.y")


def test_errors_in_a_preset_name_the_preset_file(tmp_path: Path, preset_folder: Path) -> None:
    write(preset_folder, "[components]\nx = ['a']\n\n[[contracts]]\nname = 'P'\n", "bad.toml")
    error = config_error(write(tmp_path, "extends = 'bad'\n"))
    assert error.message.startswith("contract 'P' has no 'type' (one of layers, forbidden,")
    assert Path(str(error.path)).resolve() == preset_folder / "bad.toml"
    assert error.line == 4
    write(preset_folder, "componets = {}\n", "typo.toml")
    error = config_error(write(tmp_path, "extends = 'typo'\n"))
    assert error.message == "unknown key 'componets' (did you mean 'components'?)"


def test_missing_preset_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(presets, "preset_dir", lambda: tmp_path / "nowhere")
    assert presets.available_presets() == []
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert "bundled preset 'fullstack' is missing" in info.value.message


# ---------------------------------------------------------------------------------------------
# [rules.<name>]


def test_rule_options_are_stored_and_merged_key_by_key(
    tmp_path: Path, preset_folder: Path
) -> None:
    write(
        preset_folder,
        """
        [rules.fat-route-handler]
        max-statements = 20
        severity = "warning"

        [rules.other]
        enabled = false
        """,
        "p.toml",
    )
    path = write(
        tmp_path,
        """
        [tool.archlint]
        extends = ["p"]

        [tool.archlint.rules.fat-route-handler]
        max-statements = 30
        allowed = ["a", "b"]
        ratio = 0.5

        [tool.archlint.rules.db-access-outside-repository]
        enabled = true
        """,
        "pyproject.toml",
    )
    assert load_config(path).rules == {
        "fat-route-handler": {
            "max-statements": 30,
            "severity": "warning",
            "allowed": ["a", "b"],
            "ratio": 0.5,
        },
        "other": {"enabled": False},
        "db-access-outside-repository": {"enabled": True},
    }


RULE_ERRORS = [
    ("rules = 3\n", "'rules' must be a table of [rules.<rule-name>] tables, not an integer", 1),
    ("[rules]\nx = 1\n", "'rules.x' must be a table of options ([rules.x]), not an integer", 2),
    (
        "[rules.fat_route_handler]\nenabled = true\n",
        "invalid rule name 'fat_route_handler' in [rules]: rule names are kebab-case,"
        " lower-case words joined by '-' (did you mean 'fat-route-handler'?)",
        1,
    ),
    ("[rules.Fat-Route]\n", "(did you mean 'fat-route'?)", 1),
    ("[rules.x]\nenabled = 'no'\n", "'enabled' of rule 'x' must be true or false, not a str", 2),
    (
        "[rules.x]\n\nseverity = 'warn'\n",
        "unknown severity 'warn' for rule 'x' (did you mean 'warning'?)",
        3,
    ),
    ("[rules.x]\nseverity = 'fatal'\n", "(expected one of 'error', 'warning', 'info')", 2),
    ("[rules.x]\nseverity = 2\n", "'severity' of rule 'x' must be one of", 2),
    (
        "[rules.x]\nlimits = { a = 1 }\n",
        "option 'limits' of rule 'x' must be a string, number, boolean or array of them,"
        " not a table",
        2,
    ),
    (
        "[rules.x]\nnames = [\n  'a',\n  { b = 1 },\n]\n",
        "item 2 of option 'names' of rule 'x' must be",
        4,
    ),
    ("[rules.x]\nwhen = 1979-05-27\n", "not a date/time", 2),
    ("[rules.x]\n'a b' = 1\n", "invalid option name 'a b' for rule 'x'", 2),
]


@pytest.mark.parametrize(
    ("text", "message", "line"), RULE_ERRORS, ids=[m for _, m, _ in RULE_ERRORS]
)
def test_rule_option_errors(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "archlint.toml"
    path.write_text(text, encoding="utf-8")
    error = config_error(path)
    assert message in error.message
    assert error.line == line


def test_rule_errors_in_pyproject_name_the_full_table(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.archlint.rules.Bad_Name]\n", "pyproject.toml")
    assert "in [tool.archlint.rules]" in config_error(path).message


# ---------------------------------------------------------------------------------------------
# [libraries]


def test_bundled_library_lists() -> None:
    lists = default_libraries()
    assert list(lists) == LIBRARY_LISTS
    for name, entries in lists.items():
        texts = [s.text for s in entries]
        assert len(texts) == len(set(texts)), f"duplicates in {name}"
    db = {s.text: s for s in lists["db_clients"]}
    assert db["sqlalchemy"] == Selector("sqlalchemy", "module", "sqlalchemy")
    assert db["npm:pg"] == Selector("npm:pg", "external", "pg", "npm")
    assert db["@prisma/client"] == Selector("@prisma/client", "external", "@prisma/client", "npm")
    assert "django.db.models" in db and "npm:drizzle-orm" in db
    assert {"redis", "npm:ioredis"} <= {s.text for s in lists["cache_clients"]}
    assert {"flask", "npm:express", "@nestjs/common"} <= {s.text for s in lists["web_frameworks"]}


def test_libraries_replace_and_extend(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [libraries]
        db_clients = ["mydb", "npm:@acme/db"]
        loggers = []

        [libraries.extend]
        cache_clients = ["npm:keyv", "redis"]
        db_clients = ["otherdb"]
        """,
    )
    lists = load_config(path).libraries
    defaults = default_libraries()
    assert lists["db_clients"] == selectors("mydb", "npm:@acme/db", "otherdb")
    assert lists["loggers"] == ()
    assert lists["cache_clients"] == defaults["cache_clients"] + selectors("npm:keyv")
    assert lists["http_clients"] == defaults["http_clients"]
    assert list(lists) == LIBRARY_LISTS


def test_libraries_in_pyproject(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[tool.archlint.libraries.extend]\nmail_clients = ['npm:@acme/mailer']\n",
        "pyproject.toml",
    )
    assert load_config(path).libraries["mail_clients"][-1] == parse_selector("npm:@acme/mailer")
    path = write(tmp_path, "[tool.archlint.libraries]\ndb_client = []\n", "pyproject.toml")
    message = config_error(path).message
    assert "in [tool.archlint.libraries] (did you mean 'db_clients'?)" in message


LIBRARY_ERRORS = [
    (
        "[libraries]\ndb_client = ['x']\n",
        "unknown library list 'db_client' in [libraries] (did you mean 'db_clients'?)",
        2,
    ),
    (
        "[libraries.extend]\n\nweb_framework = ['x']\n",
        "unknown library list 'web_framework' in [libraries.extend] (did you mean"
        " 'web_frameworks'?)",
        3,
    ),
    ("[libraries]\nthings = ['x']\n", "(the lists are: web_frameworks, db_clients,", 2),
    ("libraries = ['x']\n", "'libraries' must be a table of name = [packages], not an array", 1),
    ("[libraries]\nextend = 1\n", "'libraries.extend' must be a table of name = [packages", 2),
    ("[libraries]\ndb_clients = 'pg'\n", "library list 'db_clients' must be a list of pack", 2),
    (
        "[libraries]\ndb_clients = [\n  'pg',\n  'node-postgres',\n]\n",
        "invalid selector 'node-postgres': 'node-postgres' is not a valid segment of module"
        " pattern 'node-postgres' in library list 'db_clients'",
        4,
    ),
    (
        "[libraries.extend]\ndb_clients = ['npn:pg']\n",
        "unknown prefix 'npn:' in selector 'npn:pg' (did you mean 'npm:'?)"
        " in 'libraries.extend.db_clients'",
        2,
    ),
]


@pytest.mark.parametrize(
    ("text", "message", "line"), LIBRARY_ERRORS, ids=[m for _, m, _ in LIBRARY_ERRORS]
)
def test_library_errors(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "archlint.toml"
    path.write_text(text, encoding="utf-8")
    error = config_error(path)
    assert message in error.message
    assert error.line == line


# ---------------------------------------------------------------------------------------------
# What the bundled presets say


def test_data_layer_is_a_part_of_db_clients() -> None:
    data_layer = raw_preset("backend")["components"]["data_layer"]
    db_clients = {s.text for s in default_libraries()["db_clients"]}
    assert set(data_layer) <= db_clients


def test_shared_parts_of_backend_and_frontend_are_equal() -> None:
    backend, frontend = raw_preset("backend"), raw_preset("frontend")
    assert backend["exclude"] == frontend["exclude"]
    assert backend["components"]["types"] == frontend["components"]["types"]


def test_presets_define_each_component_once_or_on_purpose() -> None:
    # A component redefined by a later preset replaces the earlier one: only the Django and
    # FastAPI presets do that, to rename backend's layers; backend and frontend share
    # nothing but `types` (equal, see above).
    backend = set(raw_preset("backend")["components"])
    frontend = set(raw_preset("frontend")["components"])
    assert backend & frontend == {"types"}
    assert "components" not in raw_preset("fullstack")
    for name in ("django", "fastapi"):
        assert set(raw_preset(name)["components"]) - backend <= {"models"}


# Where files of common layouts land: (path, components it must be in, components it must
# not be in). Module names come from the tree: backend/ and services/billing/ hold no
# __init__.py, so their packages are "app" and "billing".
LAYOUT: list[tuple[str, set[str], set[str]]] = [
    # a Python backend
    ("backend/app/api/routes/users.py", {"routes"}, {"frontend", "services"}),
    ("backend/app/routers/items.py", {"routes"}, set()),
    ("backend/app/auth/router.py", {"routes"}, set()),
    ("backend/app/services/users.py", {"services"}, {"routes"}),
    ("backend/app/billing/service.py", {"services"}, set()),
    ("backend/app/repositories/users.py", {"repositories"}, set()),
    ("backend/app/controllers/users.py", {"controllers"}, set()),
    ("backend/app/middleware.py", {"middleware"}, set()),
    ("backend/app/tasks.py", {"queue"}, set()),
    ("backend/app/types.py", {"types"}, set()),
    ("backend/app/alembic/versions/001_init.py", {"migrations"}, set()),
    ("backend/app/hooks/stripe.py", set(), {"hooks", "frontend"}),
    ("backend/app/main.py", set(), {"routes", "services", "frontend"}),
    ("tasks.py", set(), {"queue"}),  # Invoke's, at the root
    # a folder of Python services in a monorepo is no services layer
    ("services/billing/billing/routes/pay.py", {"routes"}, {"services"}),
    ("services/billing/billing/services/charge.py", {"services"}, set()),
    # a JS/TS backend
    ("server/src/routes/users.ts", {"routes"}, {"frontend"}),
    ("server/src/trpc/router.ts", {"routes"}, set()),
    ("server/src/services/users.ts", {"services"}, set()),
    ("server/src/users/users.controller.ts", {"controllers"}, set()),
    ("server/src/users/users.service.ts", {"services"}, set()),
    ("server/src/users/users.repository.ts", {"repositories"}, set()),
    ("server/src/middleware/auth.ts", {"middleware"}, set()),
    ("server/src/store/session.ts", set(), {"stores", "frontend"}),
    ("server/src/hooks/audit.ts", set(), {"hooks"}),
    ("routes/index.js", {"routes"}, set()),  # express-generator
    # a frontend in a monorepo
    ("apps/web/app/page.tsx", {"frontend"}, {"routes"}),
    ("apps/web/app/api/users/route.ts", {"frontend"}, {"routes"}),
    ("apps/web/components/ui/button.tsx", {"ui", "frontend"}, set()),
    ("apps/web/components/features/UserList.tsx", {"features", "frontend"}, {"ui"}),
    ("apps/web/hooks/useUsers.ts", {"hooks", "frontend"}, set()),
    ("apps/web/store/cart.ts", {"stores", "frontend"}, set()),
    ("apps/web/lib/utils.ts", {"lib", "frontend"}, set()),
    ("apps/web/lib/api.ts", {"api_clients", "lib", "frontend"}, set()),
    ("apps/web/services/api.ts", {"api_clients", "frontend"}, {"services"}),
    ("apps/web/repositories/user.repository.ts", {"frontend"}, {"repositories"}),
    ("apps/web/types/user.ts", {"types"}, set()),
    # a frontend at the root: SvelteKit's src/routes, a React app's src/services
    ("src/routes/+page.ts", set(), {"routes", "frontend"}),
    ("src/routes/Home.tsx", {"frontend"}, {"routes"}),
    ("src/services/users.ts", set(), {"services"}),
    ("src/hooks/useCart.ts", {"hooks", "frontend"}, set()),
    ("components/ui/dialog.tsx", {"ui", "frontend"}, set()),
    ("app/api/users/route.ts", set(), {"frontend", "routes"}),  # Next.js, server side
    # Python called web/ or client/ is not a frontend
    ("web/handlers.py", set(), {"frontend"}),
]
PACKAGES = [
    "backend/app", "backend/app/api", "backend/app/api/routes", "backend/app/routers",
    "backend/app/auth", "backend/app/services", "backend/app/billing",
    "backend/app/repositories", "backend/app/controllers", "backend/app/hooks",
    "services/billing/billing", "services/billing/billing/routes",
    "services/billing/billing/services",
]  # fmt: skip
TESTS = ["backend/app/tests/test_users.py", "web/src/Button.test.tsx", "server/src/a.spec.ts"]


def test_where_files_of_common_layouts_land(tmp_path: Path) -> None:
    from archlint.engine import load_project
    from archlint.graph.selectors import module_set

    for relpath, _, _ in LAYOUT:
        write(tmp_path, "", relpath)
    for package in PACKAGES:
        write(tmp_path, "", f"{package}/__init__.py")
    for relpath in TESTS:
        write(tmp_path, "", relpath)
    config = load_config(write(tmp_path / "conf", "extends = ['fullstack']\n"), tmp_path)
    graph = load_project(config, use_cache=False, jobs=1).graph
    paths = {node.id: node.path for node in graph.nodes.values() if not node.external}
    assert not set(TESTS) & set(paths.values())  # tests are excluded
    members: dict[str, set[str]] = {}
    for name, component in config.components.items():
        found = module_set(graph, Group(name, component.selectors)).internal(graph)
        members[name] = {str(paths[module]) for module in found}
    for relpath, inside, outside in LAYOUT:
        assert {n for n in inside if relpath not in members[n]} == set(), relpath
        assert {n for n in outside if relpath in members[n]} == set(), relpath
    # No file is in two layers of a layers contract (that is a configuration error).
    for spec in config.contracts:
        if spec.type == "layers":
            groups = [members[g.label] for g in spec.options["layers"]]
            for index, group in enumerate(groups):
                for other in groups[index + 1 :]:
                    assert not group & other, spec.name


def test_config_is_a_plain_record() -> None:
    config = Config(root=Path("."))
    assert (config.rules, config.libraries, config.presets) == ({}, {}, ())
