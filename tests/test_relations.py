"""Relation patterns (kg_relations) on the issue's example sentences.

Docs are built with hand-set entity spans, so these tests check the relation
and identity components independently of the NER model.
"""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg.nlp.coref  # noqa: F401  (registers kg_coref)
import kg.nlp.relations  # noqa: F401  (registers kg_relations)
from kg.nlp.relations import role_after_person, role_before_person
from kg.nlp.roles import role_word


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("de")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("kg_coref")
    pipeline.add_pipe("kg_relations")
    return pipeline


def make_doc(nlp: Language, text: str, entities: list[tuple[str, str]]) -> Doc:
    """A processed Doc whose ents are the given (surface, label) pairs, found left to right.

    Tokens are cut at entity boundaries (so "IBS" in "IBS-Leiterin" can be an entity).
    """
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for surface, label in entities:
        start = text.index(surface, pos)
        spans.append((start, start + len(surface), label))
        pos = start + len(surface)
    bounds = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    words: list[str] = []
    spaces: list[bool] = []
    for a, b in zip(bounds, bounds[1:]):
        for token in nlp.tokenizer(text[a:b]):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def relations(doc: Doc) -> set[tuple[str, str, str, str | None]]:
    """(type, head canonical, tail canonical, role) of the doc's relations."""
    return {(r.type, r.head._.canonical, r.tail._.canonical, r.role) for r in doc._.relations}


def test_role_apposition_with_inflected_org_and_acronym(nlp: Language) -> None:
    text = (
        "Stephan A. Vogelskamp, Geschäftsführer der Bergischen Struktur- und "
        "Wirtschaftsförderungsgesellschaft (BSW), eröffnete den Kongress. Die BSW lädt ein."
    )
    doc = make_doc(
        nlp,
        text,
        [
            ("Stephan A. Vogelskamp", "PER"),
            ("Bergischen Struktur- und Wirtschaftsförderungsgesellschaft", "ORG"),
            ("BSW", "ORG"),
            ("BSW", "ORG"),
        ],
    )
    expansion = "Bergische Struktur- und Wirtschaftsförderungsgesellschaft"
    assert [e._.canonical for e in doc.ents] == ["Stephan A. Vogelskamp", expansion, expansion, expansion]
    assert ("ROLE", "Stephan A. Vogelskamp", expansion, "Geschäftsführer") in relations(doc)
    role = next(r for r in doc._.relations if r.type == "ROLE")
    assert role.sentence.text.startswith("Stephan A. Vogelskamp, Geschäftsführer")
    assert "Die BSW" not in role.sentence.text  # evidence is the sentence, not the document


def test_role_compound_before_name(nlp: Language) -> None:
    doc = make_doc(nlp, "IBS-Leiterin Annette Klerks begrüßte die Gäste.", [("IBS", "ORG"), ("Annette Klerks", "PER")])
    assert relations(doc) == {("ROLE", "Annette Klerks", "IBS", "Leiterin")}


def test_role_with_genitive_org_both_orders(nlp: Language) -> None:
    after = make_doc(
        nlp,
        "Das sagte Hanno Rademacher, der Leiter des China Competence Centers (CCC), in Wuppertal.",
        [("Hanno Rademacher", "PER"), ("China Competence Centers", "ORG"), ("CCC", "ORG"), ("Wuppertal", "LOC")],
    )
    assert ("ROLE", "Hanno Rademacher", "China Competence Center", "Leiter") in relations(after)
    before = make_doc(
        nlp,
        "Der Leiter des China Competence Centers (CCC), Hanno Rademacher, sprach.",
        [("China Competence Centers", "ORG"), ("CCC", "ORG"), ("Hanno Rademacher", "PER")],
    )
    assert relations(before) == {("ROLE", "Hanno Rademacher", "China Competence Center", "Leiter")}


def test_signing_gives_party_to_and_met(nlp: Language) -> None:
    text = (
        "Stephan A. Vogelskamp traf Wenlong ZHU in Wuppertal. Am Rande des Kongresses "
        "unterzeichneten Vogelskamp und ZHU die Absichtserklärung."
    )
    doc = make_doc(
        nlp,
        text,
        [
            ("Stephan A. Vogelskamp", "PER"),
            ("Wenlong ZHU", "PER"),
            ("Wuppertal", "LOC"),
            ("Vogelskamp", "PER"),
            ("ZHU", "PER"),
            ("Absichtserklärung", "AGREEMENT"),
        ],
    )
    found = relations(doc)
    assert ("PARTY_TO", "Stephan A. Vogelskamp", "Absichtserklärung", None) in found
    assert ("PARTY_TO", "Wenlong Zhu", "Absichtserklärung", None) in found
    met = {frozenset((h, t)) for kind, h, t, _ in found if kind == "MET"}
    assert met == {frozenset(("Stephan A. Vogelskamp", "Wenlong Zhu"))}


def test_coordinated_list_gives_one_role_each(nlp: Language) -> None:
    text = (
        "Es sprachen Wenlong ZHU, Vize-Direktor der CIIPA, Weidang WANG, Botschaft VRChina, "
        "Dr. Jürgen Friedrich, Geschäftsführer Germany Trade and Invest (GTAI)."
    )
    doc = make_doc(
        nlp,
        text,
        [
            ("Wenlong ZHU", "PER"),
            ("CIIPA", "ORG"),
            ("Weidang WANG", "PER"),
            ("Botschaft VRChina", "ORG"),
            ("Jürgen Friedrich", "PER"),
            ("Germany Trade and Invest", "ORG"),
            ("GTAI", "ORG"),
        ],
    )
    roles = {(h, t, role) for kind, h, t, role in relations(doc) if kind == "ROLE"}
    assert roles == {
        ("Wenlong Zhu", "CIIPA", "Vize-Direktor"),
        ("Weidang Wang", "Botschaft VRChina", None),
        ("Jürgen Friedrich", "Germany Trade and Invest", "Geschäftsführer"),
    }


