"""Finding, reading and validating the configuration (archlint.config.load)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from archlint.config.libraries import default_libraries
from archlint.config.load import CONFIG_FILES, find_config, load_config, parse_selector
from archlint.config.locate import Locator
from archlint.config.model import (
    Component,
    Config,
    ContractSpec,
    Group,
    IgnoredImport,
    Selector,
)
from archlint.errors import ConfigError


def write(directory: Path, text: str, name: str = "archlint.toml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def mod(text: str) -> Selector:
    return Selector(text=text, kind="module", pattern=text)


# ---------------------------------------------------------------------------------------------
# A full valid configuration, in both file forms. Line 1 is a comment in archlint.toml and the
# [tool.archlint] header in pyproject.toml, so both forms have the same line numbers.

FULL_BODY = """\
include = ["backend", "frontend/src"]
exclude = ["**/migrations/**"]
python.roots = ["backend", "./src/"]
select = ["AL1"]
ignore = ["import-cycle"]

[{prefix}components]
routes       = ["app.routes.**"]
services     = ["backend/app/services/**"]
repositories = ["app.repositories"]
web          = ["fastapi", "flask", "django.http"]
cache        = ["pypi:redis", "npm:@scope/pkg"]

[[{prefix}contracts]]
name = "Backend layers"
type = "layers"
layers = ["routes", "services", "repositories"]
ignore_imports = [
    "app.routes.health -> app.repositories.*",
    # a comment with [brackets] and "quotes"
    'app.routes.admin->app.repositories.users',
]
ignore_type_only = true

[[{prefix}contracts]]
name = "Services are framework-agnostic"
type = "forbidden"
source = ["services"]
forbidden = ["web", "pypi:requests"]
transitive = false

[[{prefix}contracts]]
name = "Features are independent"
type = "independence"
components = ["billing", "catalog"]

[[{prefix}contracts]]
name = "No cycles in app"
type = "acyclic"
packages = ["app"]
modules = ["app.core.*"]
"""


def expected_config(path: Path) -> Config:
    routes = (mod("app.routes.**"),)
    services = (Selector("backend/app/services/**", "path", "backend/app/services/**"),)
    repositories = (mod("app.repositories"),)
    web = (mod("fastapi"), mod("flask"), mod("django.http"))
    cache = (
        Selector("pypi:redis", "external", "redis", "pypi"),
        Selector("npm:@scope/pkg", "external", "@scope/pkg", "npm"),
    )
    return Config(
        root=path.parent.resolve(),
        path=path.resolve(),
        include=("backend", "frontend/src"),
        exclude=("**/migrations/**",),
        python_roots=("backend", "src"),
        components={
            "routes": Component("routes", routes, line=9),
            "services": Component("services", services, line=10),
            "repositories": Component("repositories", repositories, line=11),
            "web": Component("web", web, line=12),
            "cache": Component("cache", cache, line=13),
        },
        contracts=(
            ContractSpec(
                name="Backend layers",
                type="layers",
                options={
                    "layers": (
                        Group("routes", routes),
                        Group("services", services),
                        Group("repositories", repositories),
                    )
                },
                ignore_imports=(
                    IgnoredImport(
                        "app.routes.health -> app.repositories.*",
                        mod("app.routes.health"),
                        mod("app.repositories.*"),
                        line=20,
                    ),
                    IgnoredImport(
                        "app.routes.admin->app.repositories.users",
                        mod("app.routes.admin"),
                        mod("app.repositories.users"),
                        line=22,
                    ),
                ),
                ignore_type_only=True,
                line=15,
            ),
            ContractSpec(
                name="Services are framework-agnostic",
                type="forbidden",
                options={
                    "source": (Group("services", services),),
                    "forbidden": (
                        Group("web", web),
                        Group(
                            "pypi:requests",
                            (Selector("pypi:requests", "external", "requests", "pypi"),),
                        ),
                    ),
                    "transitive": False,
                },
                line=26,
            ),
            ContractSpec(
                name="Features are independent",
                type="independence",
                options={
                    "components": (
                        Group("billing", (mod("billing"),)),
                        Group("catalog", (mod("catalog"),)),
                    )
                },
                line=33,
            ),
            ContractSpec(
                name="No cycles in app",
                type="acyclic",
                options={
                    "packages": (Group("app", (mod("app"),)),),
                    "modules": (Group("app.core.*", (mod("app.core.*"),)),),
                },
                line=38,
            ),
        ),
        select=("AL1",),
        ignore=("import-cycle",),
        libraries=default_libraries(),  # always there; [libraries] changes them
    )


def test_full_config_in_archlint_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "# archlint settings\n" + FULL_BODY.format(prefix=""))
    assert load_config(path) == expected_config(path)


def test_full_config_in_pyproject_toml(tmp_path: Path) -> None:
    text = "[tool.archlint]\n" + FULL_BODY.format(prefix="tool.archlint.")
    path = write(tmp_path, text, "pyproject.toml")
    assert load_config(path) == expected_config(path)


def test_defaults_forbidden_transitive_and_acyclic_options(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[contracts]]
        name = "F"
        type = "forbidden"
        source = ["a"]
        forbidden = ["b"]

        [[contracts]]
        name = "C"
        type = "acyclic"
        modules = ["app.core.*"]
        """,
    )
    forbidden, acyclic = load_config(path).contracts
    assert forbidden.options["transitive"] is True
    assert forbidden.ignore_type_only is False
    assert forbidden.ignore_imports == ()
    core = Group("app.core.*", (mod("app.core.*"),))
    assert acyclic.options == {"packages": (), "modules": (core,)}


