"""`archlint graph`'s pictures: red violating edges in dot and mermaid, and the HTML page.

The page is checked twice: its data and markup from Python, and its rendered DOM in
headless Chromium (Debian's package, driven over the DevTools protocol by tests/cdp.py).
Without Chromium the browser tests skip, unless ARCHLINT_REQUIRE_ORACLES=1 (CI), where a
missing browser fails them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest

from archlint.cli import main
from archlint.findings import Finding, Hop
from archlint.graph.model import ImportGraph, Node, Site
from archlint.render import collapse, dot, folder, mermaid
from archlint.render.html import _ranks, json_for_script, page_data, render
from archlint.render.violations import violating_edges

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"
SAMPLE = REPO / "fixtures" / "sample_app"
RED = "rgb(220, 38, 38)"


def run(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    return int(exit_.value.code), capsys.readouterr().out


def make_graph(edges: list[tuple[str, str]], kinds: dict[tuple[str, str], str] | None = None) -> ImportGraph:
    graph = ImportGraph()
    for module in sorted({m for edge in edges for m in edge}):
        graph.add_node(Node(module, module.replace(".", "/") + ".py", "python"))
    for importer, imported in edges:
        kind = (kinds or {}).get((importer, imported), "import")
        graph.add_import(importer, imported, Site(importer.replace(".", "/") + ".py", 1, 1, kind, imported))
    return graph


def chain_finding(*modules: str, message: str = "bad", contract: str = "C") -> Finding:
    hops = tuple(Hop(a, b, a.replace(".", "/") + ".py", 1) for a, b in pairwise(modules))
    return Finding("AL101", "layers", "error", message, hops[0].path, 1, 1, contract, hops)


def red_section(dot_text: str) -> tuple[str, str]:
    """(the edges drawn normally, those in the red subgraph)."""
    normal, _, red = dot_text.partition("  subgraph violations {\n")
    return normal, red


# --- dot and mermaid ---------------------------------------------------------------------


def test_dot_draws_the_fixtures_violations_red(capsys) -> None:
    code, out = run(["graph", str(LAYERED), "--no-cache", "--format", "dot"], capsys)
    assert code == 0
    normal, red = red_section(out)
    assert red.startswith("    edge [color=red, penwidth=2];\n")
    assert '    "app.services.orders" -> "app.routes.orders";' in red  # AL101
    assert '    "app.repositories.orders" -> "app.helpers";' in red  # hop of an indirect chain
    assert '    "app.repositories.orders" -> "app.services.orders" [style=dashed];' in red
    assert '  "app.routes.orders" -> "app.services.orders";' in normal  # allowed: not red
    assert '"app.routes.orders" -> "app.services.orders";' not in red
    assert out.count(" -> ") == 14  # every edge once, red or not


def test_collapsed_edge_is_red_when_any_folded_import_violates() -> None:
    graph = make_graph([("a.x.one", "b.y.one"), ("a.x.two", "b.y.two"), ("a.x.two", "c.z.one")])
    findings = [chain_finding("a.x.one", "b.y.one")]
    folded = collapse(graph, 2)
    red_edges = violating_edges(findings, folder(graph, 2))
    assert red_edges == {("a.x", "b.y")}
    normal, red = red_section(dot.render(folded, red_edges))
    assert '"a.x" -> "b.y";' in red and '"a.x" -> "c.z";' in normal and '"a.x" -> "c.z"' not in red
    # An import inside one folded package is no edge of the folded graph: nothing to colour.
    assert violating_edges([chain_finding("a.x.one", "a.x.two")], folder(graph, 2)) == set()


def test_mermaid_link_style_numbers_the_red_links(capsys) -> None:
    code, out = run(["graph", str(LAYERED), "--no-cache", "--format", "mermaid", "--collapse", "2"], capsys)
    assert code == 0
    lines = out.splitlines()
    names = {m.group(1): m.group(2) for m in (re.match(r'  (n\d+)\(?\["(.*)"\]\)?$', ln) for ln in lines) if m}
    links = [(names[a], names[b]) for a, b in (re.findall(r"n\d+", ln) for ln in lines if "-->" in ln or "-.->" in ln)]
    style = [ln for ln in lines if ln.startswith("  linkStyle ")]
    assert len(style) == 1 and style[0].endswith(" stroke:red,stroke-width:2px")
    red = {links[int(n)] for n in style[0].split()[1].split(",")}
    assert ("app.services", "app.routes") in red and ("app.repositories", "app.helpers") in red
    assert ("app.routes", "app.services") not in red and ("app.repositories", "app.domain") not in red


def test_without_violations_dot_and_mermaid_are_unchanged(capsys) -> None:
    graph = make_graph([("a.b", "c.d"), ("c.d", "e")], {("c.d", "e"): "type_only"})
    assert dot.render(graph) == dot.render(graph, set())
    assert "subgraph" not in dot.render(graph) and "red" not in dot.render(graph)
    assert "linkStyle" not in mermaid.render(graph, set())
    for output_format in ("dot", "mermaid"):
        code, out = run(["graph", str(SAMPLE), "--no-cache", "--format", output_format], capsys)
        assert code == 0 and "subgraph violations" not in out and "linkStyle" not in out


def test_a_contract_that_cannot_be_checked_leaves_the_picture_uncoloured(tmp_path: Path, capsys) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "a.py").write_text("import app.b\n")
    (tmp_path / "app" / "b.py").write_text("")
    (tmp_path / "archlint.toml").write_text(
        '[[contracts]]\nname = "L"\ntype = "layers"\nlayers = ["app.nothing", "app"]\n'
    )
    with pytest.raises(SystemExit) as exit_:
        main(["graph", str(tmp_path), "--no-cache", "--format", "dot"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and '  "app.a" -> "app.b";' in out and "subgraph" not in out
    assert "note: violations are not shown:" in err and "app.nothing" in err


# --- the page, from Python ----------------------------------------------------------------


def test_json_in_a_script_element_cannot_close_it() -> None:
    value = {"m": "</script><script>alert(1)</script> <!-- & \u2028 ok"}
    text = json_for_script(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_page_keeps_hostile_names_as_data() -> None:
    hostile = "</script><script>window.pwned = 1</script><!--"
    graph = make_graph([("app.a", "app.b")])
    finding = chain_finding("app.a", "app.b", message=hostile, contract=hostile)
    page = render(graph, {("app.a", "app.b")}, findings=[finding], title="<b>x</b>")
    assert page.lower().count("</script") == 2  # the data's and the script's own
    assert "<title>archlint graph: &lt;b&gt;x&lt;/b&gt;</title>" in page
    raw = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL)
    data = json.loads(raw.group(1))
    assert data["findings"][0]["message"] == hostile and data["findings"][0]["contract"] == hostile


def test_page_is_self_contained(tmp_path: Path, capsys) -> None:
    target = tmp_path / "graph.html"
    code, _ = run(["graph", str(LAYERED), "--no-cache", "--format", "html", "-o", str(target)], capsys)
    page = target.read_text(encoding="utf-8")
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|@import|url\(http", page)
    assert set(re.findall(r"https?://[^\s\"'`]+", page)) == {"http://www.w3.org/2000/svg"}
    for asset in ("graph.js", "graph.css", "page.html"):  # package data, shipped in the wheel
        assert resources.files("archlint.render").joinpath("assets", asset).is_file()


def layered_data() -> dict:
    from archlint import engine
    from archlint.config.load import load_config
    from archlint.render.html import component_members
    from archlint.render.violations import graph_findings

    config = load_config(LAYERED / "archlint.toml", LAYERED)
    findings, notes, checked = graph_findings(config, use_cache=False)
    assert not notes
    graph = engine.load_project(config, use_cache=False).graph
    assert checked is not None and checked.nodes == graph.nodes  # the check's graph is the same
    return page_data(graph, violations=violating_edges(findings), findings=findings,
                     components=component_members(graph, config), title="layered_app")  # fmt: skip


def test_page_data_groups_by_component_and_ranks_importers_first() -> None:
    data = layered_data()
    groups = [(g["name"], g["kind"]) for g in data["groups"]]
    assert groups == [("routes", "component"), ("services", "component"), ("repositories", "component"),
                      ("app", "package"), ("app.domain", "package"), ("external packages", "external")]  # fmt: skip
    group_of = {n["id"]: data["groups"][n["group"]]["name"] for n in data["nodes"]}
    assert group_of["app.services.billing"] == "services"  # a path glob selects it
    assert group_of["app.helpers"] == "app" and group_of["app.domain.pricing"] == "app.domain"
    assert group_of["django"] == "external packages"
    rank = {g["name"]: g["rank"] for g in data["groups"]}
    assert rank["routes"] < rank["services"] < rank["repositories"]
    assert rank["external packages"] == max(rank.values())
    ids = [n["id"] for n in data["nodes"]]
    flags = {(ids[s], ids[t]): f for s, t, f, _ in data["edges"]}
    assert flags[("app.services.orders", "app.routes.orders")] == 1  # violates
    assert flags[("app.routes.orders", "app.services.orders")] == 0
    assert flags[("app.repositories.orders", "app.services.orders")] == 3  # violates, type-only
    assert data["view"] == "module" and len(data["findings"]) == 9


def test_a_module_in_several_components_goes_to_the_first_and_says_so() -> None:
    graph = make_graph([("p.m", "p.n")])
    data = page_data(graph, components=[("first", {"p.m"}), ("second", {"p.m", "p.n"})])
    by_id = {n["id"]: n for n in data["nodes"]}
    assert data["groups"][by_id["p.m"]["group"]]["name"] == "first" and by_id["p.m"]["also"] == ["second"]
    assert data["groups"][by_id["p.n"]["group"]]["name"] == "second" and by_id["p.n"]["also"] == []


def test_large_graphs_open_on_the_component_view() -> None:
    small = make_graph([(f"app.m{i:03}", "app.core") for i in range(299)])
    large = make_graph([(f"app.m{i:03}", "app.core") for i in range(300)])
    assert page_data(small)["view"] == "module" and page_data(large)["view"] == "component"


def test_ranks_break_cycles_the_same_way_every_time() -> None:
    assert _ranks(3, [(0, 1), (1, 2), (2, 0)]) == [0, 1, 2]
    assert _ranks(4, [(0, 2), (1, 2), (2, 3), (0, 3)]) == [0, 0, 1, 2]


# --- the page, in headless Chromium -----------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium")
    if executable is None:
        message = "chromium is not installed (apt-get install chromium): browser tests skipped"
        if os.environ.get("ARCHLINT_REQUIRE_ORACLES") == "1":
            pytest.fail(message + " (ARCHLINT_REQUIRE_ORACLES=1)")
        pytest.skip(message)
    from tests.cdp import Browser

    chromium = Browser(executable)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def layered_page(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("html") / "layered_app.html"
    with pytest.raises(SystemExit) as exit_:
        main(["graph", str(LAYERED), "--no-cache", "--format", "html", "-o", str(target)])
    assert exit_.value.code == 0
    return target


VISIBLE_NODES = """[...document.querySelectorAll('.node')]
  .filter(e => getComputedStyle(e).display !== 'none').map(e => e.dataset.id).sort()"""


def assert_clean(page) -> None:
    assert page.errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_layered_app_page(browser, layered_page: Path, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(layered_page)
    assert page.evaluate("document.body.dataset.view") == "module"
    ids = page.evaluate("[...document.querySelectorAll('.node.module')].map(e => e.dataset.id).sort()")
    assert len(ids) == 15 and "app.routes.orders" in ids and "django" in ids
    # Grouped: each module drawn in its component's layer, inside that group's box.
    inside = page.evaluate("""(() => {
      const node = document.querySelector('.node[data-id="app.services.billing"]');
      const box = document.querySelector('.group[data-group="services"] rect').getBoundingClientRect();
      const r = node.getBoundingClientRect();
      return [node.parentNode.dataset.group, node.parentNode.dataset.kind,
              r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom];
    })()""")
    assert inside == ["services", "component", True]
    assert page.evaluate("document.querySelector('.node[data-id=\"app.domain.orders\"]').parentNode.dataset.group") == "app.domain"
    stroke = "getComputedStyle(document.querySelector('path.edge[data-source=\"%s\"][data-target=\"%s\"]')).stroke"
    assert page.evaluate(stroke % ("app.services.orders", "app.routes.orders")) == RED
    assert page.evaluate(stroke % ("app.routes.orders", "app.services.orders")) != RED
    # A click on a module: its imports both ways (violating ones marked) and its findings.
    page.click('.node[data-id="app.services.orders"]')
    assert page.evaluate("document.querySelector('#details h2').textContent") == "app.services.orders"
    items = "[...document.querySelectorAll('#details .%s li')].map(e => [e.dataset.key && e.firstChild.textContent, e.classList.contains('violation')])"
    assert page.evaluate(items % "imports-out") == [["app.repositories.orders", True], ["app.routes.orders", True]]
    assert ["app.routes.orders", False] in page.evaluate(items % "imports-in")
    codes = page.evaluate("[...document.querySelectorAll('#details .findings code')].map(e => e.textContent)")
    assert sorted(codes) == ["AL101", "AL101", "AL103", "AL104"]
    assert page.evaluate("document.querySelector('.node.selected').dataset.id") == "app.services.orders"
    # The search box: only modules whose name holds the text are left.
    page.type("#search", "pricing")
    page.wait_for("document.body.dataset.query === 'pricing'")
    assert page.evaluate(VISIBLE_NODES) == ["app.domain.pricing"]
    page.type("#search", "")
    page.wait_for("document.body.dataset.query === ''")
    assert len(page.evaluate(VISIBLE_NODES)) == 15
    shot = page.screenshot(tmp_path / "layered_app.png")
    print(f"screenshot: {shot}")
    assert_clean(page)


def test_component_view_toggles_and_groups_expand(browser, layered_page: Path) -> None:
    page = browser.new_page()
    page.goto(layered_page)
    page.click("#view-toggle")
    assert page.evaluate("document.body.dataset.view") == "component"
    assert page.evaluate("document.querySelectorAll('.node.module').length") == 0
    assert page.evaluate("document.querySelectorAll('.node.group-node').length") == 6
    edge = "document.querySelector('path.edge[data-source=\"services\"][data-target=\"routes\"]')"
    assert page.evaluate(f"getComputedStyle({edge}).stroke") == RED  # folded: red if any is
    page.click('.node.group-node[data-group="routes"]')  # a click expands the group
    assert page.evaluate("document.body.dataset.view") == "mixed"
    assert page.evaluate("!!document.querySelector('.node.module[data-id=\"app.routes.orders\"]')")
    page.click("#view-toggle")
    assert page.evaluate("document.body.dataset.view") == "module"
    assert_clean(page)


def test_hostile_names_stay_text_in_the_browser(browser, tmp_path: Path) -> None:
    hostile = "</script><script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"
    graph = make_graph([("app.a", "app.b")])
    target = tmp_path / "hostile.html"
    target.write_text(render(graph, {("app.a", "app.b")}, findings=[chain_finding("app.a", "app.b", message=hostile)]))
    page = browser.new_page()
    page.goto(target)
    assert page.evaluate("window.pwned === undefined")
    assert hostile in page.evaluate("document.getElementById('details').textContent")
    assert page.errors == []


@pytest.fixture(scope="module")
def django_page(tmp_path_factory) -> Path:
    """Django's installed source (its .py files) as a project with a layers contract that
    Django does not keep, so the picture has red edges."""
    django = pytest.importorskip("django")
    root = tmp_path_factory.mktemp("django_project")
    source = Path(django.__file__).resolve().parent
    shutil.copytree(source, root / "django", ignore=lambda folder, names: [
        n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
    ])  # fmt: skip
    (root / "archlint.toml").write_text(
        '[components]\ncontrib = ["django.contrib"]\nviews = ["django.views"]\n'
        'forms = ["django.forms"]\ndb = ["django.db"]\nutils = ["django.utils"]\n\n'
        '[[contracts]]\nname = "Django layers"\ntype = "layers"\n'
        'layers = ["contrib", "views", "forms", "db", "utils"]\n'
    )
    target = root / "django.html"
    with pytest.raises(SystemExit) as exit_:
        main(["graph", str(root), "--no-cache", "--format", "html", "-o", str(target)])
    assert exit_.value.code == 0
    return target


def test_django_sized_graph_opens_on_the_component_view(browser, django_page: Path, tmp_path: Path) -> None:
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', django_page.read_text(), re.DOTALL).group(1))
    assert sum(not n["external"] for n in data["nodes"]) > 800
    page = browser.new_page()
    page.goto(django_page, timeout=120)  # finished rendering: generous, not a speed test
    assert page.evaluate("document.body.dataset.view") == "component"
    assert page.evaluate("document.querySelectorAll('.node.module').length") == 0
    assert page.evaluate("document.querySelectorAll('.node.group-node').length") == len(data["groups"])
    assert page.evaluate("document.querySelectorAll('path.edge.violation').length") > 0
    print(f"screenshot: {page.screenshot(tmp_path / 'django_components.png')}")
    page.click("#view-toggle")
    page.wait_for("document.body.dataset.view === 'module'", timeout=120)
    assert page.evaluate("document.querySelectorAll('.node.module').length") == len(data["nodes"])
    page.type("#search", "django.forms.")
    page.wait_for("document.body.dataset.query === 'django.forms.'", timeout=120)
    visible = page.evaluate(VISIBLE_NODES)
    assert visible and all(name.startswith("django.forms.") or "django.forms." in name for name in visible)
    page.click('.node[data-id="django.forms.forms"]')
    assert page.evaluate("document.querySelector('#details h2').textContent") == "django.forms.forms"
    print(f"screenshot: {page.screenshot(tmp_path / 'django_modules.png')}")
    assert page.evaluate("1 + 1", timeout=30) == 2  # still answering
    assert_clean(page)
