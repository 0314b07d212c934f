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
from kg.nlp.convert import doc_with_exact_spans
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
    doc = doc_with_exact_spans(nlp, text, spans)
    assert len(doc.ents) == len(spans)
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


# --- agreements named by their sides, meetings, event anaphora, list roles (invented sentences) ---


def canonicals(doc: Doc, label: str) -> list[str]:
    return [e._.canonical for e in doc.ents if e.label_ == label]


def test_generic_partnership_is_named_after_its_sides_german_side_first(nlp) -> None:
    text = (
        "Die Partnerschaft zwischen der Provinz Hubei und dem Land Sachsen besteht seit 2007. "
        "Die Partnerschaft umfasst Austausch in Kultur und Wirtschaft."
    )
    doc = make_doc(nlp, text, [("Partnerschaft", "AGREEMENT"), ("Hubei", "LOC"), ("Sachsen", "LOC"), ("Partnerschaft", "AGREEMENT")])
    assert canonicals(doc, "AGREEMENT") == ["Partnerschaft Sachsen–Hubei", "Partnerschaft Sachsen–Hubei"]
    assert {("PARTY_TO", "Sachsen", "Partnerschaft Sachsen–Hubei", None), ("PARTY_TO", "Hubei", "Partnerschaft Sachsen–Hubei", None)} <= relations(doc)


def test_agreement_keeps_its_qualifier_and_partnership_with_one_named_side(nlp) -> None:
    doc = make_doc(
        nlp,
        "Das Freihandelsabkommen zwischen Japan und der EU trat in Kraft.",
        [("Freihandelsabkommen", "AGREEMENT"), ("Japan", "LOC"), ("EU", "ORG")],
    )
    assert canonicals(doc, "AGREEMENT") == ["Freihandelsabkommen zwischen Japan und der EU"]
    doc = make_doc(
        nlp,
        "Anlass ist das Jubiläum der Städtepartnerschaft mit der chinesischen Millionenmetropole Wuhan.",
        [("Städtepartnerschaft", "AGREEMENT"), ("Wuhan", "LOC")],
    )
    assert canonicals(doc, "AGREEMENT") == ["Städtepartnerschaft mit Wuhan"]


def test_named_agreement_is_left_alone(nlp) -> None:
    doc = make_doc(
        nlp,
        "Die Musterallianz für Elektromobilität wurde 2015 von der Beispiel AG gegründet.",
        [("Musterallianz für Elektromobilität", "AGREEMENT"), ("Beispiel AG", "ORG")],
    )
    assert canonicals(doc, "AGREEMENT") == ["Musterallianz für Elektromobilität"]


def test_meeting_pairs_the_two_sides_not_the_members_of_one_side(nlp) -> None:
    doc = make_doc(
        nlp,
        "Minister Anton Beispiel und Staatssekretärin Berta Muster trafen sich mit Gouverneur Chen Ming und Li Hua.",
        [("Anton Beispiel", "PER"), ("Berta Muster", "PER"), ("Chen Ming", "PER"), ("Li Hua", "PER")],
    )
    met = {frozenset((h, t)) for kind, h, t, _ in relations(doc) if kind == "MET"}
    people = ["Anton Beispiel", "Berta Muster", "Ming Chen", "Hua Li"]
    assert met == {frozenset((a, b)) for a in people[:2] for b in people[2:]}


def test_signing_together_is_still_a_meeting(nlp) -> None:
    doc = make_doc(
        nlp,
        "Am Montag unterzeichneten Anton Beispiel und Chen Ming die Absichtserklärung.",
        [("Anton Beispiel", "PER"), ("Chen Ming", "PER"), ("Absichtserklärung", "AGREEMENT")],
    )
    assert ("MET", "Anton Beispiel", "Ming Chen", None) in relations(doc) or ("MET", "Ming Chen", "Anton Beispiel", None) in relations(doc)


def test_participation_in_the_one_event_of_a_document_across_sentences(nlp) -> None:
    text = (
        "Am 3. Mai fand in Leipzig der Musterforum Mobilität statt. "
        "Zu Beginn des Forums sprachen Dr. Anton Beispiel und Berta Muster in ihren Grußworten über Chancen."
    )
    doc = make_doc(nlp, text, [("Leipzig", "LOC"), ("Musterforum Mobilität", "EVENT"), ("Anton Beispiel", "PER"), ("Berta Muster", "PER")])
    found = relations(doc)
    assert ("PARTICIPATED", "Anton Beispiel", "Musterforum Mobilität", None) in found
    assert ("PARTICIPATED", "Berta Muster", "Musterforum Mobilität", None) in found


def test_no_event_anaphora_when_the_reference_is_ambiguous(nlp) -> None:
    text = (
        "Das Musterforum Mobilität und das Beispielforum Energie stehen an. "
        "Zu Beginn des Forums sprach Anton Beispiel."
    )
    doc = make_doc(nlp, text, [("Musterforum Mobilität", "EVENT"), ("Beispielforum Energie", "EVENT"), ("Anton Beispiel", "PER")])
    assert not any(kind == "PARTICIPATED" for kind, *_ in relations(doc))


