"""Exports parse back: RDF formats into rdflib, GraphML into networkx, CSV into rows."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.rdf.store import open_store


@pytest.fixture(scope="module")
def triple_count(built_store: Path) -> int:
    with open_store(built_store, read_only=True) as store:
        return store.triple_count()


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_parse_back_with_every_triple(
    built_store: Path, tmp_path: Path, triple_count: int, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format=rdflib_format)
    assert len(graph) == triple_count > 1000


def test_graphml_loads_in_networkx_with_types_and_labels(built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.graphml"
    result = CliRunner().invoke(main, ["export", "-f", "graphml", "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() > 50
    types = {data["type"] for _, data in graph.nodes(data=True)}
    assert {"person", "organisation", "place"} <= types
    assert all(data["label"] for _, data in graph.nodes(data=True))
    assert graph.number_of_edges() > 0
    relations = {data["relation"] for _, _, data in graph.edges(data=True)}
    assert relations <= {"ROLE", "AFFILIATED", "PART_OF", "LOCATED_IN", "PARTY_TO", "COOPERATES", "PARTICIPATED", "MET"}


def test_csv_export_writes_nodes_and_edges(built_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-f", "csv", "-o", str(tmp_path / "net"), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "net" / "nodes.csv", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "net" / "edges.csv", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    ids = {n["id"] for n in nodes}
    assert nodes and edges
    assert all(e["source"] in ids and e["target"] in ids and int(e["weight"]) >= 1 for e in edges)


def test_csv_to_stdout_is_a_clear_error(built_store: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-f", "csv", "--store", str(built_store)])
    assert result.exit_code == 1 and "give -o" in result.output
