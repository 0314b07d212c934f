"""`kg push`: load the graph into an external SPARQL store (an Oxigraph server started by the test)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from sample_store import build_sample_store


@pytest.fixture()
def remote(tmp_path: Path):
    from kg.server import free_port, oxigraph_binary, stop_process, wait_for_http

    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/query", process)
        yield base
    finally:
        stop_process(process, timeout=10)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_store(tmp_path_factory.mktemp("push") / "store")


def _select(base: str, query: str) -> list[dict]:
    client = SPARQLWrapper(base + "/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.query().convert()["results"]["bindings"]


def _local_graph_sizes(store: Path) -> dict[str, int]:
    from kg.rdf.store import open_store

    with open_store(store, read_only=True) as s:
        result = s.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(r["g"]): int(r["n"]) for r in result}


def _remote_graph_sizes(base: str) -> dict[str, int]:
    rows = _select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


@pytest.mark.parametrize("via", ["graph-store", "update"])
def test_push_preserves_named_graphs(store: Path, remote: str, via: str) -> None:
    from kg.cli import main

    args = ["push", "--store", str(store), "--endpoint", remote + "/update"]
    if via == "graph-store":
        args += ["--graph-store", remote + "/store"]
    else:
        args += ["--batch", "7"]  # several INSERT DATA requests per graph
    local = _local_graph_sizes(store)
    assert len(local) == 5  # four documents and the entities graph
    for _ in range(2):  # pushing twice replaces, never duplicates
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert f"pushed {len(local)} named graphs" in result.output
        assert _remote_graph_sizes(remote) == local
    rows = _select(remote, 'PREFIX kg: <https://kg.example.org/ns#> SELECT ?text WHERE { GRAPH <https://kg.example.org/id/graph/doc/t3> '
                           '{ ?st kg:evidenceText ?text } }')
    assert [r["text"]["value"] for r in rows] == ['Carla Neumann leitet die Foo "Bar" } DROP ALL ; \\ GmbH SELECT.']


def test_push_to_unreachable_endpoint_is_a_clear_error(store: Path) -> None:
    from kg.cli import main
    from kg.server import free_port

    result = CliRunner().invoke(main, ["push", "--store", str(store), "--endpoint", f"http://127.0.0.1:{free_port()}/update"])
    assert result.exit_code == 1 and "cannot reach the endpoint" in result.output and "Traceback" not in result.output
