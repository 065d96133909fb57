"""The JS/TS module resolver, rule by rule, on small trees made in tmp_path.

tests/test_oracle_depcruise_resolve.py checks the same rules against dependency-cruiser on
real trees; these tests pin each rule (and each error) on its own, including the cases
where archlint deliberately differs from dependency-cruiser.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from archlint.errors import ConfigError
from archlint.graph.js_packages import (
    NODE_BUILTINS,
    RootFS,
    match_subpath,
    package_name,
)
from archlint.graph.js_resolve import PROBE_EXTENSIONS, JsResolver, JsTarget
from archlint.graph.tsconfig import match_paths

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")


def make(root: Path, tree: dict[str, str | dict]) -> None:
    """Write files; a dict value is written as JSON."""
    for rel, content in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content) if isinstance(content, dict) else content)


def resolver(root: Path, files: list[str] | None = None) -> JsResolver:
    if files is None:
        files = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.name.endswith(SOURCE_SUFFIXES) and "node_modules" not in p.parts
        )
    return JsResolver(root, files)


def internal(path: str) -> JsTarget:
    return JsTarget("internal", path)


def external(name: str) -> JsTarget:
    return JsTarget("external", name)


def builtin(name: str) -> JsTarget:
    return JsTarget("builtin", name)


# --- relative paths and extension probing -------------------------------------------------


def test_probing_order_prefers_typescript_sources(tmp_path: Path) -> None:
    """.ts > .tsx > .d.ts > .js > .jsx > .mjs > .cjs > .mts > .cts (TypeScript's order for
    the first five). dependency-cruiser probes .js first: a deliberate difference."""
    exts = list(PROBE_EXTENSIONS[:9])
    assert exts == [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"]
    while exts:
        make(tmp_path, {f"src/foo{ext}": "" for ext in exts})
        files = [f"src/foo{ext}" for ext in exts] + ["src/main.ts"]
        assert resolver(tmp_path, files).resolve("src/main.ts", "./foo") == internal(f"src/foo{exts[0]}")
        exts.pop(0)


def test_exact_file_wins(tmp_path: Path) -> None:
    files = ["src/a.js", "src/a.ts", "src/main.ts", "src/b.service.ts"]
    r = resolver(tmp_path, files)
    assert r.resolve("src/main.ts", "./a.js") == internal("src/a.js")
    assert r.resolve("src/main.ts", "./a.ts") == internal("src/a.ts")
    assert r.resolve("src/main.ts", "./b.service") == internal("src/b.service.ts")


@pytest.mark.parametrize(
    ("written", "present", "found"),
    [
        ("./x.js", ["x.ts", "x.tsx", "x.d.ts"], "x.ts"),
        ("./x.js", ["x.tsx", "x.d.ts"], "x.tsx"),
        ("./x.js", ["x.d.ts"], "x.d.ts"),
        ("./x.jsx", ["x.ts", "x.tsx"], "x.tsx"),  # TypeScript: .jsx tries .tsx first
        ("./x.jsx", ["x.ts"], "x.ts"),
        ("./x.mjs", ["x.mts", "x.d.mts", "x.ts"], "x.mts"),
        ("./x.mjs", ["x.d.mts"], "x.d.mts"),
        ("./x.cjs", ["x.cts", "x.d.cts"], "x.cts"),
        ("./x.cjs", ["x.d.cts"], "x.d.cts"),
        ("./x.js", ["x.jsx"], "x.jsx"),
        ("./x.ts", ["x.tsx", "x.js"], "x.tsx"),  # as tsc does with allowImportingTsExtensions
        ("./x.tsx", ["x.ts"], "x.ts"),
        ("./x.d.ts", ["x.ts"], "x.ts"),
    ],
)
def test_output_extension_maps_to_source(
    tmp_path: Path, written: str, present: list[str], found: str
) -> None:
    files = [f"src/{name}" for name in present] + ["src/main.ts"]
    assert resolver(tmp_path, files).resolve("src/main.ts", written) == internal(f"src/{found}")


def test_directory_index_and_package_json(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "src/main.ts": "",
            "src/comp/index.tsx": "",
            "src/comp/index.js": "",
            "src/lib/package.json": {"main": "./entry.js"},
            "src/lib/entry.ts": "",
            "src/lib/index.ts": "",
            "src/built/package.json": {"main": "dist/index.js", "types": "dist/index.d.ts"},
            "src/built/src/index.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("src/main.ts", "./comp") == internal("src/comp/index.tsx")
    assert r.resolve("src/main.ts", "./comp/") == internal("src/comp/index.tsx")
    assert r.resolve("src/main.ts", "./lib") == internal("src/lib/entry.ts")
    assert r.resolve("src/main.ts", "./built") == internal("src/built/src/index.ts")
    assert r.resolve("src/comp/index.tsx", "..") == JsTarget(
        "unresolved", "no file src, src.ts, src/index.ts, ..."
    )


def test_relative_unresolved_and_outside_root(tmp_path: Path) -> None:
    make(tmp_path, {"src/main.ts": "", "../sibling.ts": ""})
    r = resolver(tmp_path)
    missing = r.resolve("src/main.ts", "./missing")
    assert missing.kind == "unresolved" and "src/missing.ts" in missing.target
    outside = r.resolve("src/main.ts", "../../sibling")
    assert outside == JsTarget("unresolved", "../../sibling points outside the project root")


def test_root_absolute_and_query(tmp_path: Path) -> None:
    make(tmp_path, {"src/main.ts": "", "lib/util.ts": "", "src/icon.svg": "<svg/>"})
    r = resolver(tmp_path)
    assert r.resolve("src/main.ts", "/lib/util") == internal("lib/util.ts")
    assert r.resolve("src/main.ts", str(tmp_path.resolve() / "lib" / "util")) == internal("lib/util.ts")
    assert r.resolve("src/main.ts", "./icon.svg?url") == internal("src/icon.svg")


def test_assets_exist_on_disk(tmp_path: Path) -> None:
    """A non-source file that exists inside the root is internal (the graph adds a node);
    one that does not is unresolved. A .js the run does not read (too big, in dist/,
    excluded) is found on disk, and skipped: no module of the graph, and no AL003 either."""
    make(tmp_path, {"src/main.ts": "", "src/a.css": "", "data.json": "{}", "src/gen.js": ""})
    r = resolver(tmp_path, ["src/main.ts"])
    assert r.resolve("src/main.ts", "./a.css") == internal("src/a.css")
    assert r.resolve("src/main.ts", "../data.json") == internal("data.json")
    assert r.resolve("src/main.ts", "./nope.css").kind == "unresolved"
    assert r.resolve("src/main.ts", "./gen.js") == JsTarget("skipped", "src/gen.js")
    assert r.resolve("src/main.ts", "./gen").kind == "skipped"
    assert r.resolve("src/main.ts", "./gone.js").kind == "unresolved"


# --- built-ins, packages, URLs ---------------------------------------------------------


def test_builtins() -> None:
    assert {"fs", "fs/promises", "path/posix", "worker_threads"} <= NODE_BUILTINS
    assert "test" not in NODE_BUILTINS  # node:test exists only with the prefix
    r = JsResolver(Path("/nonexistent-root"), [])
    assert r.resolve("a.ts", "fs") == builtin("fs")
    assert r.resolve("a.ts", "fs/promises") == builtin("fs/promises")
    assert r.resolve("a.ts", "node:fs") == builtin("fs")
    assert r.resolve("a.ts", "node:test") == builtin("test")
    assert r.resolve("a.ts", "node:sqlite") == builtin("sqlite")
    assert r.resolve("a.ts", "bun:sqlite") == builtin("bun:sqlite")
    assert r.resolve("a.ts", "test") == external("test")


def test_externals_urls_and_empty(tmp_path: Path) -> None:
    r = resolver(tmp_path, ["a.ts"])
    assert r.resolve("a.ts", "react") == external("react")
    assert r.resolve("a.ts", "react-dom/client") == external("react-dom")
    assert r.resolve("a.ts", "lodash/fp") == external("lodash")
    assert r.resolve("a.ts", "@scope/pkg/sub/deep") == external("@scope/pkg")
    assert r.resolve("a.ts", "https://esm.sh/react@18") == external("https://esm.sh/react@18")
    assert r.resolve("a.ts", "data:text/javascript,1") == external("data:text/javascript,1")
    assert r.resolve("a.ts", "npm:react@18/jsx-runtime") == external("react")
    assert r.resolve("a.ts", "jsr:@std/path@1") == external("@std/path")
    assert r.resolve("a.ts", "").kind == "unresolved"
    assert package_name("@scope/pkg/x") == "@scope/pkg" and package_name("a/b") == "a"


# --- tsconfig: paths, baseUrl, nearest config ----------------------------------------------


def test_paths_longest_prefix_exact_and_targets_in_order(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": {
                "compilerOptions": {
                    "paths": {
                        "*": ["types/*"],
                        "@/*": ["src/*"],
                        "@/components/*": ["src/ui/*"],
                        "@two/*": ["src/first/*", "src/second/*"],
                        "@exact": ["src/exact.ts"],
                        "@exact*": ["src/never/*"],
                    }
                }
            },
            "src/main.ts": "",
            "src/ui/Button.tsx": "",
            "src/components/Button.tsx": "",
            "src/first/a.ts": "",
            "src/second/a.ts": "",
            "src/second/b.ts": "",
            "src/exact.ts": "",
            "types/globals.d.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("src/main.ts", "@/components/Button") == internal("src/ui/Button.tsx")
    assert r.resolve("src/main.ts", "@/exact") == internal("src/exact.ts")
    assert r.resolve("src/main.ts", "@two/a") == internal("src/first/a.ts")
    assert r.resolve("src/main.ts", "@two/b") == internal("src/second/b.ts")
    assert r.resolve("src/main.ts", "@exact") == internal("src/exact.ts")
    assert r.resolve("src/main.ts", "globals") == internal("types/globals.d.ts")
    # A catch-all that finds nothing leaves npm packages alone...
    assert r.resolve("src/main.ts", "react") == external("react")
    # ...any other alias that finds nothing is unresolved, with the reason.
    missing = r.resolve("src/main.ts", "@two/c")
    assert missing.kind == "unresolved"
    assert "alias @two/* in tsconfig.json" in missing.target and "src/second/c" in missing.target
    assert match_paths((("a*", ()), ("ab*", ())), "abc")[0] == "ab*"  # type: ignore[index]


def test_paths_relative_to_config_or_base_url(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "app/tsconfig.json": {"compilerOptions": {"paths": {"~/*": ["./src/*"]}}},
            "app/src/x.ts": "",
            "web/tsconfig.json": {
                "compilerOptions": {"baseUrl": "./src", "paths": {"~/*": ["lib/*"]}}
            },
            "web/src/lib/y.ts": "",
            "web/src/models/user.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("app/src/x.ts", "~/x") == internal("app/src/x.ts")
    assert r.resolve("web/src/lib/y.ts", "~/y") == internal("web/src/lib/y.ts")
    # baseUrl alone makes bare names resolve when the file exists there.
    assert r.resolve("web/src/lib/y.ts", "models/user") == internal("web/src/models/user.ts")
    assert r.resolve("web/src/lib/y.ts", "models/nope") == external("models")


def test_paths_onto_node_modules_are_external(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": {
                "compilerOptions": {
                    "paths": {
                        "react": ["./node_modules/@types/react"],
                        "@emotion/*": ["node_modules/@types/emotion__*"],
                        "vendor/*": ["./node_modules/some-lib/dist/*"],
                    }
                }
            },
            "a.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("a.ts", "react") == external("react")
    assert r.resolve("a.ts", "@emotion/css") == external("@emotion/css")
    assert r.resolve("a.ts", "vendor/x") == external("some-lib")


def test_nearest_config_and_jsconfig(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": {"compilerOptions": {"paths": {"@/*": ["root/*"]}}},
            "root/a.ts": "",
            "pkg/jsconfig.json": {"compilerOptions": {"paths": {"@/*": ["lib/*"]}}},
            "pkg/lib/a.js": "",
            "both/tsconfig.json": {"compilerOptions": {"paths": {"@/*": ["ts/*"]}}},
            "both/jsconfig.json": {"compilerOptions": {"paths": {"@/*": ["js/*"]}}},
            "both/ts/a.ts": "",
            "both/js/a.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("root/a.ts", "@/a") == internal("root/a.ts")
    assert r.resolve("pkg/lib/deep/x.js", "@/a") == internal("pkg/lib/a.js")
    assert r.resolve("both/ts/a.ts", "@/a") == internal("both/ts/a.ts")  # tsconfig wins


def test_extends_relative_array_and_package(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            # Later bases win; the file's own options win over all; paths are replaced whole.
            "tsconfig.json": {
                "extends": ["./configs/base", "@org/tsconfig/strict.json", "@org/plain"],
                "compilerOptions": {"strict": True},
            },
            # A base's baseUrl and paths are relative to the base file.
            "configs/base.json": {
                "compilerOptions": {"baseUrl": "..", "paths": {"@base/*": ["src/base/*"]}}
            },
            "node_modules/@org/tsconfig/package.json": {"name": "@org/tsconfig"},
            "node_modules/@org/tsconfig/strict.json": {
                "compilerOptions": {"paths": {"@pkg/*": ["./pkgsrc/*"]}}
            },
            "node_modules/@org/plain/package.json": {"name": "@org/plain", "tsconfig": "cfg/ts.json"},
            "node_modules/@org/plain/cfg/ts.json": {"compilerOptions": {"noEmit": True}},
            "src/main.ts": "",
            "src/base/b.ts": "",
            "src/models/m.ts": "",
            "pkgsrc/p.ts": "",
        },
    )
    r = resolver(tmp_path)
    # @org/tsconfig's paths replaced configs/base's; they resolve against the effective
    # baseUrl (the base's "..", i.e. the root), not node_modules.
    assert r.resolve("src/main.ts", "@pkg/p") == internal("pkgsrc/p.ts")
    assert r.resolve("src/main.ts", "@base/b") == external("@base/b")
    assert r.resolve("src/main.ts", "src/models/m") == internal("src/models/m.ts")  # baseUrl ".."
    config = r.tsconfigs.for_dir("src")
    assert config is not None and config.base_url == "" and config.path == "tsconfig.json"


def test_extends_paths_without_base_url_stay_relative_to_their_file(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "apps/web/tsconfig.json": {"extends": "../../tsconfig.base.json"},
            "tsconfig.base.json": {"compilerOptions": {"paths": {"@lib/*": ["libs/*"]}}},
            "libs/a.ts": "",
            "apps/web/main.ts": "",
        },
    )
    assert resolver(tmp_path).resolve("apps/web/main.ts", "@lib/a") == internal("libs/a.ts")


def test_null_resets_inherited_options(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "base.json": {"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}}},
            "tsconfig.json": {"extends": "./base.json", "compilerOptions": {"paths": None, "baseUrl": None}},
            "src/a.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("src/a.ts", "@/a") == external("@/a")
    assert r.resolve("src/a.ts", "src/a") == external("src")


def test_config_dir_template_and_absolute_targets(tmp_path: Path) -> None:
    """TS 5.5's ${configDir} means the folder of the config in use, even from a base."""
    make(
        tmp_path,
        {
            "configs/base.json": {
                "compilerOptions": {
                    "paths": {
                        "@/*": ["${configDir}/src/*"],
                        "@abs/*": [str(tmp_path.resolve() / "shared" / "*")],
                    }
                }
            },
            "apps/a/tsconfig.json": {"extends": "../../configs/base.json"},
            "apps/a/src/x.ts": "",
            "apps/b/tsconfig.json": {"extends": "../../configs/base.json"},
            "apps/b/src/x.ts": "",
            "shared/s.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("apps/a/src/x.ts", "@/x") == internal("apps/a/src/x.ts")
    assert r.resolve("apps/b/src/x.ts", "@/x") == internal("apps/b/src/x.ts")
    assert r.resolve("apps/b/src/x.ts", "@abs/s") == internal("shared/s.ts")


def test_extends_from_package_json_default_and_tsconfig_json(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "packages/app/tsconfig.json": {"extends": "@tsconfig/node18"},
            # Found in a node_modules higher up, like TypeScript's node_modules walk.
            "node_modules/@tsconfig/node18/package.json": {"name": "@tsconfig/node18"},
            "node_modules/@tsconfig/node18/tsconfig.json": {
                "compilerOptions": {"baseUrl": ".", "paths": {"@n/*": ["x/*"]}}
            },
            "packages/app/a.ts": "",
        },
    )
    r = resolver(tmp_path)
    config = r.tsconfigs.for_dir("packages/app")
    assert config is not None and config.base_url == "node_modules/@tsconfig/node18"
    assert r.resolve("packages/app/a.ts", "react") == external("react")


# --- tsconfig errors ---------------------------------------------------------------------


def test_jsonc_comments_and_trailing_commas(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": '{\n  // comment\n  "compilerOptions": {\n    /* block */\n'
            '    "paths": {"@/*": ["src/*",],},\n  },\n}\n',
            "src/a.ts": "",
        },
    )
    assert resolver(tmp_path).resolve("src/a.ts", "@/a") == internal("src/a.ts")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{\n  // comment\n  "compilerOptions": {\n    "baseUrl": "."\n    "paths": {}\n  }\n}\n', 5),
        ('{\n  "compilerOptions": {\n    "baseUrl": .,\n  }\n}\n', 3),  # json5 gives no line here
        ('{\n  "compilerOptions": {},\n  "include": ["src"\n', 4),
    ],
)
def test_broken_tsconfig_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    make(tmp_path, {"web/tsconfig.json": text, "web/a.ts": ""})
    with pytest.raises(ConfigError) as caught:
        resolver(tmp_path).resolve("web/a.ts", "react")
    assert (caught.value.path, caught.value.line) == ("web/tsconfig.json", line)
    assert str(caught.value).startswith(f"web/tsconfig.json:{line}: invalid JSON")


