"""Maps without a browser: selection, styling, escaping and the `kg map` command.

Graphs are built here with exactly the contract's node/edge attributes
(kg.graph.load_graph's shape), so these tests do not depend on extraction.
"""

from __future__ import annotations

import json
import re
import sys
import types
from datetime import date
from pathlib import Path

import networkx as nx

import kg
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.viz import FocusNotFound, MapOptions, find_node, make_map, render_html, select
from kg.viz.render import script_json
from kg.viz.style import edge_records, legend, node_record, safe_url
from kg.viz.synthetic import synthetic_graph

ID = "https://kg.example.org/id/"


def evidence(doc: str, day: str | None, sentence: str, url: str = "https://example.org/p/1") -> dict:
    return {"doc_id": doc, "doc_iri": ID + "doc/" + doc, "url": url, "title": "Title " + doc, "date": day,
            "sentence": sentence}


def add_node(graph: nx.MultiGraph, kind: str, name: str, **attrs) -> str:
    node = f"{ID}{kind}/{name.replace(' ', '_')}"
    graph.add_node(node, label=name, type=kind, aliases=attrs.get("aliases", []), roles=attrs.get("roles", []),
                   country=attrs.get("country"), geonames=attrs.get("geonames"))
    return node


def add_edge(graph: nx.MultiGraph, u: str, v: str, kind: str, docs: list[tuple[str, str | None]], **attrs) -> None:
    days = sorted(d for _, d in docs if d)
    graph.add_edge(u, v, kind=kind, why=attrs.get("why", []), weight=len({doc for doc, _ in docs}),
                   first_date=days[0] if days else None, last_date=days[-1] if days else None,
                   evidence=[evidence(doc, day, f"{kind} sentence in {doc}") for doc, day in docs])


@pytest.fixture
def small_graph() -> nx.MultiGraph:
    """A centre with two people, a partner, a place and an agreement, plus a far-away pair."""
    g = nx.MultiGraph()
    ccc = add_node(g, "organisation", "China Competence Center", aliases=["C3", "CCC"], country="DE")
    anna = add_node(g, "person", "Anna Schmidt", roles=["Leiterin @ China Competence Center"])
    li = add_node(g, "person", "Li Wei")
    partner = add_node(g, "organisation", "Bureau of Commerce Dongguan", country="CN")
    town = add_node(g, "place", "Wuppertal", country="DE", geonames="2805753")
    deal = add_node(g, "agreement", "Partnerschaftsabkommen")
    far1 = add_node(g, "organisation", "Far Away GmbH", country="DE")
    far2 = add_node(g, "person", "Far Person")
    add_edge(g, anna, ccc, "ROLE", [("d1", "2015-05-01")])
    add_edge(g, li, partner, "ROLE", [("d2", "2019-01-01")])
    add_edge(g, ccc, partner, "COOPERATES", [("d1", "2015-05-01"), ("d2", "2019-01-01")])
    add_edge(g, ccc, partner, "CO_MENTION", [("d3", "2021-01-01")])
    add_edge(g, anna, li, "KNOWS", [("d2", "2019-01-01")], why=["met"])
    add_edge(g, ccc, town, "LOCATED_IN", [("d1", "2015-05-01")])
    add_edge(g, deal, ccc, "PARTY_TO", [("d4", None)])
    add_edge(g, far1, far2, "ROLE", [("d9", "2010-01-01")])
    return g


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "embedded graph data missing"
    return json.loads(match.group(1))


# --- selection ---------------------------------------------------------------------------


def test_find_node_by_label_alias_and_unique_substring(small_graph):
    assert find_node(small_graph, "china competence center").endswith("China_Competence_Center")
    assert find_node(small_graph, "CCC").endswith("China_Competence_Center")
    assert find_node(small_graph, "Dongguan").endswith("Bureau_of_Commerce_Dongguan")
    with pytest.raises(FocusNotFound, match="several"):
        find_node(small_graph, "Far")
    with pytest.raises(FocusNotFound, match="no node"):
        find_node(small_graph, "Nobody Known")


