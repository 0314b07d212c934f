"""kg.graph: the networkx projection (contract), who-knows, paths, ego, centrality, communities,
name resolution, and the graph commands; plus the "Done when" checks on the bundled corpus.

The small store is hand-made in the project's data model (records -> kg.rdf.mapping -> store) by
tests/sample_store.py, which test_sparql, test_server and test_push share.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sample_store import build_sample_store

ANNA = "https://kg.example.org/id/person/anna-schmidt"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_store(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture(scope="module")
def G(sample_store: Path):
    from kg.graph import load_graph

    return load_graph(sample_store)


def _label_node(G, label: str) -> str:
    return next(n for n, d in G.nodes(data=True) if d["label"] == label)


# --- the projection contract ------------------------------------------------------


def test_nodes_carry_contract_attributes(G) -> None:
    anna = G.nodes[ANNA]
    assert anna["label"] == "Anna Schmidt" and anna["type"] == "person"
    assert anna["roles"] == ["Geschäftsführerin @ Beispiel GmbH"]
    beispiel = G.nodes[_label_node(G, "Beispiel GmbH")]
    assert beispiel["type"] == "organisation" and "BSP" in beispiel["aliases"]
    assert G.nodes[_label_node(G, "Chengdu")]["country"] == "CN"
    for _, data in G.nodes(data=True):
        assert set(data) >= {"label", "type", "aliases", "roles", "country", "geonames"}
        assert data["type"] in {"person", "organisation", "place", "agreement", "event"}


def test_edges_carry_kind_weight_dates_and_evidence(G) -> None:
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert {"ROLE", "MET", "PARTY_TO", "COOPERATES", "LOCATED_IN", "PARTICIPATED", "KNOWS", "CO_MENTION"} <= kinds
    for u, v, data in G.edges(data=True):
        assert set(data) >= {"kind", "why", "weight", "first_date", "last_date", "evidence"}
        assert data["weight"] == len({e["doc_iri"] for e in data["evidence"]}) >= 1
        for ev in data["evidence"]:
            assert set(ev) >= {"doc_id", "doc_iri", "url", "title", "date", "sentence"}
    li = _label_node(G, "Li Wei")
    role = G.edges[li, _label_node(G, "Chengdu Hightech AG"), "ROLE"]
    assert role["evidence"][0]["sentence"].startswith("Li Wei, Direktor der Chengdu Hightech AG")
    assert role["first_date"] == role["last_date"] == "2024-05-10" and role["evidence"][0]["doc_id"] == "t2"


def test_knows_edges_for_each_reason(G) -> None:
    def why(a: str, b: str) -> list[str]:
        return G.edges[_label_node(G, a), _label_node(G, b), "KNOWS"]["why"]

    assert why("Anna Schmidt", "Li Wei") == ["met"]
    assert why("Anna Schmidt", "Bernd Weber") == ["same organisation"]
    assert why("Li Wei", "Bernd Weber") == ["same event"]
    assert why("Carla Neumann", "Dieter Einsam") == ["same agreement"]
    knows = G.edges[ANNA, _label_node(G, "Bernd Weber"), "KNOWS"]
    assert knows["weight"] == 2 and (knows["first_date"], knows["last_date"]) == ("2024-03-01", "2024-05-10")
    # only persons get KNOWS edges
    for u, v, d in G.edges(data=True):
        if d["kind"] == "KNOWS":
            assert G.nodes[u]["type"] == G.nodes[v]["type"] == "person"


def test_comentions_are_labelled_and_excludable(sample_store: Path, G) -> None:
    from kg.graph import load_graph

    emil = _label_node(G, "Emil Fern")
    kinds = {d["kind"] for d in G[ANNA][emil].values()}
    assert kinds == {"CO_MENTION"} and G.edges[ANNA, emil, "CO_MENTION"]["why"] == ["named in the same document"]
    H = load_graph(sample_store, include_comentions=False)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert not any(d["kind"] == "CO_MENTION" for _, _, d in H.edges(data=True))
    assert H.number_of_edges() < G.number_of_edges()


# --- analysis -----------------------------------------------------------------------


def test_who_knows_ranks_with_reasons_and_evidence(G) -> None:
    from kg.graph import who_knows

    rows = who_knows(G, "anna schmidt")
    names = [r["label"] for r in rows]
    assert names[:2] == ["Li Wei", "Bernd Weber"] and names[-1] == "Emil Fern"
    assert rows[0]["why"][0] == "met"
    assert rows[0]["evidence"][0]["sentence"] == "Anna Schmidt, Geschäftsführerin der Beispiel GmbH, traf Li Wei in Chengdu."
    assert "same organisation (Beispiel GmbH)" in rows[1]["why"]
    assert [r["label"] for r in who_knows(G, "Anna Schmidt", include_comentions=False)] == ["Li Wei", "Bernd Weber"]


def test_alternative_paths_come_in_the_same_order_whatever_the_graph_order() -> None:
    import networkx as nx

    from kg.graph import paths

    def graph(order: list[str]) -> nx.MultiGraph:
        g = nx.MultiGraph()
        for n in ["a", "z"] + order:
            g.add_node(n, label=n.upper(), type="person")
        for middle in order:  # four equally good two-hop paths a - middle - z
            g.add_edge("a", middle, kind="MET", weight=1.0, evidence=[])
            g.add_edge(middle, "z", kind="MET", weight=1.0, evidence=[])
        return g

    def order_of(g: nx.MultiGraph) -> list[list[str]]:
        found = paths(g, "A", "Z", max_hops=2, sentences=False)["paths"]
        return [[n["iri"] for n in p["nodes"]] for p in found]

    assert order_of(graph(["m", "b", "x", "c"])) == order_of(graph(["c", "x", "b", "m"])) == [
        ["a", m, "z"] for m in ["b", "c", "m", "x"]]


def test_paths_shortest_and_alternatives_with_evidence(G) -> None:
    from kg.graph import paths

    result = paths(G, "Dieter Einsam", "Bernd Weber", max_hops=4, include_comentions=False)
    assert result["paths"], "a path exists over stated relations"
    first = result["paths"][0]
    hops = [p["hops"] for p in result["paths"]]
    assert hops == sorted(hops) and first["hops"] == min(hops) and len(result["paths"]) > 1
    assert first["nodes"][0]["label"] == "Dieter Einsam" and first["nodes"][-1]["label"] == "Bernd Weber"
    for step in first["steps"]:
        assert step["edges"] and all(e["kind"] != "CO_MENTION" for e in step["edges"])
        assert any(ev["sentence"] for e in step["edges"] for ev in e["evidence"])
    assert all(p["hops"] <= 4 for p in result["paths"])
    assert paths(G, "Dieter Einsam", "Bernd Weber", max_hops=1)["paths"] == []
    assert paths(G, "Emil Fern", "Bernd Weber", include_comentions=False)["paths"] == []


def test_name_resolution(G) -> None:
    from kg.graph import GraphError, resolve

    assert resolve(G, "ANNA SCHMIDT") == ANNA
    assert resolve(G, "bsp") == _label_node(G, "Beispiel GmbH")  # alias
    assert resolve(G, "Bernd") == _label_node(G, "Bernd Weber")  # unique prefix
    assert resolve(G, "Li Wei") == _label_node(G, "Li Wei")  # exact beats prefix
    with pytest.raises(GraphError, match="ambiguous.*Li Wei \\(person\\).*Li Wei Consulting"):
        resolve(G, "li")
    with pytest.raises(GraphError, match="close matches: Anna Schmidt"):
        resolve(G, "Ana Schmit")


def test_ego_centrality_communities(G) -> None:
    from kg.graph import centrality, communities, ego

    one = ego(G, "Carla Neumann", 1, include_comentions=False)
    labels = {n["label"]: n["distance"] for n in one["nodes"]}
    assert labels["Carla Neumann"] == 0 and labels["Dieter Einsam"] == 1 and "Bernd Weber" not in labels
    two = ego(G, "Carla Neumann", 2, include_comentions=False)
    assert len(two["nodes"]) > len(one["nodes"])
    top = centrality(G, "person", 3)
    assert len(top) == 3 and all(r["type"] == "person" for r in top)
    assert top[0]["label"] == "Anna Schmidt" and top[0]["degree"] >= top[1]["degree"]
    orgs = centrality(G, "org", 10, by="betweenness")
    assert {r["type"] for r in orgs} == {"organisation"}
    first, second = communities(G), communities(G)
    assert first == second and len(first) >= 2
    assert sum(c["size"] for c in first) <= G.number_of_nodes()
    assert all(c["top"] and c["members"] for c in first)


def test_sentence_around_mentions() -> None:
    from kg.graph import _sentence_around

    text = "Erster Satz. Dann sprach Dr. Anna Schmidt mit Li Wei. \"Gut\", sagte sie.\nNeue Zeile"
    start = text.index("Anna")
    s, e = _sentence_around(text, start, start + 12)
    assert text[s:e] == "Dann sprach Dr. Anna Schmidt mit Li Wei."
    start = text.index("Neue")
    assert text[slice(*_sentence_around(text, start, start + 4))] == "Neue Zeile"


# --- commands -------------------------------------------------------------------------


def test_graph_commands(sample_store: Path) -> None:
    from kg.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["who-knows", "Anna Schmidt", "--store", str(sample_store)])
    assert out.exit_code == 0, out.output
    assert "Li Wei" in out.output and "traf Li Wei in Chengdu" in out.output
    out = runner.invoke(main, ["who-knows", "Anna Schmidt", "--format", "json", "--no-comentions", "--store", str(sample_store)])
    assert [r["label"] for r in json.loads(out.output)] == ["Li Wei", "Bernd Weber"]
    out = runner.invoke(main, ["path", "Dieter", "Bernd Weber", "--max-hops", "4", "--store", str(sample_store)])
    assert out.exit_code == 0 and "Path 1 (shortest" in out.output and "[PARTY_TO]" in out.output
    out = runner.invoke(main, ["path", "Dieter", "Bernd Weber", "--format", "csv", "--store", str(sample_store)])
    assert out.output.splitlines()[0].startswith("path,hop,from,to,kind")
    out = runner.invoke(main, ["ego", "Li Wei", "--depth", "1", "--store", str(sample_store)])
    assert out.exit_code == 0 and "Forum Seidenstraße" in out.output
    out = runner.invoke(main, ["central", "--type", "person", "--top", "2", "--format", "csv", "--store", str(sample_store)])
    assert out.exit_code == 0 and len(out.output.strip().splitlines()) == 3
    out = runner.invoke(main, ["communities", "--format", "json", "--store", str(sample_store)])
    assert out.exit_code == 0 and json.loads(out.output)[0]["members"]
    out = runner.invoke(main, ["who-knows", "Nobody Known", "--store", str(sample_store)])
    assert out.exit_code == 1 and "no entity named 'Nobody Known'" in out.output and "Traceback" not in out.output
    out = runner.invoke(main, ["who-knows", "li", "--store", str(sample_store)])
    assert out.exit_code == 1 and "ambiguous" in out.output
    out = runner.invoke(main, ["who-knows", "x", "--store", str(sample_store) + "-missing"])
    assert out.exit_code == 1 and "no graph store" in out.output


# --- Done when: the bundled corpus ------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_graph(built_store: Path):
    from kg.graph import load_graph

    return load_graph(built_store)


def _seed_evidence(rows_evidence: list[dict]) -> list[dict]:
    return [ev for ev in rows_evidence if ev.get("sentence") and (ev.get("doc_id") or "")[:3] in {"000", "001", "002", "003", "004"}]


def test_who_knows_hanno_rademacher_on_corpus(corpus_graph) -> None:
    from kg.graph import who_knows

    rows = who_knows(corpus_graph, "Hanno Rademacher", max_evidence=None)
    assert rows, "nobody connected to Hanno Rademacher"
    assert all(r["type"] == "person" and r["label"] != "Hanno Rademacher" for r in rows)
    with_sentences = [r for r in rows if _seed_evidence(r["evidence"])]
    assert with_sentences, "no connection of Hanno Rademacher backed by a sentence of a seed document"
    assert any("Rademacher" in ev["sentence"] for r in with_sentences for ev in _seed_evidence(r["evidence"]))


def test_path_vogelskamp_rademacher_on_corpus(corpus_graph) -> None:
    from kg.graph import paths

    result = paths(corpus_graph, "Stephan A. Vogelskamp", "Hanno Rademacher", max_hops=4, max_evidence=None)
    assert result["source"]["label"] == "Stephan A. Vogelskamp" and result["target"]["label"] == "Hanno Rademacher"
    assert result["paths"], "no path between Vogelskamp and Rademacher within 4 hops"
    best = result["paths"][0]
    sentences = [ev for step in best["steps"] for e in step["edges"] for ev in _seed_evidence(e["evidence"])]
    assert sentences, "the shortest path has no evidence sentence from a seed document"