def test_empty_tsconfig_is_an_empty_object(tmp_path: Path) -> None:
    make(tmp_path, {"tsconfig.json": "\n", "a.ts": ""})
    assert resolver(tmp_path).resolve("a.ts", "react") == external("react")


def test_relative_imports_never_need_the_tsconfig(tmp_path: Path) -> None:
    make(tmp_path, {"tsconfig.json": "{ nope", "a.ts": "", "b.ts": ""})
    assert resolver(tmp_path).resolve("a.ts", "./b") == internal("b.ts")


def test_cyclic_extends(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": {"extends": "./a.json"},
            "a.json": {"extends": "./b"},
            "b.json": {"extends": "./a.json"},
            "x.ts": "",
        },
    )
    with pytest.raises(ConfigError) as caught:
        resolver(tmp_path).resolve("x.ts", "react")
    assert caught.value.path == "b.json"
    assert "extends cycle: a.json -> b.json -> a.json" in caught.value.message


def test_missing_extends(tmp_path: Path) -> None:
    make(tmp_path, {"tsconfig.json": '{\n  "extends": "./nope.json"\n}', "x.ts": ""})
    with pytest.raises(ConfigError) as caught:
        resolver(tmp_path).resolve("x.ts", "react")
    assert (caught.value.path, caught.value.line) == ("tsconfig.json", 2)
    assert "nope.json" in caught.value.message

    make(tmp_path, {"tsconfig.json": {"extends": "tsconfig.base.json"}, "tsconfig.base.json": {}})
    with pytest.raises(ConfigError, match=r"not found in node_modules \(did you mean './tsconfig.base.json'\?\)"):
        resolver(tmp_path).resolve("x.ts", "react")

    make(tmp_path, {"tsconfig.json": {"extends": "@tsconfig/missing/tsconfig.json"}})
    with pytest.raises(ConfigError, match="not found in node_modules"):
        resolver(tmp_path).resolve("x.ts", "react")