def test_focus_depth_limits_the_neighbourhood(small_graph):
    one = select(small_graph, MapOptions(focus="China Competence Center", depth=1)).graph
    labels = {d["label"] for _, d in one.nodes(data=True)}
    assert labels == {"China Competence Center", "Anna Schmidt", "Bureau of Commerce Dongguan", "Wuppertal",
                      "Partnerschaftsabkommen"}
    two = select(small_graph, MapOptions(focus="China Competence Center", depth=2)).graph
    assert "Li Wei" in {d["label"] for _, d in two.nodes(data=True)}
    assert "Far Person" not in {d["label"] for _, d in two.nodes(data=True)}


def test_focus_depth_follows_stated_relations_and_adds_only_own_comentions(small_graph):
    ccc, anna = ID + "organisation/China_Competence_Center", ID + "person/Anna_Schmidt"
    near = add_node(small_graph, "organisation", "Named Alongside GmbH")
    far = add_node(small_graph, "person", "Named Elsewhere")
    add_edge(small_graph, ccc, near, "CO_MENTION", [("d5", None)])
    add_edge(small_graph, near, far, "CO_MENTION", [("d6", None)])
    add_edge(small_graph, near, anna, "CO_MENTION", [("d5", None)])
    chosen = select(small_graph, MapOptions(focus="China Competence Center", depth=2)).graph
    assert near in chosen and far not in chosen
    assert "Li Wei" in {d["label"] for _, d in chosen.nodes(data=True)}  # two stated steps away
    comentions = {frozenset((u, v)) for u, v, d in chosen.edges(data=True) if d["kind"] == "CO_MENTION"}
    assert comentions == {frozenset((ccc, near)), frozenset((ccc, ID + "organisation/Bureau_of_Commerce_Dongguan"))}
    assert set(select(small_graph, MapOptions(focus="China Competence Center", depth=0)).graph) == {ccc}


def test_type_filter_keeps_focus(small_graph):
    chosen = select(small_graph, MapOptions(focus="Anna Schmidt", depth=3, types=("organisation",))).graph
    assert {d["type"] for _, d in chosen.nodes(data=True)} == {"organisation", "person"}
    assert "Li Wei" not in {d["label"] for _, d in chosen.nodes(data=True)}
    with pytest.raises(ValueError, match="unknown node type"):
        select(small_graph, MapOptions(types=("robot",)))


def test_date_range_filters_evidence_and_drops_isolated_nodes(small_graph):
    chosen = select(small_graph, MapOptions(since=date(2018, 1, 1), until=date(2019, 12, 31))).graph
    labels = {d["label"] for _, d in chosen.nodes(data=True)}
    assert labels == {"China Competence Center", "Bureau of Commerce Dongguan", "Li Wei", "Anna Schmidt"}
    coop = [d for _, _, d in chosen.edges(data=True) if d["kind"] == "COOPERATES"][0]
    assert coop["weight"] == 1 and [e["doc_id"] for e in coop["evidence"]] == ["d2"]
    assert coop["first_date"] == coop["last_date"] == "2019-01-01"


def test_min_weight(small_graph):
    chosen = select(small_graph, MapOptions(min_weight=2)).graph
    assert [d["kind"] for _, _, d in chosen.edges(data=True)] == ["COOPERATES"]
    assert chosen.number_of_nodes() == 2


def test_entities_without_connections_are_left_out_and_counted(small_graph):
    lonely = add_node(small_graph, "person", "Lonely Person")
    selection = select(small_graph, MapOptions())
    assert lonely not in selection.graph and selection.graph.number_of_nodes() == 8
    assert "1 entities without any connection left out" in selection.summary()
    assert lonely in select(small_graph, MapOptions(focus="Lonely Person")).graph