def test_event_anaphora_picks_the_event_its_noun_names(nlp) -> None:
    text = (
        "Der Musterkongress Mobilität und die Beispielmesse Energie stehen an. "
        "Zu Beginn des Kongresses sprach Anton Beispiel."
    )
    doc = make_doc(nlp, text, [("Musterkongress Mobilität", "EVENT"), ("Beispielmesse Energie", "EVENT"), ("Anton Beispiel", "PER")])
    participated = {(h, t) for kind, h, t, _ in relations(doc) if kind == "PARTICIPATED"}
    assert participated == {("Anton Beispiel", "Musterkongress Mobilität")}


def test_speakers_and_organisers_of_the_main_event_in_later_sentences(nlp) -> None:
    text = (
        "Das 4. Musterforum Mobilität findet im Mai statt. Das 3. Musterforum Mobilität fand in Leipzig statt. "
        "Veranstalter sind die Beispiel GmbH und der Musterverband. "
        "Zu den Rednerinnen und Rednern gehören Anna Beispiel, Leiterin der Muster AG, und Chen Ming. "
        "Das 4. Musterforum Mobilität endet mit einem Empfang."
    )
    ents = [
        ("4. Musterforum Mobilität", "EVENT"), ("3. Musterforum Mobilität", "EVENT"), ("Leipzig", "LOC"),
        ("Beispiel GmbH", "ORG"), ("Musterverband", "ORG"), ("Anna Beispiel", "PER"), ("Muster AG", "ORG"), ("Chen Ming", "PER"),
        ("4. Musterforum Mobilität", "EVENT"),
    ]
    doc = make_doc(nlp, text, ents)
    participated = {(h, t) for kind, h, t, _ in relations(doc) if kind == "PARTICIPATED"}
    main = "4. Musterforum Mobilität"
    # the event named twice is the one the later sentences speak of; the speaker's employer is no participant
    assert participated == {("Beispiel GmbH", main), ("Musterverband", main), ("Anna Beispiel", main), ("Ming Chen", main)}


def test_being_at_an_event_is_participation_whatever_the_verb(nlp) -> None:
    doc = make_doc(
        nlp,
        "Am Rande der Beispielmesse Energie vereinbarten Anton Beispiel und die Muster GmbH eine Zusammenarbeit.",
        [("Beispielmesse Energie", "EVENT"), ("Anton Beispiel", "PER"), ("Muster GmbH", "ORG")],
    )
    participated = {(h, t) for kind, h, t, _ in relations(doc) if kind == "PARTICIPATED"}
    assert participated == {("Anton Beispiel", "Beispielmesse Energie"), ("Muster GmbH", "Beispielmesse Energie")}


def test_role_before_the_next_person_of_a_list_is_not_the_previous_persons(nlp) -> None:
    text = "Teilnehmer waren Ministerin Dr. Anna Beispiel, Generalkonsulin der Bundesrepublik Deutschland in Chengdu Dr. Berta Muster und andere."
    doc = make_doc(nlp, text, [("Anna Beispiel", "PER"), ("Bundesrepublik Deutschland", "LOC"), ("Chengdu", "LOC"), ("Berta Muster", "PER")])
    assert not any(h == "Anna Beispiel" and t == "Deutschland" for _, h, t, _ in relations(doc))


def test_office_of_the_land_before_a_person(nlp) -> None:
    doc = make_doc(
        nlp,
        "Es sprach Wirtschaftsministerin des Landes Sachsen Dr. Anna Beispiel.",
        [("Sachsen", "LOC"), ("Anna Beispiel", "PER")],
    )
    assert ("AFFILIATED", "Anna Beispiel", "Sachsen", "Wirtschaftsministerin") in relations(doc)


def test_staying_in_a_place_is_no_public_office_for_it(nlp) -> None:
    doc = make_doc(
        nlp,
        "Staatssekretär Dr. Anton Beispiel lobte die Standortbedingungen in Sachsen.",
        [("Anton Beispiel", "PER"), ("Sachsen", "LOC")],
    )
    assert not any(kind == "AFFILIATED" for kind, *_ in relations(doc))


def test_list_head_and_locative_partner_words_make_no_cooperation(nlp) -> None:
    doc = make_doc(
        nlp,
        "Die Delegation besuchte die chinesischen Partnerprovinzen Hubei und Hunan.",
        [("Hubei", "LOC"), ("Hunan", "LOC")],
    )
    assert not any(kind == "COOPERATES" for kind, *_ in relations(doc))
    doc = make_doc(
        nlp,
        "Die Beispiel AG und die Muster GmbH haben sich in der Partnerprovinz Hubei angesiedelt.",
        [("Beispiel AG", "ORG"), ("Muster GmbH", "ORG"), ("Hubei", "LOC")],
    )
    assert not any(kind == "COOPERATES" for kind, *_ in relations(doc))


def test_joint_work_without_a_cooperation_word(nlp) -> None:
    doc = make_doc(
        nlp,
        "An der Organisation der Reise sind die Beispielförderung Sachsen und die Musteragentur maßgeblich beteiligt.",
        [("Beispielförderung Sachsen", "ORG"), ("Musteragentur", "ORG")],
    )
    assert {frozenset((h, t)) for kind, h, t, _ in relations(doc) if kind == "COOPERATES"} == {
        frozenset(("Beispielförderung Sachsen", "Musteragentur"))
    }