@pytest.mark.parametrize(
    "config",
    [
        {"extends": 3},
        {"compilerOptions": []},
        {"compilerOptions": {"paths": ["x"]}},
        {"compilerOptions": {"paths": {"@/*": "src/*"}}},
        {"compilerOptions": {"baseUrl": 1}},
        [1, 2],
    ],
)
def test_malformed_tsconfig_values(tmp_path: Path, config: object) -> None:
    (tmp_path / "tsconfig.json").write_text(json.dumps(config))
    with pytest.raises(ConfigError) as caught:
        resolver(tmp_path, ["x.ts"]).resolve("x.ts", "react")
    assert caught.value.path == "tsconfig.json"


def test_extends_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make(tmp_path, {"outside.json": {}, "root/tsconfig.json": {"extends": "../outside.json"}})
    with pytest.raises(ConfigError, match="points outside the project root"):
        resolver(root, ["x.ts"]).resolve("x.ts", "react")


# --- the root is a boundary ----------------------------------------------------------------


def test_alias_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "app"
    make(
        tmp_path,
        {
            "shared/x.ts": "",
            "app/tsconfig.json": {
                "compilerOptions": {"paths": {"@shared/*": ["../shared/*", "src/*"]}}
            },
            "app/src/x.ts": "",
        },
    )
    got = resolver(root).resolve("src/x.ts", "@shared/x")
    # The first target is outside: we cannot know whether TypeScript stops there, so we stop.
    assert got == JsTarget(
        "unresolved", "alias @shared/x points outside the project root (../shared/x)"
    )