def test_max_nodes_keeps_most_central_and_reports_the_rest():
    graph = synthetic_graph(400, seed=3)
    selection = select(graph, MapOptions(max_nodes=50))
    assert selection.graph.number_of_nodes() == 50
    assert sum(selection.left_out.values()) == 350
    kept_min = min(len(set(selection.graph.neighbors(n)) - {n}) for n in selection.graph)
    assert selection.cut_degree is not None
    hub = max(graph.nodes, key=lambda n: len(set(graph.neighbors(n))))
    assert hub in selection.graph
    assert kept_min >= 0
    text = selection.summary()
    assert "left out 350 of 400 nodes" in text and "--max-nodes" in text


def test_max_nodes_always_keeps_the_focus():
    graph = synthetic_graph(300, seed=5)
    leaf = min(graph.nodes, key=graph.degree)
    name = graph.nodes[leaf]["label"]
    selection = select(graph, MapOptions(focus=name, depth=6, max_nodes=5))
    assert leaf in selection.graph and selection.graph.number_of_nodes() == 5


# --- styling ------------------------------------------------------------------------------


def test_safe_url_only_allows_http():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>", "//evil.org/x", "", None, 3):
        assert safe_url(bad) is None


def test_side_is_shown_by_border_and_explained_in_legend(small_graph):
    de = node_record("x", dict(small_graph.nodes[ID + "organisation/China_Competence_Center"]), 3)
    cn = node_record("y", dict(small_graph.nodes[ID + "organisation/Bureau_of_Commerce_Dongguan"]), 2)
    person = node_record("z", dict(small_graph.nodes[ID + "person/Li_Wei"]), 1)
    assert de["color"]["border"] != cn["color"]["border"] != person["color"]["border"]
    assert de["borderWidth"] > person["borderWidth"] and de["kg"]["side"] == "DE" and cn["kg"]["side"] == "CN"
    assert de["shape"] != person["shape"]
    texts = [item.text for item in legend([de, cn, person], [])]
    assert any("German" in t for t in texts) and any("Chinese" in t for t in texts)
    assert "Person" in texts and "Organisation" in texts and "Place" not in texts


def test_parallel_edges_are_merged_with_all_kinds_and_evidence(small_graph):
    records = edge_records(small_graph)
    pair = [r for r in records if {r["from"], r["to"]} == {ID + "organisation/China_Competence_Center",
                                                          ID + "organisation/Bureau_of_Commerce_Dongguan"}]
    assert len(pair) == 1
    kg = pair[0]["kg"]
    assert kg["kinds"] == ["COOPERATES", "CO_MENTION"]
    assert kg["weight"] == 2 and len(kg["evidence"]) == 3
    assert pair[0]["label"] == "cooperates" and pair[0]["dashes"] is False
    assert len(records) == len({frozenset((u, v)) for u, v in small_graph.edges()})


# --- rendering and escaping ---------------------------------------------------------------


