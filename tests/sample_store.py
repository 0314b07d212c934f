"""A small hand-made store in the project's data model, shared by the graph, SPARQL, server and push tests.

Why a plain module and not test_graph.py: importing one test module from another
ties the test files together (its fixtures and tests come along with the builder).
The records go through the real path (records -> identity -> kg.rdf.mapping ->
store), so the store is what a build would write, without running the NLP
pipeline. Four invented press releases; no gold-document content.
"""

from __future__ import annotations

from pathlib import Path

from kg.records import Extraction, Mention, Relation

TRICKY_ORG = 'Foo "Bar" } DROP ALL ; \\ GmbH SELECT'
"""An organisation name full of SPARQL syntax: it must come back unchanged and never be pasted into a query."""


def _record(doc_id: str, date: str | None, text: str, ents: list, rels: list) -> Extraction:
    mentions, ids = [], {}
    for i, (surface, label, canonical) in enumerate(ents):
        start = text.index(surface)
        mention = Mention(f"T{i + 1}", start, start + len(surface), label, surface, canonical or surface)
        mentions.append(mention)
        ids.setdefault(canonical or surface, mention.id)
    relations = [Relation(t, ids[h], ids[tl], role) for t, h, tl, role in rels]
    meta = {"url": f"https://example.org/{doc_id}", "title": f"Meldung {doc_id}", "content_hash": "h" + doc_id}
    if date:
        meta["date"] = date
    return Extraction(doc_id, text, mentions, relations, meta)


def sample_records() -> list[Extraction]:
    """Four invented press releases covering every relation type the analytics use."""
    t1 = ("Anna Schmidt, Geschäftsführerin der Beispiel GmbH, traf Li Wei in Chengdu.\n"
          "Die Beispiel GmbH und die Chengdu Hightech AG unterzeichneten das Abkommen Rhein-Sichuan.\n"
          "Die Chengdu Hightech AG hat ihren Sitz in Chengdu.")
    t2 = ("Li Wei, Direktor der Chengdu Hightech AG, und Bernd Weber von der Beispiel GmbH sprachen auf dem Forum Seidenstraße.\n"
          "Die BSP sitzt in Wuppertal.")
    t3 = f"Carla Neumann leitet die {TRICKY_ORG}.\nAuch Emil Fern und Anna Schmidt waren da."
    t4 = "Carla Neumann und Dieter Einsam unterzeichneten das Abkommen Rhein-Sichuan.\nDie Li Wei Consulting berichtete."
    return [
        _record("t1", "2024-03-01", t1,
                [("Anna Schmidt", "PER", None), ("Beispiel GmbH", "ORG", None), ("Li Wei", "PER", None),
                 ("Chengdu", "LOC", None), ("Chengdu Hightech AG", "ORG", None), ("Abkommen Rhein-Sichuan", "AGREEMENT", None)],
                [("ROLE", "Anna Schmidt", "Beispiel GmbH", "Geschäftsführerin"), ("MET", "Anna Schmidt", "Li Wei", None),
                 ("PARTY_TO", "Beispiel GmbH", "Abkommen Rhein-Sichuan", None),
                 ("PARTY_TO", "Chengdu Hightech AG", "Abkommen Rhein-Sichuan", None),
                 ("COOPERATES", "Beispiel GmbH", "Chengdu Hightech AG", None),
                 ("LOCATED_IN", "Chengdu Hightech AG", "Chengdu", None)]),
        _record("t2", "2024-05-10", t2,
                [("Li Wei", "PER", None), ("Chengdu Hightech AG", "ORG", None), ("Bernd Weber", "PER", None),
                 ("Beispiel GmbH", "ORG", None), ("Forum Seidenstraße", "EVENT", None), ("BSP", "ORG", "Beispiel GmbH"),
                 ("Wuppertal", "LOC", None)],
                [("ROLE", "Li Wei", "Chengdu Hightech AG", "Direktor"), ("ROLE", "Bernd Weber", "Beispiel GmbH", None),
                 ("PARTICIPATED", "Li Wei", "Forum Seidenstraße", None),
                 ("PARTICIPATED", "Bernd Weber", "Forum Seidenstraße", None),
                 ("LOCATED_IN", "Beispiel GmbH", "Wuppertal", None)]),
        _record("t3", None, t3,
                [("Carla Neumann", "PER", None), (TRICKY_ORG, "ORG", None), ("Emil Fern", "PER", None),
                 ("Anna Schmidt", "PER", None)],
                [("ROLE", "Carla Neumann", TRICKY_ORG, "Leiterin")]),
        _record("t4", "2024-07-01", t4,
                [("Carla Neumann", "PER", None), ("Dieter Einsam", "PER", None),
                 ("Abkommen Rhein-Sichuan", "AGREEMENT", None), ("Li Wei Consulting", "ORG", None)],
                [("PARTY_TO", "Carla Neumann", "Abkommen Rhein-Sichuan", None),
                 ("PARTY_TO", "Dieter Einsam", "Abkommen Rhein-Sichuan", None)]),
    ]


COUNTRIES = {("LOC", "Chengdu"): "CN", ("LOC", "Wuppertal"): "DE"}


def build_sample_store(path: Path) -> Path:
    """Write the sample records into a new store at ``path`` exactly as a build maps them."""
    from kg.identity import resolve_corpus
    from kg.rdf.mapping import complete_table, document_triples, entities_triples
    from kg.rdf.store import open_store

    records, table = resolve_corpus(sample_records())
    table = complete_table(records, table)
    for key, code in COUNTRIES.items():
        if key in table:
            table[key].country_code = code
    with open_store(Path(path)) as store:
        for record in records:
            store.replace_document_graph(record.doc_id, document_triples(record, table))
        store.replace_entities_graph(entities_triples(records, table))
    return Path(path)