def test_membership_verbs_give_part_of_between_organisations(nlp) -> None:
    doc = make_doc(
        nlp,
        "Die Musterschule Ost, die zur Beispielakademie Nord gehört, bildet Fachkräfte aus.",
        [("Musterschule Ost", "ORG"), ("Beispielakademie Nord", "ORG")],
    )
    assert ("PART_OF", "Musterschule Ost", "Beispielakademie Nord", None) in relations(doc)
    doc = make_doc(
        nlp,
        "Das Beispielinstitut Süd ist seit 2012 Teil der Mustergesellschaft West.",
        [("Beispielinstitut Süd", "ORG"), ("Mustergesellschaft West", "ORG")],
    )
    assert ("PART_OF", "Beispielinstitut Süd", "Mustergesellschaft West", None) in relations(doc)


def test_relative_clause_settles_an_organisation_in_a_place(nlp) -> None:
    doc = make_doc(
        nlp,
        "Erster Investor war die Beispiel Gruppe, die weiterhin erfolgreich in Zhuzhou (Hunan) arbeitet.",
        [("Beispiel Gruppe", "ORG"), ("Zhuzhou", "LOC"), ("Hunan", "LOC")],
    )
    assert any(kind == "LOCATED_IN" and t == "Zhuzhou" for kind, _, t, _ in relations(doc))


def test_person_directly_followed_by_an_organisation(nlp) -> None:
    doc = make_doc(nlp, "Es fragte der Abgeordnete Anton Beispiel Musterpartei nach Projekten.", [("Anton Beispiel", "PER"), ("Musterpartei", "ORG")])
    assert ("ROLE", "Anton Beispiel", "Musterpartei", "Abgeordnete") in relations(doc)


def test_native_spelling_in_parentheses_is_the_same_place(nlp) -> None:
    doc = make_doc(
        nlp,
        "Wuhan (chinesisch 武汉市) ist die Hauptstadt der chinesischen Provinz Hubei.",
        [("Wuhan", "LOC"), ("武汉市", "LOC"), ("Hubei", "LOC")],
    )
    assert [e._.canonical for e in doc.ents] == ["Wuhan", "Wuhan", "Hubei"]
    assert ("PART_OF", "Wuhan", "Hubei", None) in relations(doc)


def test_helpers_are_no_parties_and_each_agreement_keeps_its_own_partner(nlp) -> None:
    doc = make_doc(
        nlp,
        "Die Beispieluniversität und die Musterhochschule schließen den Kooperationsvertrag in Abstimmung mit dem Musterdienst.",
        [("Beispieluniversität", "ORG"), ("Musterhochschule", "ORG"), ("Kooperationsvertrag", "AGREEMENT"), ("Musterdienst", "ORG")],
    )
    parties = {h for kind, h, _, _ in relations(doc) if kind == "PARTY_TO"}
    assert parties == {"Beispieluniversität", "Musterhochschule"}
    doc = make_doc(
        nlp,
        "Anton Beispiel unterzeichnete einen Rahmenvertrag mit der Musteruniversität Ost sowie eine Absichtserklärung mit der Beispielhochschule West.",
        [("Anton Beispiel", "PER"), ("Rahmenvertrag", "AGREEMENT"), ("Musteruniversität Ost", "ORG"), ("Absichtserklärung", "AGREEMENT"), ("Beispielhochschule West", "ORG")],
    )
    found = {(h, t) for kind, h, t, _ in relations(doc) if kind == "PARTY_TO"}
    assert ("Beispielhochschule West", "Rahmenvertrag mit der Musteruniversität Ost") not in found
    assert not any(h == "Musteruniversität Ost" and t.startswith("Absichtserklärung") for h, t in found)
    assert ("Anton Beispiel", "Rahmenvertrag mit der Musteruniversität Ost") in found


def test_signers_are_parties_also_of_an_agreement_between_two_organisations(nlp) -> None:
    doc = make_doc(
        nlp,
        "Am Montag unterzeichneten Anton Beispiel und Chen Ming die Absichtserklärung zwischen der Beispiel GmbH und der Musteragentur.",
        [("Anton Beispiel", "PER"), ("Chen Ming", "PER"), ("Absichtserklärung", "AGREEMENT"), ("Beispiel GmbH", "ORG"), ("Musteragentur", "ORG")],
    )
    parties = {h for kind, h, _, _ in relations(doc) if kind == "PARTY_TO"}
    assert parties == {"Anton Beispiel", "Ming Chen", "Beispiel GmbH", "Musteragentur"}