def test_no_config_file_gives_the_fullstack_preset(tmp_path: Path) -> None:
    config = load_config(None, tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.path is None and config.display_path == "<defaults>"
    assert config.presets == ("backend", "frontend", "fullstack")
    write(tmp_path / "conf", "extends = ['fullstack']\n")
    extended = load_config(tmp_path / "conf" / "archlint.toml", tmp_path)
    assert config.contracts == extended.contracts
    assert config.components == extended.components
    assert (config.include, config.exclude) == (extended.include, extended.exclude)


def test_a_config_without_extends_gets_no_preset(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "include = ['src']\n"))
    assert (config.presets, config.components, config.contracts) == ((), {}, ())
    assert config.exclude == ()
    assert config.libraries == default_libraries()


def test_root_argument_overrides_config_directory(tmp_path: Path) -> None:
    path = write(tmp_path / "conf", "include = ['src']\n")
    config = load_config(path, root=tmp_path / "conf" / "..")
    assert config.root == tmp_path.resolve()
    assert config.path == path.resolve()
    assert config.display_path == "conf/archlint.toml"


def test_inline_table_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        python = { roots = ["."] }
        components = { api = ["app.api"], db = ["app.db"] }
        contracts = [
            { name = "L", type = "layers", layers = ["api", "db"] },
        ]
        """,
    )
    config = load_config(path)
    assert config.python_roots == (".",)
    assert config.components["db"] == Component("db", (mod("app.db"),), line=2)
    assert config.contracts[0].line == 4
    assert [g.label for g in config.contracts[0].options["layers"]] == ["api", "db"]


def test_error_path_is_relative_to_cwd_when_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "proj", "componets = {}\n")
    monkeypatch.chdir(tmp_path)
    assert config_error(path).path == str(Path("proj") / "archlint.toml")
    assert config_error(Path("proj/archlint.toml")).path == str(Path("proj/archlint.toml"))


# ---------------------------------------------------------------------------------------------
# find_config


def test_find_config_searches_upward_from_a_directory_and_a_file(tmp_path: Path) -> None:
    config = write(tmp_path, "")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "mod.py").write_text("")
    assert find_config(nested) == config.resolve()
    assert find_config(nested / "mod.py") == config.resolve()


def test_find_config_skips_pyproject_without_table(tmp_path: Path) -> None:
    upper = write(tmp_path, "[tool.archlint]\ninclude = ['x']\n", "pyproject.toml")
    write(tmp_path / "sub", "[project]\nname = 'x'\n[tool.black]\n", "pyproject.toml")
    assert find_config(tmp_path / "sub") == upper.resolve()


def test_find_config_accepts_pyproject_with_only_a_subtable(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.archlint.components]\na = ['b']\n", "pyproject.toml")
    assert find_config(tmp_path) == path.resolve()


def test_find_config_archlint_toml_wins_in_one_directory(tmp_path: Path) -> None:
    write(tmp_path, "[tool.archlint]\n", "pyproject.toml")
    archlint = write(tmp_path, "")
    assert find_config(tmp_path) == archlint.resolve()
    assert CONFIG_FILES == ("archlint.toml", "pyproject.toml")


def test_find_config_nearest_directory_wins(tmp_path: Path) -> None:
    write(tmp_path, "")
    inner = write(tmp_path / "sub", "[tool.archlint]\n", "pyproject.toml")
    assert find_config(tmp_path / "sub") == inner.resolve()


def test_find_config_returns_broken_pyproject_that_mentions_archlint(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.archlint]\ninclude = [\n", "pyproject.toml")
    write(tmp_path / "sub", "[tool.black\n", "pyproject.toml")  # broken, not ours: skipped
    assert find_config(tmp_path / "sub") == path.resolve()


def test_find_config_none(tmp_path: Path) -> None:
    write(tmp_path, "[project]\n", "pyproject.toml")
    assert find_config(tmp_path) is None


# ---------------------------------------------------------------------------------------------
# Errors: message fragment and line, in archlint.toml form unless the name says otherwise.

def contract(kind: str | None, *lines: str, name: str = "X") -> str:
    """One [[contracts]] table: header on line 1, name on 2, type on 3, then ``lines``."""
    head = ["[[contracts]]", f"name = '{name}'"] + ([f"type = '{kind}'"] if kind else [])
    return "\n".join(head + list(lines)) + "\n"


LAYERS_AB = "layers = ['a', 'b']"
ANY_TYPE = "(expected one of layers, forbidden, independence, acyclic)"

ERRORS = [
    # top level
    ("componets = {}\n", "unknown key 'componets' (did you mean 'components'?)", 1),
    ("include = []\n\n[rules]\nx = 1\n", "'rules.x' must be a table of options", 4),
    ("preset = 'strict'\n", "unknown key 'preset' (did you mean 'extends'?)", 1),
    ("[tool.archlint]\n", "outside pyproject.toml, write the settings at the top level", 1),
    ("include = 'backend'\n", "'include' must be a list of strings, not a string", 1),
    (
        "include = [\n  'a',\n  3,\n]\n",
        "'include' must be a list of strings (item 2 is an integer)",
        3,
    ),
    ("exclude = ['ok', '']\n", "'exclude' must not contain an empty string", 1),
    (
        "include = ['a/../../b']\n",
        "invalid path in 'include': 'a/../../b' must not leave the root",
        1,
    ),
    ("\ninclude = ['/abs']\n", "invalid path in 'include': '/abs' must be relative to the root", 2),
    ("exclude = ['a/[b']\n", "invalid path in 'exclude': unclosed '['", 1),
    ("select = 'AL1'\n", "'select' must be a list of strings, not a string", 1),
    ("ignore = ['AL 1']\n", "invalid entry 'AL 1' in 'ignore'", 1),
    # python
    ("python = 'src'\n", "'python' must be a table, not a string", 1),
    ("python.root = ['src']\n", "unknown key 'root' in 'python' (did you mean 'roots'?)", 1),
    ("[python]\nroots = ['../lib']\n", "'../lib' must not leave the root", 2),
    ("python.roots = ['C:/lib']\n", "'C:/lib' must be relative to the root", 1),
    ("python.roots = 'src'\n", "'python.roots' must be a list of strings, not a string", 1),
    # components
    ("components = ['a']\n", "'components' must be a table of name = [selectors], not an array", 1),
    (
        "[components]\nweb = 'fastapi'\n",
        "component 'web' must be a list of selectors (strings), not a string",
        2,
    ),
    ("[components]\n\nweb = []\n", "component 'web' has no selectors", 3),
    (
        "[components]\nweb = ['fastapi', 7]\n",
        "component 'web' must be a list of strings (item 2 is an integer)",
        2,
    ),
    ("[components]\n'a.b' = ['x']\n", "invalid component name 'a.b'", 2),
    ("[components]\nx = [\n 'ok',\n 'app..core',\n]\n", "invalid selector 'app..core'", 4),
    (
        "[components]\nx = ['pypi:red*']\n",
        "external selector 'pypi:red*' cannot contain wildcards in component 'x'",
        2,
    ),
    ("[components]\nx = ['pypi:']\n", "selector 'pypi:' needs a package name after 'pypi:'", 2),
    (
        "[components]\nx = ['pip:redis']\n",
        "unknown prefix 'pip:' in selector 'pip:redis' (did you mean 'pypi:'?)",
        2,
    ),
    ("[components]\nx = ['a/**b/c']\n", "invalid path selector 'a/**b/c'", 2),
    (
        "[components]\nx = ['npm:bad name']\n",
        "invalid npm module name in selector 'npm:bad name'",
        2,
    ),
    ("[components]\nx = ['  ']\n", "component 'x' must not contain an empty string", 2),
    # contracts: shape, name, type
    (
        "contracts = 'x'\n",
        "'contracts' must be an array of tables ([[contracts]]), not a string",
        1,
    ),
    ("[contracts]\nname = 'x'\n", "'contracts' must be an array of tables", 1),
    ("[[contracts]]\ntype = 'layers'\n", "contract #1 has no 'name'", 1),
    ("[[contracts]]\nname = 3\n", "'name' of contract #1 must be a string, not an integer", 2),
    ("[[contracts]]\nname = ' '\n", "'name' of contract #1 must not be empty", 2),
    (
        contract(None),
        "contract 'X' has no 'type' (one of layers, forbidden, independence, acyclic)",
        1,
    ),
    (
        contract("layer"),
        "unknown contract type 'layer' in contract 'X' (did you mean 'layers'?)",
        3,
    ),
    (contract("pipeline"), f"unknown contract type 'pipeline' in contract 'X' {ANY_TYPE}", 3),
    (contract(None, "type = ['layers']"), "'type' of contract 'X' must be a string", 3),
    # contracts: keys
    (
        contract("layers", "layer = ['a', 'b']", name="Backend layers"),
        "unknown key 'layer' in contract 'Backend layers' (did you mean 'layers'?)",
        4,
    ),
    (
        contract("layers", LAYERS_AB, "source = ['a']"),
        "key 'source' does not apply to contract 'X' of type 'layers'"
        " (it belongs to 'forbidden' contracts)",
        5,
    ),
    (contract("layers"), "contract 'X' of type 'layers' needs 'layers'", 1),
    (
        contract("forbidden", "source = ['a']"),
        "contract 'X' of type 'forbidden' needs 'forbidden'",
        1,
    ),
    (contract("independence"), "contract 'X' of type 'independence' needs 'components'", 1),
    (contract("acyclic"), "contract 'X' of type 'acyclic' needs 'packages' or 'modules'", 1),
    (
        contract("layers", "layers = ['a']"),
        "'layers' of contract 'X' needs at least 2 entries",
        4,
    ),
    (
        contract("independence", "components = ['a']"),
        "'components' of contract 'X' needs at least 2 entries",
        4,
    ),
    (
        contract("forbidden", "source = []", "forbidden = ['b']"),
        "'source' of contract 'X' needs at least one entry",
        4,
    ),
    (
        contract("layers", "layers = 'a'"),
        "'layers' of contract 'X' must be a list of strings, not a string",
        4,
    ),
    # contracts: entries
    (
        contract("layers", "layers = [", "  'a | b',", "  'c',", "]"),
        "layer 'a | b' in contract 'X': sibling layers written with '|' are not supported yet",
        5,
    ),
    (
        contract("layers", "layers = ['a', 'b', 'a']"),
        "'a' is listed twice in 'layers' of contract 'X'",
        4,
    ),
    (
        "[components]\nservices = ['app.services']\nrepos = ['app.repos']\n\n"
        + contract("layers", "layers = [", "  'repos',", "  'servics',", "]"),
        "unknown component 'servics' (did you mean 'services'?)",
        10,
    ),
    (
        contract("layers", "layers = ['front-end', 'b']"),
        "unknown component 'front-end' in 'layers' of contract 'X' (and not a valid selector",
        4,
    ),
    (
        contract("layers", "layers = ['a', 'b/[x']"),
        "invalid path selector 'b/[x': unclosed '[' in glob segment '[x'"
        " in 'layers' of contract 'X'",
        4,
    ),
    (
        contract("acyclic", "packages = ['app.*']"),
        "'packages' of contract 'X' must be module names without wildcards, not 'app.*'",
        4,
    ),
    (
        contract("acyclic", "packages = ['pypi:app']"),
        "must be module names without wildcards, not 'pypi:app'",
        4,
    ),
    (
        "[components]\nsvc = ['app.services', 'backend/app/x']\n"
        + contract("acyclic", "packages = ['svc']"),
        "must be module names without wildcards, not 'backend/app/x' (in component 'svc')",
        6,
    ),
    # contracts: ignore_imports and booleans
    (
        contract("layers", LAYERS_AB, "ignore_imports = [", "  'a -> b',", "  'a.b',", "]"),
        "invalid ignore_imports entry 'a.b' in contract 'X': expected 'importer -> imported'",
        7,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_imports = ['a -> b -> c']"),
        "invalid ignore_imports entry 'a -> b -> c'",
        5,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_imports = ['a -> ']"),
        "invalid ignore_imports entry 'a ->' in contract 'X': expected",
        5,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_imports = ['a -> b..c']"),
        "invalid ignore_imports entry 'a -> b..c' in contract 'X': '' is not a valid segment",
        5,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_imports = ['a -> app/x']"),
        "invalid ignore_imports entry 'a -> app/x'",
        5,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_imports = 'a -> b'"),
        "'ignore_imports' of contract 'X' must be a list of strings, not a string",
        5,
    ),
    (
        contract("layers", LAYERS_AB, "ignore_type_only = 'yes'"),
        "'ignore_type_only' of contract 'X' must be true or false, not a string",
        5,
    ),
    (
        contract("forbidden", "source = ['a']", "forbidden = ['b']", "transitive = 1"),
        "'transitive' of contract 'X' must be true or false, not an integer",
        6,
    ),
    # duplicate names: the second contract's name line, mentioning the first
    (
        contract("acyclic", "packages = ['a']", "") + contract("acyclic", "packages = ['b']"),
        "duplicate contract name 'X' (also used by the contract at line 1)",
        7,
    ),
]


@pytest.mark.parametrize(("text", "message", "line"), ERRORS, ids=[m for _, m, _ in ERRORS])
def test_config_errors(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "archlint.toml"
    path.write_text(text, encoding="utf-8")
    error = config_error(path)
    assert message in error.message
    assert error.line == line
    assert error.path == str(path)
    assert error.exit_code == 2


PYPROJECT_ERRORS = [
    (
        "[project]\nname = 'x'\n\n[tool.archlint]\ninclude = []\ncomponets = {}\n",
        "unknown key 'componets' in [tool.archlint] (did you mean 'components'?)",
        6,
    ),
    ("[tool.archlint]\npython.roots = ['../x']\n", "'../x' must not leave the root", 2),
    ("[tool]\narchlint = { include = 'x' }\n", "'include' must be a list of strings", 2),
    ("[tool]\narchlint = 3\n", "'tool.archlint' must be a table, not an integer", 2),
    (
        "[tool.archlint]\ncontracts = 'x'\n",
        "'contracts' must be an array of tables ([[tool.archlint.contracts]])",
        2,
    ),
    (
        "[tool.archlint.components]\nservices = ['app.services']\n\n"
        "[[tool.archlint.contracts]]\nname = 'A'\ntype = 'acyclic'\nmodules = ['a']\n\n"
        "[[tool.archlint.contracts]]\nname = 'B'\ntype = 'forbidden'\n"
        "source = ['services']\nforbidden = ['a']\nignore_imports = [\n  'x.y',\n]\n",
        "invalid ignore_imports entry 'x.y' in contract 'B'",
        15,
    ),
    (
        "[tool.archlint.components]\nservices = ['app.services']\n[[tool.archlint.contracts]]\n"
        "name = 'B'\ntype = 'forbidden'\nsource = ['servces']\nforbidden = ['x']\n",
        "unknown component 'servces' (did you mean 'services'?)",
        6,
    ),
    ("[tool.archlint.contracts]\nname = 'B'\n", "'contracts' must be an array of tables", 1),
]


@pytest.mark.parametrize(
    ("text", "message", "line"), PYPROJECT_ERRORS, ids=[m for _, m, _ in PYPROJECT_ERRORS]
)
def test_pyproject_errors(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    error = config_error(path)
    assert message in error.message
    assert error.line == line


def test_pyproject_without_table_is_an_error_when_given(tmp_path: Path) -> None:
    error = config_error(write(tmp_path, "[project]\nname = 'x'\n", "pyproject.toml"))
    assert error.message == "no [tool.archlint] table in pyproject.toml"


def test_toml_syntax_error_has_line_and_no_location_in_message(tmp_path: Path) -> None:
    path = write(tmp_path, "include = []\n\nexclude = [\"a\" \"b\"]\n")
    error = config_error(path)
    assert error.message.startswith("invalid TOML: ")
    assert "(at line" not in error.message
    assert error.line == 3
    assert str(error) == f"{path}:3: {error.message}"


def test_toml_syntax_error_at_end_of_document(tmp_path: Path) -> None:
    path = write(tmp_path, "include = []\nexclude = [\n  'a',\n")
    error = config_error(path)
    assert error.message.startswith("invalid TOML: ")
    assert "end of document" not in error.message
    assert error.line == 3


def test_non_utf8_config(tmp_path: Path) -> None:
    path = tmp_path / "archlint.toml"
    path.write_bytes(b"include = []\nexclude = ['caf\xe9']\n")
    error = config_error(path)
    assert error.message == "config file is not valid UTF-8 (byte 0xe9)"
    assert error.path == str(path)
    assert error.line == 2


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "archlint.toml"
    path.write_bytes(b"\xef\xbb\xbfinclude = ['src']\n")
    assert load_config(path).include == ("src",)


def test_unreadable_config(tmp_path: Path) -> None:
    error = config_error(tmp_path / "missing.toml")
    assert error.message.startswith("cannot read config file: ")
    assert error.path == str(tmp_path / "missing.toml")
    error = config_error(tmp_path)  # a directory
    assert error.message.startswith("cannot read config file: ")


# ---------------------------------------------------------------------------------------------
# parse_selector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app.routes.**", Selector("app.routes.**", "module", "app.routes.**")),
        ("app", Selector("app", "module", "app")),
        ("backend/app/*.py", Selector("backend/app/*.py", "path", "backend/app/*.py")),
        ("pypi:redis", Selector("pypi:redis", "external", "redis", "pypi")),
        ("pypi:django.http", Selector("pypi:django.http", "external", "django.http", "pypi")),
        ("npm:react", Selector("npm:react", "external", "react", "npm")),
        ("npm:@scope/pkg", Selector("npm:@scope/pkg", "external", "@scope/pkg", "npm")),
        (" app.x ", Selector("app.x", "module", "app.x")),
    ],
)
def test_parse_selector(text: str, expected: Selector) -> None:
    assert parse_selector(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty selector"),
        ("   ", "empty selector"),
            (
            "app.",
            "invalid selector 'app.': '' is not a valid segment of module pattern 'app.'",
        ),
        (
            "app-x",
            "invalid selector 'app-x': 'app-x' is not a valid segment of module pattern 'app-x'",
        ),
        (
            "pypi:a-b",
            "invalid package in selector 'pypi:a-b':"
            " 'a-b' is not a valid segment of module pattern 'a-b'",
        ),
        ("npm:*", "external selector 'npm:*' cannot contain wildcards"),
        ("npn:react", "unknown prefix 'npn:' in selector 'npn:react' (did you mean 'npm:'?)"),
        ("foo:bar", "unknown prefix 'foo:' in selector 'foo:bar' (expected 'pypi:' or 'npm:')"),
    ],
)
def test_parse_selector_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_selector(text)
    assert info.value.message == message


def test_component_named_like_a_module_is_a_selector_inside_components(tmp_path: Path) -> None:
    # Entries of a component are selectors only: "django" in "web" is the module, not the
    # component named "django".
    path = write(tmp_path, "[components]\ndjango = ['django']\nweb = ['django', 'flask']\n")
    assert load_config(path).components["web"].selectors == (mod("django"), mod("flask"))


# ---------------------------------------------------------------------------------------------
# Locator


def test_locator_headers_keys_and_array_elements() -> None:
    text = textwrap.dedent(
        """\
        # [[tool.archlint.contracts]] in a comment
        [tool.archlint]
        python . roots = ["a"]
        "quoted key" = 'x'
        s = \"\"\"
        [[tool.archlint.contracts]]
        \"\"\"

        [[tool.archlint.contracts]]
        name = "A" # ]
        ignore_imports = [
            "a -> b",   # "x",
            '''c
            -> d''',
            "e -> f",
        ]
        [tool.archlint.contracts.sub]
        key = 1

        [[ tool.archlint.contracts ]]
        inline = { a = 1, b = [2,
          3] }
        date = 1979-05-27 07:32:00Z
        """
    )
    locate = Locator(text, ("tool", "archlint"))
    assert locate.line() == 2
    assert locate.line("python") == 3
    assert locate.line("python", "roots") == 3
    assert locate.line("quoted key") == 4
    assert locate.line("contracts", 0) == 9
    assert locate.line("contracts", 0, "name") == 10
    assert locate.line("contracts", 0, "ignore_imports", 0) == 12
    assert locate.line("contracts", 0, "ignore_imports", 1) == 13
    assert locate.line("contracts", 0, "ignore_imports", 2) == 15
    assert locate.line("contracts", 0, "ignore_imports", 3) is None
    assert locate.line("contracts", 0, "sub", "key") == 18
    assert locate.line("contracts", 1) == 20
    assert locate.line("contracts", 1, "inline", "b", 1) == 22
    assert locate.line("contracts", 1, "date") == 23
    assert locate.line("contracts", 2) is None
    assert locate.near("contracts", 1, "missing", 4) == 20
    assert locate.near("nothing") == 2
    assert Locator(text).line("tool", "archlint") == 2


BROKEN_TOML = ["[[[", "a = [1, 2", "a = 'x", "= 3", 'a = """x', "[a]\nb = {", "\x00", "a = {b"]


@pytest.mark.parametrize("text", BROKEN_TOML)
def test_locator_never_crashes(text: str) -> None:
    locate = Locator(text)
    assert locate.line("a", "c") is None
    assert locate.near("zzz") is None


def test_scoped_npm_packages_and_node_builtins_are_external_selectors() -> None:
    from archlint.config.validate import parse_selector

    scoped = parse_selector("@prisma/client")
    assert (scoped.kind, scoped.pattern, scoped.ecosystem, scoped.text) == (
        "external", "@prisma/client", "npm", "@prisma/client",
    )  # fmt: skip
    builtin = parse_selector("node:fs")
    assert (builtin.kind, builtin.pattern, builtin.ecosystem) == ("external", "fs", "node")
    assert parse_selector("app/@modal/**").kind == "path"  # a Next.js folder, not a package