def test_script_json_cannot_close_its_script_element():
    text = script_json({"label": "</script><script>alert(1)</script>&\u2028\u2029'\"\\"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script>&\u2028\u2029'\"\\"


def test_page_is_self_contained(small_graph):
    html = render_html(select(small_graph, MapOptions()))
    assert "vis.Network" in html and "kg-legend" in html
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html and "cdnjs" not in html and "jsdelivr" not in html
    assert "default-src 'none'" in html


def test_document_strings_never_reach_html_unescaped(small_graph):
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(1)> \"quoted\" 'single' back\\slash"
    node = ID + "person/Anna_Schmidt"
    small_graph.nodes[node].update(label=evil, aliases=[evil], roles=[evil])
    for _, _, data in small_graph.edges(node, data=True):
        data["evidence"] = [evidence("d1", "2015-05-01", evil, url="javascript:alert(1)")]
    html = render_html(select(small_graph, MapOptions()), title=evil, subtitle=evil, communities=[[node]])
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "Community 1: &lt;/script&gt;" in html  # legend text escaped too
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # title/subtitle escaped by the template
    data = page_data(html)
    anna = [n for n in data["nodes"] if n["id"] == node][0]
    assert anna["kg"]["name"] == evil and anna["kg"]["roles"] == [evil]
    urls = [e["url"] for edge in data["edges"] for e in edge["kg"]["evidence"]]
    assert None in urls and not any(u and u.startswith("javascript") for u in urls)


def test_communities_colour_nodes_and_fill_the_legend(small_graph):
    groups = [{"id": 1, "members": [{"iri": ID + "organisation/China_Competence_Center"}, {"iri": ID + "person/Anna_Schmidt"}]},
              {"id": 2, "members": [{"iri": ID + "person/Li_Wei"}]}]
    html = render_html(select(small_graph, MapOptions()), communities=groups)
    nodes = {n["kg"]["name"]: n for n in page_data(html)["nodes"]}
    assert nodes["Anna Schmidt"]["kg"]["community"] == nodes["China Competence Center"]["kg"]["community"] == 1
    assert nodes["Li Wei"]["color"]["background"] != nodes["Anna Schmidt"]["color"]["background"]
    assert nodes["Wuppertal"]["kg"]["community"] is None
    assert "Community 1: China Competence Center, Anna Schmidt" in html and "Community 2: Li Wei" in html


def test_make_map_writes_focus_title(tmp_path, small_graph):
    out = tmp_path / "sub" / "map.html"
    selection = make_map(small_graph, out, MapOptions(focus="CCC", depth=1))
    html = out.read_text(encoding="utf-8")
    assert "Network of China Competence Center (depth 1)" in html
    assert len(page_data(html)["nodes"]) == selection.graph.number_of_nodes() == 5


# --- command line -------------------------------------------------------------------------


@pytest.fixture
def fake_graph_module(monkeypatch, small_graph):
    """Stand-in for kg.graph so the command is tested without a built store."""
    module = types.ModuleType("kg.graph")
    calls = []

    def load_graph(store_path: Path, *, include_comentions: bool = True) -> nx.MultiGraph:
        calls.append(include_comentions)
        return small_graph

    module.load_graph = load_graph
    module.GraphError = LookupError
    module.resolve = lambda graph, name: name  # leave unknown names to the map's own check
    module.communities = lambda graph, include_comentions=True: [[n for n in graph if "person" in n]]
    monkeypatch.setitem(sys.modules, "kg.graph", module)
    # `from kg import graph` reads the package attribute once kg.graph was imported elsewhere
    monkeypatch.setattr(kg, "graph", module, raising=False)
    return calls


def test_cli_writes_map_and_reports_left_out_nodes(tmp_path, fake_graph_module):
    store = tmp_path / "store"
    store.mkdir()
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", "--store", str(store), "-o", str(out), "--max-nodes", "3",
                                       "--no-comentions"])
    assert result.exit_code == 0, result.output
    assert "left out 5 of 8 nodes" in result.output
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) == 3
    assert fake_graph_module == [False]
    result = CliRunner().invoke(main, ["map", "--store", str(store), "-o", str(out), "--communities"])
    assert result.exit_code == 0, result.output
    assert "Community 1:" in out.read_text(encoding="utf-8")


def test_cli_errors_are_one_line(tmp_path, fake_graph_module):
    store = tmp_path / "store"
    store.mkdir()
    runner = CliRunner()
    result = runner.invoke(main, ["map", "--store", str(store), "-o", str(tmp_path / "m.html"), "--focus", "Nobody"])
    assert result.exit_code == 1 and "matches no node" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["map", "--store", str(tmp_path / "missing"), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1 and "run `kg build` first" in result.output
    result = runner.invoke(main, ["map", "--store", str(store), "--since", "last year"])
    assert result.exit_code == 2 and "not a date" in result.output


def test_notebooks_are_committed_without_outputs():
    """The research notebooks are stored stripped: no outputs, no execution counts."""
    notebooks = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 3
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert code, path
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), f"{path.name} has outputs"