def test_zwischen_needs_a_cooperation_head(nlp) -> None:
    doc = make_doc(nlp, "Die Zusammenarbeit zwischen Sachsen und Hubei wächst.", [("Sachsen", "LOC"), ("Hubei", "LOC")])
    assert {frozenset((h, t)) for kind, h, t, _ in relations(doc) if kind == "COOPERATES"} == {frozenset(("Sachsen", "Hubei"))}
    for text, ents in [
        ("Die Flugverbindung zwischen Leipzig und Wuhan stärkt die Zusammenarbeit.", [("Leipzig", "LOC"), ("Wuhan", "LOC")]),
        ("Das Freihandelsabkommen zwischen Japan und der EU fördert die Kooperation.", [("Freihandelsabkommen", "AGREEMENT"), ("Japan", "LOC"), ("EU", "ORG")]),
        ("Die Delegation könnte auf Partner aus Leipzig und Dresden treffen.", [("Leipzig", "LOC"), ("Dresden", "LOC")]),
    ]:
        doc = make_doc(nlp, text, ents)
        assert not any(kind == "COOPERATES" for kind, *_ in relations(doc)), text


@pytest.mark.parametrize("text, entities, expected", [
    ("Geschäftsführer der Nordlicht Robotik GmbH ist Anna Berg, die aus Kiel stammt.",
     [("Nordlicht Robotik GmbH", "ORG"), ("Anna Berg", "PER"), ("Kiel", "LOC")],
     ("ROLE", "Anna Berg", "Nordlicht Robotik GmbH", "Geschäftsführer")),
    ("Zum Leiter der Nordsee Logistik AG wurde Jan Kurz berufen.",
     [("Nordsee Logistik AG", "ORG"), ("Jan Kurz", "PER")], ("ROLE", "Jan Kurz", "Nordsee Logistik AG", "Leiter")),
    ("Die Gäste begrüßte Staatssekretär Dr. Ole Brand aus dem Ministerium für Häfen.",
     [("Ole Brand", "PER"), ("Ministerium für Häfen", "ORG")],
     ("ROLE", "Ole Brand", "Ministerium für Häfen", "Staatssekretär")),
    ("Geleitet wird die Elbe Fracht GmbH von Mia Lund.", [("Elbe Fracht GmbH", "ORG"), ("Mia Lund", "PER")],
     ("ROLE", "Mia Lund", "Elbe Fracht GmbH", None)),
    ("Sie sprach mit Karl Moos, Vorstandsvorsitzender der Moos Hydraulik AG.",
     [("Karl Moos", "PER"), ("Moos Hydraulik AG", "ORG")],
     ("ROLE", "Karl Moos", "Moos Hydraulik AG", "Vorstandsvorsitzender")),
    ("Aussteller ist die Gruber Fördertechnik GmbH aus Rosenheim.",
     [("Gruber Fördertechnik GmbH", "ORG"), ("Rosenheim", "LOC")],
     ("LOCATED_IN", "Gruber Fördertechnik GmbH", "Rosenheim", None)),
    ("Zugesagt hat die in Dalian ansässige Reederei Bohai Lines.", [("Dalian", "LOC"), ("Bohai Lines", "ORG")],
     ("LOCATED_IN", "Bohai Lines", "Dalian", None)),
    ("Gast war die Lindner AG, die seit 2011 ein Werk in Jiading betreibt.",
     [("Lindner AG", "ORG"), ("Jiading", "LOC")], ("LOCATED_IN", "Lindner AG", "Jiading", None)),
])
def test_more_role_and_seat_wordings(nlp: Language, text: str, entities: list, expected: tuple) -> None:
    assert expected in relations(make_doc(nlp, text, entities))


def test_a_partner_is_no_role_and_a_customer_from_a_place_no_seat(nlp: Language) -> None:
    doc = make_doc(nlp, "Die Nordlicht GmbH ist ein Partner von Anna Berg und liefert Teile aus Kiel.",
                   [("Nordlicht GmbH", "ORG"), ("Anna Berg", "PER"), ("Kiel", "LOC")])
    assert {r[0] for r in relations(doc)} <= {"MET"} and not any(r[0] in ("ROLE", "LOCATED_IN") for r in relations(doc))


def test_units_and_districts(nlp: Language) -> None:
    doc = make_doc(nlp, "Der VDMA Nord, Landesverband des Maschinenbauverbands, lobte. Das NTRO untersteht dem Handelsamt Kiel. "
                        "Jiangsu mit der Hauptstadt Nanjing wächst. Der Zug erreichte Billwerder, einen Stadtteil im Osten Hamburgs.",
                   [("VDMA Nord", "ORG"), ("Maschinenbauverbands", "ORG"), ("NTRO", "ORG"), ("Handelsamt Kiel", "ORG"),
                    ("Jiangsu", "LOC"), ("Nanjing", "LOC"), ("Billwerder", "LOC"), ("Hamburgs", "LOC")])
    found = {(t, h, tl) for t, h, tl, _ in relations(doc)}
    assert ("PART_OF", "NTRO", "Handelsamt Kiel") in found and ("PART_OF", "Nanjing", "Jiangsu") in found
    assert ("PART_OF", "Billwerder", "Hamburg") in found
    assert any(t == "PART_OF" and h == "VDMA Nord" for t, h, _ in found)