def test_symlinked_configs_outside_root_are_not_read(tmp_path: Path) -> None:
    root = tmp_path / "app"
    make(
        tmp_path,
        {
            "evil/tsconfig.json": {"compilerOptions": {"paths": {"@/*": ["src/*"]}}},
            "evil/package.json": {"imports": {"#x": "./src/a.ts"}},
            "app/src/a.ts": "",
        },
    )
    os.symlink(tmp_path / "evil" / "tsconfig.json", root / "tsconfig.json")
    os.symlink(tmp_path / "evil" / "package.json", root / "package.json")
    r = resolver(root)
    assert r.resolve("src/a.ts", "@/a") == external("@/a")
    assert r.resolve("src/a.ts", "#x").kind == "unresolved"
    assert RootFS(root).read_text("tsconfig.json") is None


# --- package.json "imports" ----------------------------------------------------------------


def test_subpath_imports_conditions_and_patterns(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": {
                "imports": {
                    # Key order says require first; archlint ranks import > ... > default.
                    "#dep": {"require": "./src/dep.cjs", "import": "./src/dep.mjs"},
                    "#typed": {"types": "./src/typed.ts", "default": "./dist/typed.js"},
                    "#untyped": {"types": "./dist/untyped.d.ts", "default": "./src/untyped.js"},
                    "#nested": {"node": {"import": "./src/n.mjs"}, "default": "./src/d.js"},
                    "#lib/*": "./src/lib/*",
                    "#lib/special/*": "./src/special/*.ts",
                    "#pkg": "some-package/sub",
                    "#fs": "node:fs",
                    "#null": None,
                }
            },
            "src/main.ts": "",
            "src/dep.cjs": "",
            "src/dep.mjs": "",
            "src/typed.ts": "",
            "src/untyped.js": "",
            "src/n.mjs": "",
            "src/d.js": "",
            "src/lib/a.ts": "",
            "src/special/b.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("src/main.ts", "#dep") == internal("src/dep.mjs")
    assert r.resolve("src/main.ts", "#typed") == internal("src/typed.ts")
    assert r.resolve("src/main.ts", "#untyped") == internal("src/untyped.js")
    assert r.resolve("src/main.ts", "#nested") == internal("src/n.mjs")
    assert r.resolve("src/main.ts", "#lib/a.js") == internal("src/lib/a.ts")
    assert r.resolve("src/main.ts", "#lib/special/b") == internal("src/special/b.ts")
    assert r.resolve("src/main.ts", "#pkg") == external("some-package")
    assert r.resolve("src/main.ts", "#fs") == builtin("fs")
    assert r.resolve("src/main.ts", "#null").kind == "unresolved"
    assert "not in the \"imports\"" in r.resolve("src/main.ts", "#nope").target


