"""kg.sparql and `kg query`: the named query library, bound parameters, formats, syntax errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sample_store import TRICKY_ORG, build_sample_store

LIBRARY_NAMES = {"roles-of", "roles-of-person", "agreements", "cooperations", "orgs-by-city", "events", "timeline",
                 "co-mentions", "persons-in-china"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_store(tmp_path_factory.mktemp("sparql") / "store")


def run(store: Path, *args: str) -> tuple[int, str]:
    from kg.cli import main

    result = CliRunner().invoke(main, ["query", "--store", str(store), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def rows(store: Path, name: str, **params: str) -> list[dict[str, str]]:
    args = ["--name", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    code, out = run(store, *args)
    assert code == 0, out
    return json.loads(out)


def test_library_is_documented() -> None:
    from kg.sparql import PARAM_TYPES, library

    queries = library()
    assert LIBRARY_NAMES <= set(queries)
    for q in queries.values():
        assert q.title and q.title != q.name and len(q.description) > 40, q.name
        for p in q.params:
            assert p.type in PARAM_TYPES and p.description
            assert f"?{p.name}" in q.text.split("WHERE")[0], f"{q.name}: parameter ?{p.name} must be projected"


def test_list_shows_every_named_query(store: Path) -> None:
    code, out = run(store, "--list")
    assert code == 0 and all(name in out for name in LIBRARY_NAMES)
    assert "--param org=<string>" in out


def test_named_queries_answer_on_sample(store: Path) -> None:
    roles = rows(store, "roles-of", org="beispiel gmbh")
    assert {(r["personName"], r["role"]) for r in roles} == {("Anna Schmidt", "Geschäftsführerin"), ("Bernd Weber", "")}
    assert "org" not in roles[0] and roles[0]["sentence"] and roles[0]["url"].startswith("https://example.org/")
    assert rows(store, "roles-of", org="BSP")  # alias
    assert [r["atName"] for r in rows(store, "roles-of-person", person="li wei")] == ["Chengdu Hightech AG"]
    agreements = rows(store, "agreements")
    assert {r["partyName"] for r in agreements} == {"Beispiel GmbH", "Chengdu Hightech AG", "Carla Neumann", "Dieter Einsam"}
    assert rows(store, "agreements", agreement="rhein") and not rows(store, "agreements", agreement="nichts")
    coop = rows(store, "cooperations")
    assert [(r["germanName"], r["chineseName"]) for r in coop] == [("Beispiel GmbH", "Chengdu Hightech AG")]
    assert (coop[0]["germanCountry"], coop[0]["chineseCountry"]) == ("DE", "CN")
    assert [r["orgName"] for r in rows(store, "orgs-by-city", city="wuppertal")] == ["Beispiel GmbH"]
    assert {r["participantName"] for r in rows(store, "events")} == {"Li Wei", "Bernd Weber"}
    timeline = rows(store, "timeline", entity="Li Wei")
    dates = [r["date"] for r in timeline]
    assert dates == sorted(dates) and len(timeline) >= 3 and {"MET", "ROLE", "PARTICIPATED"} <= {r["relation"] for r in timeline}
    co = rows(store, "co-mentions", entity="Anna Schmidt", type="person")
    assert {r["otherName"] for r in co} == {"Li Wei", "Carla Neumann", "Emil Fern"}
    assert all(r["otherType"] == "Person" and int(r["documents"]) >= 1 for r in co)
    china = rows(store, "persons-in-china")
    assert [(r["personName"], r["orgName"], r["placeName"]) for r in china] == [("Li Wei", "Chengdu Hightech AG", "Chengdu")]


@pytest.mark.parametrize("value", [
    TRICKY_ORG,
    'x" } ; DROP ALL ; SELECT * { "',
    "x' . ?s ?p ?o } #",
    "\\\" UNION { ?a ?b ?c } \\",
])
def test_parameters_are_bound_not_pasted(store: Path, value: str) -> None:
    from kg.rdf.store import open_store

    with open_store(store, read_only=True) as s:
        before = s.triple_count()
    found = rows(store, "roles-of", org=value)
    if value == TRICKY_ORG:
        assert [r["personName"] for r in found] == ["Carla Neumann"]
        assert found[0]["orgName"] == TRICKY_ORG
    else:
        assert found == []
    with open_store(store, read_only=True) as s:
        assert s.triple_count() == before


def test_bindings_go_to_the_store_as_terms(store: Path) -> None:
    from rdflib import Literal

    from kg.sparql import bind_params, named_query, run_query

    query = named_query("roles-of")
    bindings = bind_params(query, {"org": TRICKY_ORG})
    assert bindings == {"org": Literal(TRICKY_ORG)}
    assert TRICKY_ORG not in query.text
    result = run_query(store, query.text, bindings)
    assert [str(r["personName"]) for r in result] == ["Carla Neumann"]


def test_syntax_error_reports_position(store: Path) -> None:
    code, out = run(store, "PREFIX kg: <https://kg.example.org/ns#>\nSELECT * WHERE { ?s ?p }")
    assert code == 1
    assert "SPARQL syntax error at line 2, column" in out and "^" in out


def test_usual_prefixes_need_no_declaration(store: Path) -> None:
    code, out = run(store, "SELECT ?n WHERE { ?p a kg:Person ; rdfs:label ?n } ORDER BY ?n LIMIT 1", "--format", "csv")
    assert (code, out.split()) == (0, ["n", "Anna", "Schmidt"])
    code, out = run(store, "SELECT ?n WHERE { ?p a kg:Person ; rdfs:label }")
    assert code == 1 and "SPARQL syntax error at line 1, column" in out


def test_ad_hoc_query_forms_and_formats(store: Path, tmp_path: Path) -> None:
    select = "PREFIX kg: <https://kg.example.org/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
             "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
    code, out = run(store, select, "--format", "csv")
    assert code == 0 and next(csv.reader(io.StringIO(out))) == ["name"] and "Anna Schmidt" in out
    code, out = run(store, select, "--format", "tsv")
    assert out.splitlines()[1] == "Anna Schmidt"
    code, out = run(store, select)
    assert "Anna Schmidt" in out and "rows)" in out
    path = tmp_path / "q.rq"
    path.write_text(select, encoding="utf-8")
    code, out = run(store, "-f", str(path), "--format", "json")
    assert code == 0 and json.loads(out)[0] == {"name": "Anna Schmidt"}
    assert run(store, "ASK { ?s ?p ?o }") == (0, "yes\n")
    code, out = run(store, "CONSTRUCT { ?p <http://ex/n> ?n } WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?n } LIMIT 2", "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 2 and out.strip().endswith(".")
    code, out = run(store, "DESCRIBE <https://kg.example.org/id/person/anna-schmidt>", "--format", "json")
    assert code == 0 and "Anna Schmidt" in out


def test_parameter_errors_are_clear(store: Path) -> None:
    code, out = run(store, "--name", "roles-of")
    assert code == 1 and "needs --param org=" in out
    code, out = run(store, "--name", "roles-of", "--param", "city=x")
    assert code == 1 and "no parameter 'city'" in out
    code, out = run(store, "--name", "role-of")
    assert code == 1 and "Did you mean: roles-of" in out
    code, out = run(store, "--name", "roles-of", "--param", "orgBSW")
    assert code == 1 and "expected key=value" in out
    code, out = run(store, "ASK { ?s ?p ?o }", "--name", "roles-of")
    assert code == 2


def test_persons_named_with_china_competence_center(built_store: Path) -> None:
    """Issue 2, done when: persons mentioned together with the China Competence Center."""
    found = rows(built_store, "co-mentions", entity="China Competence Center", type="person")
    names = {r["otherName"] for r in found}
    assert "Hanno Rademacher" in names, f"persons found: {sorted(names)}"