def test_no_sentence_starts_at_a_comma_after_a_legal_form() -> None:
    import kg.nlp.sentences  # noqa: F401

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_sentences")
    doc = nlp("Gast war die Nordlicht Co., Ltd., eine Tochter der Y AG. Danach sprach Anna. Sie lachte.")
    assert [s.text.strip() for s in doc.sents] == [
        "Gast war die Nordlicht Co., Ltd., eine Tochter der Y AG.", "Danach sprach Anna.", "Sie lachte."]


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Die Muster GmbH beschäftigt rund 800 Mitarbeitende an Standorten in Ningbo, Hefei und Chongqing.",
            [("Muster GmbH", "ORG"), ("Ningbo", "LOC"), ("Hefei", "LOC"), ("Chongqing", "LOC")],
            {("Muster GmbH", "Ningbo"), ("Muster GmbH", "Hefei"), ("Muster GmbH", "Chongqing")},
        ),
        (
            "Die Beispiel AG unterhält neben der Zentrale in Hamburg Repräsentanzen in Wien und Prag.",
            [("Beispiel AG", "ORG"), ("Hamburg", "LOC"), ("Wien", "LOC"), ("Prag", "LOC")],
            {("Beispiel AG", "Hamburg"), ("Beispiel AG", "Wien"), ("Beispiel AG", "Prag")},
        ),
        (
            "Die Muster Shipping GmbH hat in Hamburg ihre erste Niederlassung in Europa eröffnet.",
            [("Muster Shipping GmbH", "ORG"), ("Hamburg", "LOC"), ("Europa", "LOC")],
            {("Muster Shipping GmbH", "Hamburg"), ("Muster Shipping GmbH", "Europa")},
        ),
    ],
)
def test_sites_named_later_in_the_clause(nlp, text, entities, expected) -> None:
    doc = make_doc(nlp, text, entities)
    located = {(h, t) for kind, h, t, _ in relations(doc) if kind == "LOCATED_IN"}
    assert located == expected


def test_a_subject_place_between_blocks_a_site_of_an_earlier_organisation(nlp) -> None:
    doc = make_doc(
        nlp,
        "Laut Beispiel AG hat Nordrhein-Westfalen nun auch eine Vertretung in Beijing.",
        [("Beispiel AG", "ORG"), ("Nordrhein-Westfalen", "LOC"), ("Beijing", "LOC")],
    )
    assert not any(kind == "LOCATED_IN" and h == "Beispiel AG" for kind, h, _, _ in relations(doc))


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Pressekontakt: Beispiel GmbH, Anna Muster, Pressesprecherin, Erfurt",
            [("Beispiel GmbH", "ORG"), ("Anna Muster", "PER"), ("Erfurt", "LOC")],
            {("Anna Muster", "Beispiel GmbH", "Pressesprecherin")},
        ),
        (
            "Pressekontakt: Anna Muster, Pressereferentin, Musterkammer Halle, Musterstraße 5",
            [("Anna Muster", "PER"), ("Musterkammer Halle", "ORG")],
            {("Anna Muster", "Musterkammer Halle", "Pressereferentin")},
        ),
        (
            "Geschäftsführerin der Beispiel Wind GmbH ist die Niederländerin Anna Muster, die zuvor in Dänemark tätig war.",
            [("Beispiel Wind GmbH", "ORG"), ("Anna Muster", "PER"), ("Dänemark", "LOC")],
            {("Anna Muster", "Beispiel Wind GmbH", "Geschäftsführerin")},
        ),
        (
            "Geleitet wird das Musterinstitut Erfurt von der Sinologin Dr. Anna Muster und dem chinesischen Co-Direktor Fang LIU.",
            [("Musterinstitut Erfurt", "ORG"), ("Anna Muster", "PER"), ("Fang LIU", "PER")],
            {("Anna Muster", "Musterinstitut Erfurt", None), ("Fang Liu", "Musterinstitut Erfurt", "Co-Direktor")},
        ),
    ],
)
def test_roles_in_contact_blocks_copulas_and_passives(nlp, text, entities, expected) -> None:
    doc = make_doc(nlp, text, entities)
    assert {(h, t, role) for kind, h, t, role in relations(doc) if kind == "ROLE"} == expected


def test_a_contact_block_pairs_no_person_across_another_person(nlp) -> None:
    doc = make_doc(
        nlp,
        "Kontakt: Anna Muster, Beispiel GmbH; Bernd Beispiel, Muster AG",
        [("Anna Muster", "PER"), ("Beispiel GmbH", "ORG"), ("Bernd Beispiel", "PER"), ("Muster AG", "ORG")],
    )
    roles_found = {(h, t) for kind, h, t, _ in relations(doc) if kind == "ROLE"}
    assert ("Anna Muster", "Muster AG") not in roles_found and ("Bernd Beispiel", "Beispiel GmbH") not in roles_found
    assert ("Anna Muster", "Beispiel GmbH") in roles_found and ("Bernd Beispiel", "Muster AG") in roles_found


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Die Partner – das Musterinstitut A, das Musterinstitut B und das Musterinstitut C – sind Institute der Beispiel-Gemeinschaft.",
            [("Musterinstitut A", "ORG"), ("Musterinstitut B", "ORG"), ("Musterinstitut C", "ORG"), ("Beispiel-Gemeinschaft", "ORG")],
            {(f"Musterinstitut {x}", "Beispiel-Gemeinschaft") for x in "ABC"},
        ),
        (
            "Das Asiengeschäft der Muster Messe steuert deren Tochter Muster Messe (HK) Ltd mit Sitz in Hongkong.",
            [("Muster Messe", "ORG"), ("Muster Messe (HK) Ltd", "ORG"), ("Hongkong", "LOC")],
            {("Muster Messe (HK) Ltd", "Muster Messe")},
        ),
        (
            "Die Messe wird von der Muster Messe Shenzhen Ltd veranstaltet, einer Tochtergesellschaft der Beispiel AG.",
            [("Muster Messe Shenzhen Ltd", "ORG"), ("Beispiel AG", "ORG")],
            {("Muster Messe Shenzhen Ltd", "Beispiel AG")},
        ),
    ],
)
def test_units_of_organisations(nlp, text, entities, expected) -> None:
    doc = make_doc(nlp, text, entities)
    assert {(h, t) for kind, h, t, _ in relations(doc) if kind == "PART_OF"} == expected