def test_subpath_imports_use_the_nearest_package_json(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": {"imports": {"#x": "./a.ts"}},
            "a.ts": "",
            "sub/package.json": {"name": "sub"},
            "sub/b.ts": "",
        },
    )
    r = resolver(tmp_path)
    assert r.resolve("a.ts", "#x") == internal("a.ts")
    got = r.resolve("sub/b.ts", "#x")
    assert got.kind == "unresolved" and "sub/package.json" in got.target


def test_match_subpath_pattern_order() -> None:
    mapping = {"./*": 1, "./a/*": 2, "./a/*.js": 3, "./a/b": 4}
    assert match_subpath(mapping, "./a/b") == (4, None)
    assert match_subpath(mapping, "./a/c.js") == (3, "c")
    assert match_subpath(mapping, "./a/c") == (2, "c")
    assert match_subpath(mapping, "./z") == (1, "z")
    assert match_subpath({"./x": 1}, "./y") is None


# --- workspaces ------------------------------------------------------------------------


WORKSPACE_PACKAGES: dict[str, str | dict] = {
    "packages/ui/package.json": {
        "name": "@acme/ui",
        "exports": {
            ".": {"source": "./src/missing.ts", "types": "./dist/index.d.ts", "import": "./dist/index.mjs"},
            "./button": {"types": "./src/button.tsx", "default": "./dist/button.js"},
            "./icons/*": "./dist/esm/icons/*.js",
            "./internal/*": None,
        },
    },
    "packages/ui/src/index.ts": "",
    "packages/ui/src/button.tsx": "",
    "packages/ui/src/icons/star.tsx": "",
    "packages/ui/src/internal/x.ts": "",
    "packages/utils/package.json": {"name": "@acme/utils", "main": "dist/index.js"},
    "packages/utils/src/index.ts": "",
    "packages/utils/src/math.ts": "",
    "packages/bare/package.json": {"name": "bare"},
    "packages/bare/index.js": "",
    "packages/plain/package.json": {"name": "plain", "module": "./lib/entry.mjs"},
    "packages/plain/lib/entry.mjs": "",
    "packages/legacy/package.json": {"name": "legacy"},
    "packages/legacy/index.ts": "",
    "apps/web/package.json": {"name": "web"},
    "apps/web/src/main.ts": "",
}


