"""`kg serve`: a real SPARQL 1.1 Protocol endpoint, queried with SPARQLWrapper and plain HTTP.

The test starts `kg serve` as a subprocess on a free loopback port and stops it in teardown.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from sample_store import build_sample_store

PREFIXES = "PREFIX kg: <https://kg.example.org/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
PERSONS = PREFIXES + "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
MAX_RESULTS = 100


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    from kg.server import free_port, stop_process, wait_for_http

    store = build_sample_store(tmp_path_factory.mktemp("serve") / "store")
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
               "--timeout", "1", "--max-results", str(MAX_RESULTS)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for_http(url, process)
        yield url
    finally:
        stop_process(process, timeout=15)


def _http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def test_select_with_sparqlwrapper_get_and_post(endpoint: str) -> None:
    for method in ("GET", POST):
        client = SPARQLWrapper(endpoint)
        client.setQuery(PERSONS)
        client.setReturnFormat(JSON)
        if method == POST:
            client.setMethod(POST)
        data = client.query().convert()
        names = [b["name"]["value"] for b in data["results"]["bindings"]]
        assert names[:3] == ["Anna Schmidt", "Bernd Weber", "Carla Neumann"] and "Li Wei" in names


def test_default_graph_is_the_union_of_named_graphs(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(PREFIXES + "ASK { ?st kg:evidenceText ?t . ?p a kg:Person }")  # document graph + entities graph
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_content_negotiation(endpoint: str) -> None:
    select = urllib.parse.quote(PERSONS)
    for accept, marker in [("application/sparql-results+json", b'"bindings"'),
                           ("application/sparql-results+xml", b"<sparql"),
                           ("text/csv", b"name\r\n"), ("text/tab-separated-values", b"?name\n")]:
        status, content_type, body = _http(f"{endpoint}?query={select}", headers={"Accept": accept})
        assert status == 200 and content_type.startswith(accept) and marker in body and b"Anna Schmidt" in body
    construct = urllib.parse.quote(PREFIXES + "CONSTRUCT { ?p rdfs:label ?n } WHERE { ?p a kg:Person ; rdfs:label ?n }")
    from rdflib import Graph

    for accept, rdf_format in [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")]:
        status, content_type, body = _http(f"{endpoint}?query={construct}", headers={"Accept": accept})
        assert status == 200 and content_type.startswith(accept)
        graph = Graph().parse(data=body, format=rdf_format)
        assert len(graph) >= 6


def test_malformed_query_is_400_with_parser_message(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as info:
        client.query()
    assert "error at 1:" in str(info.value) and "expected" in str(info.value)


def test_update_is_refused_on_read_only_endpoint(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint.replace("/query", "/update"))
    client.setMethod(POST)
    client.setQuery("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403 and b"read-only" in info.value.read()
    status, _, _ = _http(endpoint.replace("/query", "/store") + "?graph=urn:x", data=b"<urn:a> <urn:b> <urn:c> .",
                         headers={"Content-Type": "application/n-triples"})
    assert status == 403
    check = SPARQLWrapper(endpoint)
    check.setQuery("ASK { <urn:a> ?p ?o }")
    check.setReturnFormat(JSON)
    assert check.query().convert()["boolean"] is False


def test_query_over_the_timeout_is_a_clear_error(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(SLOW)
    client.setReturnFormat(JSON)
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 503 and b"timed out" in info.value.read()
    assert time.monotonic() - started < 10
    # the endpoint still answers afterwards
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.query().convert()["boolean"] is True


def test_result_size_limit_is_a_clear_error(endpoint: str) -> None:
    status, _, body = _http(f"{endpoint}?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"),
                            headers={"Accept": "application/sparql-results+json"})
    assert status == 422 and f"limit of {MAX_RESULTS}".encode() in body
    status, _, body = _http(f"{endpoint}?query=" + urllib.parse.quote(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}"),
                            headers={"Accept": "text/csv"})
    assert status == 200 and len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == MAX_RESULTS + 1


def test_count_results_per_format() -> None:
    from kg.server import count_results

    assert count_results("application/sparql-results+json", json.dumps({"head": {}, "results": {"bindings": [{}, {}]}}).encode()) == 2
    assert count_results("application/sparql-results+json", b'{"head":{},"boolean":true}') == 1
    assert count_results("text/csv", b'a\r\n"x\r\ny"\r\nz\r\n') == 2
    assert count_results("application/n-triples", b"<a:a> <a:b> <a:c> .\n<a:a> <a:b> <a:d> .\n") == 2
    assert count_results("text/turtle", b"<a:a> <a:b> <a:c>, <a:d> .") == 2


def test_wait_for_http_reports_a_server_that_exited_and_stop_process_reaps() -> None:
    from kg.server import ServerError, free_port, stop_process, wait_for_http

    dead = subprocess.Popen([sys.executable, "-c", "import sys; sys.stderr.write('no store here\\n'); sys.exit(3)"],
                            stderr=subprocess.PIPE)
    started = time.monotonic()
    with pytest.raises(ServerError, match="exited before it answered: no store here"):
        wait_for_http(f"http://127.0.0.1:{free_port()}/query", dead, timeout=20)
    assert time.monotonic() - started < 10 and dead.returncode == 3
    with pytest.raises(ServerError, match="did not answer within 0.3 s"):
        wait_for_http(f"http://127.0.0.1:{free_port()}/query", timeout=0.3)
    stubborn = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                 "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, start_new_session=True)
    assert stubborn.stdout is not None and stubborn.stdout.readline() == b"ready\n"
    stop_process(stubborn, timeout=0.5)
    assert stubborn.returncode == -9
