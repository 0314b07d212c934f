"""Identity: name normalisation, within-document coreference and corpus resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.aliases import AliasTable, load_aliases
from kg.identity import entity_iri, resolve_corpus
from kg.nlp.names import matches_acronym, org_name, person_name, place_name
from kg.nlp.places import lookup
from kg.records import Extraction, Mention
from test_relations import make_doc, nlp  # noqa: F401  (fixture reused)

EMPTY = AliasTable()


# --- per-mention normalisation --------------------------------------------------------------


@pytest.mark.parametrize("written", ["Wenlong ZHU", "ZHU Wenlong", "Wenlong Zhu", "Herr ZHU Wenlong"])
def test_chinese_names_with_family_name_in_capitals(written: str) -> None:
    assert person_name(written) == "Wenlong Zhu"


def test_titles_dropped() -> None:
    assert person_name("Prof. Dr. Andreas Pinkwart") == "Andreas Pinkwart"
    assert person_name("Dr.-Ing. Dieter Leonhard") == "Dieter Leonhard"


@pytest.mark.parametrize(
    "text, before, base",
    [
        ("Bergischen Struktur- und Wirtschaftsförderungsgesellschaft", "der", "Bergische Struktur- und Wirtschaftsförderungsgesellschaft"),
        ("China Competence Centers", "des", "China Competence Center"),
        ("Karlsruher Instituts für Technologie", "des", "Karlsruher Institut für Technologie"),
        ("BSW", "der", "BSW"),
        ("Bergische Universität", "die", "Bergische Universität"),
        # nouns and places that end like inflected adjectives keep their ending
        ("Muster GmbH", "die", "Muster GmbH"),
        ("Westfalen Invest GmbH", "der", "Westfalen Invest GmbH"),
        ("Westfälischen Hochschule", "der", "Westfälische Hochschule"),
    ],
)
def test_organisation_inflection(text: str, before: str, base: str) -> None:
    assert org_name(text, before) == base


@pytest.mark.parametrize(
    "text, base",
    [
        ("Wuppertals", "Wuppertal"),
        ("Peking", "Beijing"),
        ("NRW", "Nordrhein-Westfalen"),
        ("Volksrepublik China", "China"),
        ("VR China", "China"),
        ("Bundesrepublik", "Deutschland"),
        ("Bergischen Land", "Bergisches Land"),
        ("Nordrhein- Westfalen", "Nordrhein-Westfalen"),
        ("Paris", "Paris"),
    ],
)
def test_place_forms(text: str, base: str) -> None:
    assert place_name(text) == base


def test_geonames_links() -> None:
    beijing = lookup("Peking")
    assert beijing is not None and (beijing.geonames_id, beijing.country_code) == ("1816670", "CN")
    assert lookup("Wuppertal").geonames_id == "2805753"
    assert lookup("München").country_code == "DE"  # German exonym of Munich
    assert lookup("Jiangsu").country_code == "CN"
    assert lookup("Nordrhein-Westfalen").country_code == "DE"
    assert lookup("Nirgendwohausen") is None


def test_acronym_matching() -> None:
    assert matches_acronym("CIIPA", "China International Investment Promotion Agency")
    assert matches_acronym("BSW", "Bergische Struktur- und Wirtschaftsförderungsgesellschaft")
    assert not matches_acronym("ABC", "Bergische Universität")


# --- within one document (kg_coref) ---------------------------------------------------------


def test_coref_acronyms_family_names_and_places(nlp) -> None:  # noqa: F811
    text = (
        "Die China International Investment Promotion Agency (CIIPA) und Hanno Rademacher trafen sich in Peking. "
        "Später lobte Rademacher die CIIPA und die Stadt Wuppertals."
    )
    doc = make_doc(
        nlp,
        text,
        [
            ("China International Investment Promotion Agency", "ORG"),
            ("CIIPA", "ORG"),
            ("Hanno Rademacher", "PER"),
            ("Peking", "LOC"),
            ("Rademacher", "PER"),
            ("CIIPA", "ORG"),
            ("Wuppertals", "LOC"),
        ],
    )
    agency = "China International Investment Promotion Agency"
    assert [e._.canonical for e in doc.ents] == [agency, agency, "Hanno Rademacher", "Beijing", "Hanno Rademacher", agency, "Wuppertal"]


def test_coref_keeps_two_people_with_one_family_name_apart(nlp) -> None:  # noqa: F811
    text = "Anna Schmidt und Berta Schmidt kamen. Schmidt sprach."
    doc = make_doc(nlp, text, [("Anna Schmidt", "PER"), ("Berta Schmidt", "PER"), ("Schmidt", "PER")])
    assert [e._.canonical for e in doc.ents] == ["Anna Schmidt", "Berta Schmidt", "Schmidt"]


def test_coref_chinese_name_orders_in_one_document(nlp) -> None:  # noqa: F811
    text = "Wenlong ZHU sprach. Zhu Wenlong lobte die Gäste."
    doc = make_doc(nlp, text, [("Wenlong ZHU", "PER"), ("Zhu Wenlong", "PER")])
    assert [e._.canonical for e in doc.ents] == ["Wenlong Zhu", "Wenlong Zhu"]


# --- across documents (resolve_corpus) ------------------------------------------------------


def record(doc_id: str, *mentions: tuple[str, str, str]) -> Extraction:
    """An extraction with mentions given as (text, label, within-document canonical)."""
    entities = []
    pos = 0
    for number, (text, label, canonical) in enumerate(mentions, start=1):
        entities.append(Mention(f"m{number}", pos, pos + len(text), label, text, canonical))
        pos += len(text) + 1
    return Extraction(doc_id=doc_id, text=" ".join(m[0] for m in mentions), entities=entities)


def corpus() -> list[Extraction]:
    agency = "China International Investment Promotion Agency"
    return [
        record("a", (agency, "ORG", agency), ("CIIPA", "ORG", agency), ("Hanno Rademacher", "PER", "Hanno Rademacher"), ("Peking", "LOC", "Beijing")),
        record("b", ("CIIPA", "ORG", "CIIPA"), ("Rademacher", "PER", "Rademacher"), ("Beijing", "LOC", "Beijing"), ("ZHU Wenlong", "PER", "Wenlong Zhu")),
        record("c", ("Zhu Wenlong", "PER", "Zhu Wenlong"), ("Wuppertals", "LOC", "Wuppertal")),
    ]


def names(records: list[Extraction]) -> dict[str, list[str]]:
    return {r.doc_id: [m.entity for m in r.entities] for r in records}


def test_resolve_corpus_merges_acronyms_people_and_places() -> None:
    resolved, table = resolve_corpus(corpus(), aliases=EMPTY)
    agency = "China International Investment Promotion Agency"
    assert names(resolved) == {
        "a": [agency, agency, "Hanno Rademacher", "Beijing"],
        "b": [agency, "Hanno Rademacher", "Beijing", "Wenlong Zhu"],
        "c": ["Wenlong Zhu", "Wuppertal"],
    }
    beijing = table[("LOC", "Beijing")]
    assert (beijing.geonames_id, beijing.country_code) == ("1816670", "CN")
    assert beijing.iri == entity_iri("LOC", "Beijing")
    assert {"Peking"} <= beijing.aliases
    assert "CIIPA" in table[("ORG", agency)].aliases
    assert table[("LOC", "Wuppertal")].geonames_id == "2805753"
    assert ("ORG", "CIIPA") not in table and ("PER", "Rademacher") not in table


def test_resolve_corpus_is_independent_of_document_order() -> None:
    forward, table_f = resolve_corpus(corpus(), aliases=EMPTY)
    backward, table_b = resolve_corpus(list(reversed(corpus())), aliases=EMPTY)
    assert names(forward) == names(backward)
    assert {k: v.iri for k, v in table_f.items()} == {k: v.iri for k, v in table_b.items()}


def test_family_name_shared_by_two_people_stays_unresolved() -> None:
    records = [
        record("a", ("Anna Schmidt", "PER", "Anna Schmidt")),
        record("b", ("Berta Schmidt", "PER", "Berta Schmidt")),
        record("c", ("Schmidt", "PER", "Schmidt")),
    ]
    resolved, _ = resolve_corpus(records, aliases=EMPTY)
    assert names(resolved)["c"] == ["Schmidt"]


def test_alias_file_merges_and_splits(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "same:\n"
        "  - label: ORG\n"
        "    name: Germany Trade and Invest\n"
        "    aliases: [GTAI, Germany Trade & Invest]\n"
        "not_same:\n"
        "  - label: PER\n"
        "    names: [Rademacher, Hanno Rademacher]\n",
        encoding="utf-8",
    )
    table = load_aliases(path)
    records = [
        record("a", ("GTAI", "ORG", "GTAI"), ("Hanno Rademacher", "PER", "Hanno Rademacher")),
        record("b", ("Germany Trade & Invest", "ORG", "Germany Trade & Invest"), ("Rademacher", "PER", "Rademacher")),
    ]
    resolved, entities = resolve_corpus(records, aliases=table)
    assert names(resolved) == {
        "a": ["Germany Trade and Invest", "Hanno Rademacher"],
        "b": ["Germany Trade and Invest", "Rademacher"],  # "not the same" wins over the family-name rule
    }
    assert {"GTAI", "Germany Trade & Invest"} <= entities[("ORG", "Germany Trade and Invest")].aliases


def test_shipped_alias_file_loads_and_bad_files_name_themselves(tmp_path: Path) -> None:
    shipped = load_aliases()
    assert shipped.same, "ontology/aliases.yaml should hold curated merges"
    bad = tmp_path / "bad.yaml"
    bad.write_text("same:\n  - name: X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml"):
        load_aliases(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("same: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.yaml: not valid YAML"):
        load_aliases(broken)


def test_gazetteer_nesting() -> None:
    from kg.nlp.places import contains

    def nests(outer: str, inner: str) -> bool:
        return contains(lookup(outer), lookup(inner))

    assert nests("Sichuan", "Chengdu") and nests("Nordrhein-Westfalen", "Düsseldorf") and nests("China", "Jiangsu")
    assert nests("Asien", "Japan")
    assert not nests("Jiangsu", "Chengdu") and not nests("Chengdu", "Sichuan") and not nests("China", "Düsseldorf")


def test_coref_gives_a_family_name_tagged_as_organisation_the_person_label(nlp) -> None:  # noqa: F811
    text = "Wenlong ZHU sprach. Danach unterschrieb ZHU den Vertrag."
    doc = make_doc(nlp, text, [("Wenlong ZHU", "PER"), ("ZHU", "ORG")])
    assert [(e.label_, e._.canonical) for e in doc.ents] == [("PER", "Wenlong Zhu"), ("PER", "Wenlong Zhu")]


def test_organisation_country_from_where_the_text_locates_it() -> None:
    from kg.records import Relation

    located = record("a", ("CIIPA", "ORG", "CIIPA"), ("Peking", "LOC", "Beijing"), ("BSW", "ORG", "BSW"))
    located.relations.append(Relation("LOCATED_IN", "m1", "m2"))
    _, table = resolve_corpus([located], aliases=EMPTY)
    assert table[("ORG", "CIIPA")].country_code == "CN"
    assert table[("ORG", "BSW")].country_code is None  # the text does not say


# --- fullest names, genitives, corporate suffixes (invented names) ----------------------------


def test_cluster_takes_the_fullest_name_not_the_most_frequent() -> None:
    records = [
        record("a", ("Deutschen Beispielverband e. V.", "ORG", "Deutscher Beispielverband e. V."), ("BVX", "ORG", "Deutscher Beispielverband e. V.")),
        record("b", ("Deutscher Beispielverband", "ORG", "Deutscher Beispielverband"), ("Deutscher Beispielverband", "ORG", "Deutscher Beispielverband")),
        record("c", ("deutsch-chinesische Musterallianz", "AGREEMENT", "deutsch-chinesische Musterallianz"), ("Deutsch-Chinesische Musterallianz", "AGREEMENT", "Deutsch-Chinesische Musterallianz")),
    ]
    resolved, _ = resolve_corpus(records, aliases=EMPTY)
    assert {m.entity for r in resolved[:2] for m in r.entities} == {"Deutscher Beispielverband e. V."}
    assert {m.entity for m in resolved[2].entities} == {"Deutsch-Chinesische Musterallianz"}


def test_corporate_suffix_merges_short_and_full_company_name() -> None:
    records = [record("a", ("Beispielwerk Technologies", "ORG", "Beispielwerk Technologies")), record("b", ("Beispielwerk", "ORG", "Beispielwerk"))]
    resolved, _ = resolve_corpus(records, aliases=EMPTY)
    assert names(resolved) == {"a": ["Beispielwerk Technologies"], "b": ["Beispielwerk Technologies"]}


@pytest.mark.parametrize(
    ("text", "before", "base"),
    [
        ("Produktionstechnischen Beispielzentrums", "im", "Produktionstechnisches Beispielzentrum"),
        ("Bundesministeriums für Beispiele", "deutschen", "Bundesministerium für Beispiele"),
        ("Städtepartnerschaftsvertrages", "eines", "Städtepartnerschaftsvertrag"),
        ("5.Kooperationsvertrag", "den", "5. Kooperationsvertrag"),
    ],
)
def test_known_head_nouns_lose_the_genitive(text: str, before: str, base: str) -> None:
    assert org_name(text, before) == base


def test_place_genitive_after_des_and_a_bare_form_in_the_document(nlp) -> None:  # noqa: F811
    assert place_name("Beispieldeltas", "des") == "Beispieldelta"
    doc = make_doc(
        nlp,
        "Kerala wirbt um Investoren. Es sprach der Industrieminister Keralas Anton Beispiel.",
        [("Kerala", "LOC"), ("Keralas", "LOC"), ("Anton Beispiel", "PER")],
    )
    assert [e._.canonical for e in doc.ents if e.label_ == "LOC"] == ["Kerala", "Kerala"]


def test_acronyms_with_digits_and_with_and() -> None:
    from kg.nlp.names import acronym_of, is_acronym

    assert is_acronym("C³") and is_acronym("K2") and not is_acronym("Chengdu")
    assert "STAI" in acronym_of("Saxony Trade and Invest")
    # mixed case with the capitals in the majority; legal forms and ordinary words are not acronyms
    assert is_acronym("BfArM") and is_acronym("KfW")
    assert not is_acronym("GmbH") and not is_acronym("BaFin") and not is_acronym("ZhongWu")


def test_short_form_of_a_longer_organisation_name_in_one_document(nlp) -> None:  # noqa: F811
    doc = make_doc(
        nlp,
        "Die Musterkanzlei Sachsen lud ein. Der IHK-Beispielkreis Asien tagte. Die Musterkanzlei und der Beispielkreis Asien berieten.",
        [("Musterkanzlei Sachsen", "ORG"), ("IHK-Beispielkreis Asien", "ORG"), ("Musterkanzlei", "ORG"), ("Beispielkreis Asien", "ORG")],
    )
    assert [e._.canonical for e in doc.ents] == ["Musterkanzlei Sachsen", "IHK-Beispielkreis Asien", "Musterkanzlei Sachsen", "IHK-Beispielkreis Asien"]


def test_short_form_with_two_longer_names_stays_itself(nlp) -> None:  # noqa: F811
    doc = make_doc(
        nlp,
        "Die Musterkanzlei Sachsen und die Musterkanzlei Bayern berieten. Die Musterkanzlei lud ein.",
        [("Musterkanzlei Sachsen", "ORG"), ("Musterkanzlei Bayern", "ORG"), ("Musterkanzlei", "ORG")],
    )
    assert doc.ents[2]._.canonical == "Musterkanzlei"