@pytest.mark.parametrize("org", ["Repräsentanzbüro NRW.Invest", "NRW.Invest"])
def test_located_in_chinese_city(nlp: Language, org: str) -> None:
    text = "Seit 2015 berät das Repräsentanzbüro NRW.Invest in der chinesischen Stadt Chengdu Investoren."
    doc = make_doc(nlp, text, [(org, "ORG"), ("Chengdu", "LOC")])
    assert relations(doc) == {("LOCATED_IN", org, "Chengdu", None)}


def test_place_in_province_is_part_of_not_inverted(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Die Delegation reiste nach Chengdu in der Provinz Sichuan. Die Regierung der Provinz Sichuan in Chengdu lud ein.",
        [("Chengdu", "LOC"), ("Sichuan", "LOC"), ("Sichuan", "LOC"), ("Chengdu", "LOC")],
    )
    assert relations(doc) == {("PART_OF", "Chengdu", "Sichuan", None)}


def test_no_relation_without_a_pattern(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Stephan A. Vogelskamp lobte die BSW. Die Stadt Chengdu wächst.",
        [("Stephan A. Vogelskamp", "PER"), ("BSW", "ORG"), ("Chengdu", "LOC")],
    )
    assert relations(doc) == set()


def test_public_office_affiliated_with_region(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "NRW-Wirtschaftsminister Garrelt Duin eröffnete das Büro.",
        [("NRW", "LOC"), ("Garrelt Duin", "PER")],
    )
    assert relations(doc) == {("AFFILIATED", "Garrelt Duin", "Nordrhein-Westfalen", "Wirtschaftsminister")}


def test_cooperation_between_two_regions(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Seit 1988 besteht eine Partnerschaft zwischen Nordrhein-Westfalen und der Provinz Jiangsu.",
        [("Nordrhein-Westfalen", "LOC"), ("Jiangsu", "LOC")],
    )
    assert relations(doc) == {("COOPERATES", "Nordrhein-Westfalen", "Jiangsu", None)}


@pytest.mark.parametrize(
    "word, role",
    [
        ("Geschäftsführer", "Geschäftsführer"),
        ("IBS-Leiterin", "Leiterin"),
        ("Vize-Direktor", "Vize-Direktor"),
        ("Wirtschaftsminister", "Wirtschaftsminister"),
        ("Oberbürgermeisterin", "Oberbürgermeisterin"),
        ("Partnerschaft", None),
        ("Ministerium", None),
        ("Mitglieder", None),
    ],
)
def test_role_words(word: str, role: str | None) -> None:
    assert role_word(word) == role


def test_role_gaps() -> None:
    assert role_after_person(", Geschäftsführer der ") == "Geschäftsführer"
    assert role_after_person(", der stellvertretende Ministerpräsident des Bundeslandes ") == "stellvertretende Ministerpräsident"
    assert role_after_person(" lobte die ") is None
    assert role_before_person("-Leiterin ") == "Leiterin"
    assert role_before_person(" Ministerpräsident Dr. ") == "Ministerpräsident"
    assert role_before_person(" und ") is None


def test_evidence_offsets_reach_the_extraction(nlp: Language) -> None:
    from kg.corpus import Document
    from kg.extraction import doc_to_extraction

    text = "Einleitung ohne Namen. Annette Klerks, Leiterin der IBS, sprach."
    doc = make_doc(nlp, text, [("Annette Klerks", "PER"), ("IBS", "ORG")])
    record = doc_to_extraction(doc, Document(doc_id="t1", text=text))
    (relation,) = record.relations
    assert (relation.type, relation.role) == ("ROLE", "Leiterin")
    assert text[relation.sentence_start : relation.sentence_end] == "Annette Klerks, Leiterin der IBS, sprach."


def test_relation_extractor_in_default_pipeline() -> None:
    """load_pipeline wires kg_coref and kg_relations after the entity components."""
    from kg.nlp.pipeline import load_pipeline

    pipeline = load_pipeline()
    names = pipeline.pipe_names
    assert names.index("kg_coref") < names.index("kg_relations")
    assert all(names.index(n) < names.index("kg_coref") for n in names if re.match(r"ner|kg_rules|entity_ruler", n))
    doc = pipeline("Stephan A. Vogelskamp besuchte Peking.")
    assert doc._.relations is not None


def test_role_compound_in_one_token_links_to_the_organisation_named_elsewhere(nlp: Language) -> None:
    """"IBS-Leiterin" left as one token: the role goes to another mention of "IBS"."""
    pipeline = nlp
    text = "Die International Business Services (IBS) beraten Firmen. IBS-Leiterin Annette Klerks begrüßte die Gäste."
    doc = pipeline.make_doc(text)  # the German tokenizer keeps "IBS-Leiterin" whole
    assert "IBS-Leiterin" in [t.text for t in doc]
    spans = [("International Business Services", "ORG"), ("IBS", "ORG"), ("Annette Klerks", "PER")]
    ents, pos = [], 0
    for surface, label in spans:
        start = text.index(surface, pos)
        ents.append(doc.char_span(start, start + len(surface), label=label))
        pos = start + len(surface)
    doc.ents = ents
    for _, component in pipeline.pipeline:
        doc = component(doc)
    assert relations(doc) == {("ROLE", "Annette Klerks", "International Business Services", "Leiterin")}
    (role,) = doc._.relations
    assert role.sentence.text == "IBS-Leiterin Annette Klerks begrüßte die Gäste."