@pytest.mark.parametrize(
    "declaration",
    [
        {"package.json": {"name": "root", "workspaces": ["packages/*", "apps/*", "!packages/legacy"]}},
        {"package.json": {"workspaces": {"packages": ["packages/**", "apps/web", "!packages/legacy"]}}},
        {"pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - apps/*\n  - '!packages/legacy'\n"},
        {"lerna.json": {"packages": ["packages/*", "apps/*", "!packages/legacy"]}},
    ],
)
def test_workspace_packages_resolve_to_source(tmp_path: Path, declaration: dict) -> None:
    make(tmp_path, {**WORKSPACE_PACKAGES, **declaration})
    r = resolver(tmp_path)
    main = "apps/web/src/main.ts"
    # "source" names a missing file: fall through to "import", mapped from dist/ to src/.
    assert r.resolve(main, "@acme/ui") == internal("packages/ui/src/index.ts")
    assert r.resolve(main, "@acme/ui/button") == internal("packages/ui/src/button.tsx")
    assert r.resolve(main, "@acme/ui/icons/star") == internal("packages/ui/src/icons/star.tsx")
    assert r.resolve(main, "@acme/ui/internal/x").kind == "unresolved"
    assert "does not export ./nope" in r.resolve(main, "@acme/ui/nope").target
    assert r.resolve(main, "@acme/utils") == internal("packages/utils/src/index.ts")
    assert r.resolve(main, "@acme/utils/math") == internal("packages/utils/src/math.ts")
    assert r.resolve(main, "bare") == internal("packages/bare/index.js")
    assert r.resolve(main, "plain") == internal("packages/plain/lib/entry.mjs")
    assert r.resolve(main, "legacy") == external("legacy")  # excluded by "!packages/legacy"
    assert r.resolve(main, "react") == external("react")