def test_a_parent_company_is_no_short_form_of_its_subsidiary(nlp) -> None:
    doc = make_doc(
        nlp,
        "Die Muster Messe gründete die Muster Messe (HK) Ltd. Die Muster Messe Europe GmbH folgte. Die Muster Messe wächst.",
        [("Muster Messe", "ORG"), ("Muster Messe (HK) Ltd", "ORG"), ("Muster Messe Europe GmbH", "ORG"), ("Muster Messe", "ORG")],
    )
    assert [e._.canonical for e in doc.ents] == ["Muster Messe", "Muster Messe (HK) Ltd", "Muster Messe Europe GmbH", "Muster Messe"]


def _cooperating_pairs(doc: Doc) -> set[frozenset[str]]:
    return {frozenset((h, t)) for kind, h, t, _ in relations(doc) if kind == "COOPERATES"}


def test_joint_organisers_all_cooperate(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Veranstalter sind die Hochschule Anhalt, die Universität Potsdam und die Xi'an Jiaotong University.",
        [("Hochschule Anhalt", "ORG"), ("Universität Potsdam", "ORG"), ("Xi'an Jiaotong University", "ORG")],
    )
    assert _cooperating_pairs(doc) == {
        frozenset(("Hochschule Anhalt", "Universität Potsdam")),
        frozenset(("Hochschule Anhalt", "Xi'an Jiaotong University")),
        frozenset(("Universität Potsdam", "Xi'an Jiaotong University")),
    }


def test_origin_place_in_a_list_is_not_a_member(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Organisiert wird der Stand vom Netzwerk Optik Nord aus Kiel und der Wirtschaftsförderung Lübeck.",
        [("Optik Nord", "ORG"), ("Kiel", "LOC"), ("Wirtschaftsförderung Lübeck", "ORG")],
    )
    assert _cooperating_pairs(doc) == {frozenset(("Optik Nord", "Wirtschaftsförderung Lübeck"))}
    assert ("LOCATED_IN", "Optik Nord", "Kiel", None) in relations(doc)


def test_everyone_around_gemeinsam_mit_cooperates(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Die IHK Kiel und die IHK Lübeck planen gemeinsam mit der Agentur Nordlicht eine Reise nach Harbin.",
        [("IHK Kiel", "ORG"), ("IHK Lübeck", "ORG"), ("Agentur Nordlicht", "ORG"), ("Harbin", "LOC")],
    )
    assert _cooperating_pairs(doc) == {
        frozenset(("IHK Kiel", "IHK Lübeck")),
        frozenset(("IHK Kiel", "Agentur Nordlicht")),
        frozenset(("IHK Lübeck", "Agentur Nordlicht")),
    }



@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        ("Das Forum fand im Bezirk Futian in Shenzhen statt.", ("Futian", "Shenzhen"), True),
        ("Taizhou liegt an der Küste der Provinz Zhejiang.", ("Taizhou", "Zhejiang"), True),
        ("Die Firma bezog Büros im Medienhafen in Düsseldorf.", ("Medienhafen", "Düsseldorf"), True),
        ("Datong, eine Stadt mit drei Millionen Einwohnern im Norden der Provinz Shanxi, wächst.", ("Datong", "Shanxi"), True),
        # the gazetteer vetoes what it knows to be wrong
        ("Unternehmen aus Deutschland in China sind optimistisch.", ("Deutschland", "China"), False),
        ("Gäste aus Düsseldorf in Berlin feierten.", ("Düsseldorf", "Berlin"), False),
        ("Die Provinzhauptstadt Hefei ist von Shanghai aus schnell erreichbar.", ("Hefei", "Shanghai"), False),
    ],
)
def test_places_stated_to_lie_in_places(nlp: Language, text: str, places: tuple[str, str], expected: bool) -> None:
    doc = make_doc(nlp, text, [(places[0], "LOC"), (places[1], "LOC")])
    assert (("PART_OF", places[0], places[1], None) in relations(doc)) is expected


