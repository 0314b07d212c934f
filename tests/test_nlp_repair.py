"""Organisation span repairs (kg.nlp.repair) on constructed sentences."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from kg.nlp.gazetteer import place_names
from kg.nlp.repair import repair_org_spans

nlp = spacy.blank("de")
PLACES = set(place_names())


def repaired(text: str, marked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Run the repairs on ``text`` whose entities are the given (surface, label) pairs, in order."""
    doc = nlp(text)
    ents, at = [], 0
    for surface, label in marked:
        start = text.index(surface, at)
        at = start + len(surface)
        span = doc.char_span(start, at, label=label)
        assert span is not None, surface
        ents.append(span)
    doc.ents = ents
    return [(e.text, e.label_) for e in repair_org_spans(doc, list(doc.ents), PLACES)]


@pytest.mark.parametrize("text, marked, expected", [
    ("Das Sächsische Staatsministerium für Wirtschaft lädt ein.",
     [("Staatsministerium für Wirtschaft", "ORG")], [("Sächsische Staatsministerium für Wirtschaft", "ORG")]),
    ("Gäste der Brandenburgische Technische Universität Cottbus kamen.",
     [("Universität Cottbus", "ORG")], [("Brandenburgische Technische Universität Cottbus", "ORG")]),
    ("Gäste der Dalian Maritime University kamen.",
     [("Dalian", "LOC"), ("Maritime University", "ORG")], [("Dalian Maritime University", "ORG")]),
    ("Sie vertritt die CCPIT Zhejiang in Berlin.",
     [("CCPIT", "ORG"), ("Zhejiang", "LOC"), ("Berlin", "LOC")], [("CCPIT Zhejiang", "ORG"), ("Berlin", "LOC")]),
    ("Die Tochtergesellschaft Nordlicht Robotik GmbH wächst.",
     [("Tochtergesellschaft Nordlicht Robotik GmbH", "ORG")], [("Nordlicht Robotik GmbH", "ORG")]),
    ("Das Ministerium für Wissenschaft (MOST) die Arbeit beginnt.",
     [("Ministerium für Wissenschaft (MOST) die Arbeit", "ORG")], [("Ministerium für Wissenschaft (MOST)", "ORG")]),
    ("Sie arbeitet im Universitätsklinikum Düsseldorf.",
     [("Universitätsklinikum Düsseldorf", "LOC")], [("Universitätsklinikum Düsseldorf", "ORG")]),
    ("Er sprach mit Invest in Bavaria über Investitionen.", [("Bavaria", "LOC")], [("Invest in Bavaria", "ORG")]),
    ("Ein Vertreter von Berlin Partner kam.", [("Berlin", "LOC")], [("Berlin Partner", "ORG")]),
    ("Die IHK für München und Oberbayern lädt ein.",
     [("IHK", "ORG"), ("München", "LOC"), ("Oberbayern", "LOC")], [("IHK für München und Oberbayern", "ORG")]),
    ("Er traf Vertreter der Liaoning Jinhai Shipping in Dalian.",
     [("Liaoning", "LOC"), ("Jinhai Shipping", "PER"), ("Dalian", "LOC")],
     [("Liaoning Jinhai Shipping", "ORG"), ("Dalian", "LOC")]),
    # a place adjective and a descriptor before a company name
    ("Das Bielefelder Familienunternehmen Nordlicht Robotik GmbH wächst.",
     [("Bielefelder Familienunternehmen Nordlicht Robotik GmbH", "ORG")], [("Nordlicht Robotik GmbH", "ORG")]),
    ("Er besuchte den Roboterhersteller Nordlicht in Augsburg.",
     [("Roboterhersteller Nordlicht", "PER"), ("Augsburg", "LOC")], [("Nordlicht", "ORG"), ("Augsburg", "LOC")]),
    ("Sie bedankte sich bei der Kreissparkasse Musterland.",
     [("Kreissparkasse Musterland", "LOC")], [("Kreissparkasse Musterland", "ORG")]),
])
def test_repairs(text: str, marked: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    assert repaired(text, marked) == expected


@pytest.mark.parametrize("text, marked", [
    # a sentence-initial article is not part of an English name
    ("Die Hunan General Chamber of Commerce lädt ein.", [("Hunan General Chamber of Commerce", "ORG")]),
    # development zones stay places
    ("Sie liegt in der Nantong Haimen Economic and Technology Development Zone.",
     [("Nantong Haimen Economic and Technology Development Zone", "LOC")]),
    # a lower-case adjective is no part of a name; a place before a German name stays a place
    ("Die sächsische Staatsregierung und Dresden Marketing werben.", [("Dresden", "LOC")]),
    ("Der Verband Deutscher Maschinen- und Anlagenbau tagt.", [("Verband Deutscher Maschinen- und Anlagenbau", "ORG")]),
    # a "-sch-" adjective belongs to the name, even before a descriptor-like head
    ("Der Investor Li Ming kam.", [("Investor Li Ming", "PER")]),  # a person may be described
    ("Der Koreanische Unternehmerverband Westfalen tagt.", [("Koreanische Unternehmerverband Westfalen", "ORG")]),
])
def test_names_that_stay_as_they_are(text: str, marked: list[tuple[str, str]]) -> None:
    assert repaired(text, marked) == marked


def test_the_pipeline_repairs_by_default() -> None:
    from kg.nlp.pipeline import load_pipeline

    assert load_pipeline().get_pipe("kg_consistency").repair is True


def test_a_name_tagged_person_and_organisation_becomes_a_person() -> None:
    from kg.nlp.rules import DocumentConsistency

    text = "Es unterschrieb Anna B. Berg, Geschäftsführerin der Nordlicht GmbH in Kiel. Später sprach Anna B. Berg."
    doc = nlp(text)
    first = doc.char_span(text.index("Anna"), text.index(","), label="ORG")
    org = doc.char_span(text.index("Nordlicht"), text.index(" in Kiel"), label="ORG")
    second = doc.char_span(text.rindex("Anna"), len(text) - 1, label="PER")
    assert first.text == second.text == "Anna B. Berg" and org.text == "Nordlicht GmbH"
    doc.ents = [first, org, second]
    doc = DocumentConsistency(repair=False)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Anna B. Berg", "PER"), ("Nordlicht GmbH", "ORG"), ("Anna B. Berg", "PER")]


@pytest.mark.parametrize("text, surface, label, expected", [
    # no gazetteer knows it and nothing before it says "place": an organisation word makes it one
    ("Die Suzhou Industrial Park Holding meldet Zahlen.", "Suzhou Industrial Park Holding", "LOC", ("Suzhou Industrial Park Holding", "ORG")),
    ("Der Warenaustausch wächst.", "Warenaustausch", "LOC", None),
    # a known place, a place cue, a German town ending: kept as places
    ("Die Delegation reiste weiter nach Chengdu.", "Chengdu", "LOC", ("Chengdu", "LOC")),
    ("Das Werk steht in Oberkassel.", "Oberkassel", "LOC", ("Oberkassel", "LOC")),
    ("Gütersloh investiert in den Hafen.", "Gütersloh", "LOC", ("Gütersloh", "LOC")),
    # built like a place: a place-type ending or prefix, a compass prefix on a known region
    ("Der Musterbergkreis wirbt.", "Musterbergkreis", "LOC", ("Musterbergkreis", "LOC")),
    ("Das Rhein-Muster-Gebiet wächst.", "Rhein-Muster-Gebiet", "LOC", ("Rhein-Muster-Gebiet", "LOC")),
    ("Mittelhessen wirbt.", "Mittelhessen", "LOC", ("Mittelhessen", "LOC")),
])
def test_places_that_no_gazetteer_knows(text: str, surface: str, label: str, expected: tuple[str, str] | None) -> None:
    from kg.nlp.rules import DocumentConsistency

    doc = nlp(text)
    start = text.index(surface)
    doc.ents = [doc.char_span(start, start + len(surface), label=label)]
    doc = DocumentConsistency(propagate=False)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == ([expected] if expected else [])


def test_a_name_given_up_as_a_place_is_not_kept_as_a_person_elsewhere() -> None:
    from kg.nlp.rules import DocumentConsistency

    text = "Das Muster Desk hilft. Das Muster Desk berät."
    doc = nlp(text)
    first = doc.char_span(text.index("Muster"), text.index(" hilft"), label="LOC")
    second = doc.char_span(text.rindex("Muster"), text.index(" berät"), label="PER")
    doc.ents = [first, second]
    doc = DocumentConsistency(propagate=True)(doc)
    assert not any(e.label_ in {"PER", "LOC"} for e in doc.ents)