def test_broken_pnpm_workspace(tmp_path: Path) -> None:
    make(tmp_path, {"pnpm-workspace.yaml": "packages:\n  - 'a\n  -: [\n", "a.ts": ""})
    with pytest.raises(ConfigError) as caught:
        resolver(tmp_path).resolve("a.ts", "react")
    assert caught.value.path == "pnpm-workspace.yaml" and caught.value.line is not None


def test_broken_package_json_is_ignored(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": "{ nope", "lib/package.json": "[", "lib/index.ts": "", "a.ts": ""})
    r = resolver(tmp_path)
    assert r.resolve("a.ts", "react") == external("react")
    assert r.resolve("a.ts", "./lib") == internal("lib/index.ts")


# --- caching and speed ---------------------------------------------------------------


def test_config_files_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(
        tmp_path,
        {
            "tsconfig.json": {"extends": "./base.json"},
            "base.json": {"compilerOptions": {"paths": {"@/*": ["src/*"]}}},
            "package.json": {"workspaces": ["packages/*"], "imports": {"#a": "./src/a.ts"}},
            "packages/p/package.json": {"name": "p"},
            "packages/p/index.ts": "",
            "src/a.ts": "",
            "src/deep/b.ts": "",
        },
    )
    reads: list[str] = []
    original = RootFS.read_text

    def counting(self: RootFS, rel: str) -> str | None:
        reads.append(rel)
        return original(self, rel)

    monkeypatch.setattr(RootFS, "read_text", counting)
    r = resolver(tmp_path)
    for importer in ("src/a.ts", "src/deep/b.ts", "packages/p/index.ts"):
        for spec in ("@/a", "#a", "p", "react", "./x", "@/deep/b"):
            r.resolve(importer, spec)
    assert sorted(reads) == sorted(set(reads)), reads
    assert {"tsconfig.json", "base.json", "package.json", "packages/p/package.json"} <= set(reads)
    assert r.resolve("src/a.ts", "@/a") is r.resolve("src/a.ts", "@/a")


def test_five_thousand_files_resolve(tmp_path: Path) -> None:
    """~50,000 import sites of a 5,000-file project (timed by benchmarks/, not here)."""
    make(
        tmp_path,
        {
            "tsconfig.json": {"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}}},
            "package.json": {"imports": {"#lib/*": "./src/lib/*"}},
        },
    )
    files = [f"src/feature{f}/{kind}{i}.ts" for f in range(100) for kind in ("c", "s") for i in range(25)]
    sites = []
    for path in files:
        feature = path.split("/")[1]
        n = int(feature[7:])
        sites += [
            (path, "./c1"), (path, "./s2.js"), (path, f"../feature{(n + 1) % 100}/c3"),
            (path, f"@/feature{(n + 7) % 100}/s4"), (path, "react"), (path, "node:fs"),
            (path, "#lib/x"), (path, "lodash/fp"), (path, "./missing"), (path, "@/nope/x"),
        ]  # fmt: skip
    r = JsResolver(tmp_path, files)
    kinds = {}
    for importer, spec in sites:
        kinds[spec.split("/")[0]] = r.resolve(importer, spec).kind
    assert len(sites) == 50_000
    assert r.resolve("src/feature3/c0.ts", "@/feature4/s4") == internal("src/feature4/s4.ts")
    assert kinds["react"] == "external" and kinds["node:fs"] == "builtin"
    assert r.resolve("src/feature3/c0.ts", "./missing").kind == "unresolved"


def test_imports_of_files_the_run_skips_are_no_unresolved_imports(tmp_path: Path, capsys) -> None:
    # A package's entry re-exporting its build (dist/ is not read), a bundle over the size
    # limit: the files are there, only not read. A missing file is still reported.
    import json as json_module

    from tests.test_cli import run, write_tree

    write_tree(tmp_path, {
        "index.js": "module.exports = require('./dist/lib');\n",
        "dist/lib.js": "exports.x = 1;\n",
        "src/app.ts": "import big from './big';\nimport gone from './gone';\n",
        "src/big.js": "// generated\n" + "x = 1;\n" * 200_000,  # over 1 MiB
    })  # fmt: skip
    code, out, err = run(["check", str(tmp_path), "--no-cache", "--format", "json"], capsys)
    found = [(f["code"], f["path"], f["line"]) for f in json_module.loads(out)["findings"]]
    assert found == [("AL003", "src/app.ts", 2)]
    assert "src/big.js" in err  # the size limit is said