def test_legal_form_full_stop_does_not_end_the_sentence(nlp: Language) -> None:
    """A Doc cut at span bounds has a space token after "Ltd."; the sentence must go on."""
    pipeline = spacy.blank("de")
    for name in ("sentencizer", "kg_sentences", "kg_coref", "kg_relations"):
        pipeline.add_pipe(name)
    import kg.nlp.sentences  # noqa: F401  (registers kg_sentences)

    doc = make_doc(
        pipeline,
        "Das Werk der Zhejiang Jinhai Valve Co., Ltd. in Neckarsulm beschäftigt 65 Menschen.",
        [("Zhejiang Jinhai Valve Co., Ltd.", "ORG"), ("Neckarsulm", "LOC")],
    )
    assert ("LOCATED_IN", "Zhejiang Jinhai Valve Co., Ltd.", "Neckarsulm", None) in relations(doc)


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        (
            "Angestoßen hat die Initiative die IHK Passau mit Unterstützung von Bayern Global.",
            [("IHK Passau", "ORG"), ("Bayern Global", "ORG")],
            {("IHK Passau", "Bayern Global")},
        ),
        (
            "Bei der Ansiedlung wurde Musterfracht von der Agentur Ost und der Invest Nord GmbH begleitet.",
            [("Musterfracht", "ORG"), ("Agentur Ost", "ORG"), ("Invest Nord GmbH", "ORG")],
            {("Musterfracht", "Agentur Ost"), ("Musterfracht", "Invest Nord GmbH")},
        ),
        (
            "Kooperationspartner von Beispiel Fahrwerk auf chinesischer Seite ist das Handelsamt Liuzhou.",
            [("Beispiel Fahrwerk", "ORG"), ("Handelsamt Liuzhou", "ORG")],
            {("Beispiel Fahrwerk", "Handelsamt Liuzhou")},
        ),
        (
            "Gemeinsam mit der Hochschule Emden betreibt Musterpack seit 2018 ein Labor.",
            [("Hochschule Emden", "ORG"), ("Musterpack", "ORG")],
            {("Hochschule Emden", "Musterpack")},
        ),
        (
            "Partner des Programms sind die Agentur Ost, die IHK Cottbus und die Handwerkskammer Cottbus.",
            [("Agentur Ost", "ORG"), ("IHK Cottbus", "ORG"), ("Handwerkskammer Cottbus", "ORG")],
            {("Agentur Ost", "IHK Cottbus"), ("Agentur Ost", "Handwerkskammer Cottbus"), ("IHK Cottbus", "Handwerkskammer Cottbus")},
        ),
        (
            "Die Muster Automation GmbH aus Hildesheim ist künftig strategischer Partner von Haixin.",
            [("Muster Automation GmbH", "ORG"), ("Hildesheim", "LOC"), ("Haixin", "ORG")],
            {("Muster Automation GmbH", "Haixin")},
        ),
    ],
)
def test_support_partner_and_joint_project_wordings(nlp: Language, text: str, entities: list, expected: set) -> None:
    doc = make_doc(nlp, text, entities)
    assert _cooperating_pairs(doc) == {frozenset(pair) for pair in expected}


def _typed(doc: Doc, type_: str) -> set[tuple[str, str]]:
    return {(r.head.text, r.tail.text) for r in doc._.relations if r.type == type_}


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (  # a mixed-case acronym in parentheses belongs to the name before it
            "Es sprach der Präsident des Bundesamts für Beispielwesen (BfBW), Prof. Dr. Karl Muster.",
            [("Bundesamts für Beispielwesen", "ORG"), ("BfBW", "ORG"), ("Karl Muster", "PER")],
            {("Karl Muster", "Bundesamts für Beispielwesen")},
        ),
        (  # a unit of the organisation between role word and organisation
            "Anwesend war die Leiterin des Sprachenzentrums der Hochschule Musterstadt, Eva Beispiel.",
            [("Hochschule Musterstadt", "ORG"), ("Eva Beispiel", "PER")],
            {("Eva Beispiel", "Hochschule Musterstadt")},
        ),
        (  # a deputy coordinated after the head of the same body
            "Der Direktor der Handelskommission Musterprovinz Li Ming und der stellvertretende Direktor Wang Hua nahmen teil.",
            [("Handelskommission Musterprovinz", "ORG"), ("Li Ming", "PER"), ("Wang Hua", "PER")],
            {("Li Ming", "Handelskommission Musterprovinz"), ("Wang Hua", "Handelskommission Musterprovinz")},
        ),
        (  # another function after "und der" may belong elsewhere: no role inherited
            "Der Präsident der IHK Musterstadt, Hans Beispiel, und der Botschafter Wu Ken sprachen.",
            [("IHK Musterstadt", "ORG"), ("Hans Beispiel", "PER"), ("Wu Ken", "PER")],
            {("Hans Beispiel", "IHK Musterstadt")},
        ),
    ],
)
def test_roles_over_acronyms_units_and_deputies(nlp: Language, text: str, entities: list, expected: set) -> None:
    assert _typed(make_doc(nlp, text, entities), "ROLE") == expected


def test_every_subject_organisation_has_the_headquarters(nlp: Language) -> None:
    text = "Die Konzerne Beispielbau und Musterkran haben in Nordrhein-Westfalen ihre Europazentralen."
    doc = make_doc(nlp, text, [("Beispielbau", "ORG"), ("Musterkran", "ORG"), ("Nordrhein-Westfalen", "LOC")])
    assert _typed(doc, "LOCATED_IN") == {("Beispielbau", "Nordrhein-Westfalen"), ("Musterkran", "Nordrhein-Westfalen")}


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Gefragt ist Nordrhein-Westfalen, Deutschlands wirtschaftlich stärkstes Bundesland.",
            [("Nordrhein-Westfalen", "LOC"), ("Deutschlands", "LOC")],
            {("Nordrhein-Westfalen", "Deutschlands")},
        ),
        (  # the gazetteer vetoes a place of another country
            "Die Gäste reisten nach Wuppertal, Chinas neuer Partnerstadt.",
            [("Wuppertal", "LOC"), ("Chinas", "LOC")],
            set(),
        ),
    ],
)
def test_place_in_a_genitive_apposition(nlp: Language, text: str, entities: list, expected: set) -> None:
    assert _typed(make_doc(nlp, text, entities), "PART_OF") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hans Muster ist seit 2019 Geschäftsführer der Nordlicht GmbH.", {("Hans Muster", "Nordlicht GmbH")}),
        ("Hans Muster wurde zum Präsidenten der Nordlicht GmbH gewählt.", {("Hans Muster", "Nordlicht GmbH")}),
        ("Hans Muster ist ein Kunde der Nordlicht GmbH.", set()),
    ],
)
def test_role_after_a_copula(nlp: Language, text: str, expected: set) -> None:
    doc = make_doc(nlp, text, [("Hans Muster", "PER"), ("Nordlicht GmbH", "ORG")])
    assert _typed(doc, "ROLE") == expected


def test_witness_of_a_signing_is_no_party(nlp: Language) -> None:
    text = "Im Beisein von Ministerpräsident Hans Muster unterzeichneten die IHK Musterstadt und die Agentur Ost eine Kooperationsvereinbarung."
    doc = make_doc(nlp, text, [("Hans Muster", "PER"), ("IHK Musterstadt", "ORG"), ("Agentur Ost", "ORG"), ("Kooperationsvereinbarung", "AGREEMENT")])
    assert {head for head, _ in _typed(doc, "PARTY_TO")} == {"IHK Musterstadt", "Agentur Ost"}


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Die Musteragentur ist eine Agentur des chinesischen Handelsministeriums MUSTCOM.",
            [("Musteragentur", "ORG"), ("MUSTCOM", "ORG")],
            {("Musteragentur", "MUSTCOM")},
        ),
        (
            "Die IHK Musterstadt ist Mitglied im Netzwerk logistik.nrw.",
            [("IHK Musterstadt", "ORG"), ("logistik.nrw", "ORG")],
            {("IHK Musterstadt", "logistik.nrw")},
        ),
        (
            "Wuppertal, Solingen und Remscheid bilden das Bergische Städtedreieck.",
            [("Wuppertal", "LOC"), ("Solingen", "LOC"), ("Remscheid", "LOC"), ("Bergische Städtedreieck", "LOC")],
            {("Wuppertal", "Bergische Städtedreieck"), ("Solingen", "Bergische Städtedreieck"), ("Remscheid", "Bergische Städtedreieck")},
        ),
        (
            "Die Städte Wuppertal und Solingen im Bergischen Land werben um Investoren.",
            [("Wuppertal", "LOC"), ("Solingen", "LOC"), ("Bergischen Land", "LOC")],
            {("Wuppertal", "Bergischen Land"), ("Solingen", "Bergischen Land")},
        ),
        (  # the gazetteer still vetoes a city of another country
            "Die Städte Wuppertal und Shanghai in China kooperieren.",
            [("Wuppertal", "LOC"), ("Shanghai", "LOC"), ("China", "LOC")],
            {("Shanghai", "China")},
        ),
    ],
)
def test_membership_and_places_that_make_up_a_region(nlp: Language, text: str, entities: list, expected: set) -> None:
    assert _typed(make_doc(nlp, text, entities), "PART_OF") == expected


def test_office_holder_with_the_place_in_parentheses(nlp: Language) -> None:
    text = "Landrat Hans Muster (Kreis Musterland) und Bürgermeister Li Ming (Stadt Taicang) trafen sich in Berlin."
    entities = [("Hans Muster", "PER"), ("Kreis Musterland", "LOC"), ("Li Ming", "PER"), ("Taicang", "LOC"), ("Berlin", "LOC")]
    assert _typed(make_doc(nlp, text, entities), "AFFILIATED") == {("Hans Muster", "Kreis Musterland"), ("Li Ming", "Taicang")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rund 300 Gäste kamen zum Musterforum nach Düsseldorf.", {("Musterforum", "Düsseldorf")}),
        ("Nach dem Musterforum reiste die Delegation nach Düsseldorf weiter.", set()),
    ],
)
def test_travel_to_an_event_names_its_venue(nlp: Language, text: str, expected: set) -> None:
    doc = make_doc(nlp, text, [("Musterforum", "EVENT"), ("Düsseldorf", "LOC")])
    assert _typed(doc, "LOCATED_IN") == expected
