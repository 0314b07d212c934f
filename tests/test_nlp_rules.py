"""The rule component and load_pipeline on invented sentences (not from the corpus)."""

from __future__ import annotations

import pytest
import spacy

from kg.nlp.gazetteer import place_names
from kg.nlp.pipeline import load_pipeline
from kg.nlp.rules import RuleRecognizer


@pytest.fixture(scope="module")
def rules_nlp() -> spacy.Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("kg_rules")
    return nlp


def ents(nlp: spacy.Language, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_gazetteer_has_exonyms_and_regions_but_not_stopwords() -> None:
    names = set(place_names())
    for name in ("Peking", "Kanton", "Nanking", "Nordrhein-Westfalen", "Jiangsu", "Bergisches Land", "Ruhrgebiet", "Chengdu"):
        assert name in names, name
    assert "Halle" not in names and "Hof" not in names


def test_places_and_organisations(rules_nlp: spacy.Language) -> None:
    found = ents(rules_nlp, "Die Kranich Präzisionstechnik GmbH aus Bielefeld eröffnet ein Büro in Kanton und kooperiert mit NRW.Invest.")
    assert ("Kranich Präzisionstechnik GmbH", "ORG") in found
    assert ("Bielefeld", "LOC") in found and ("Kanton", "LOC") in found
    assert ("NRW.Invest", "ORG") in found


def test_ministry_chamber_university(rules_nlp: spacy.Language) -> None:
    text = ("Das Ministerium für Umwelt, Verkehr und Bauen des Landes Sachsen sowie die IHK Ostwestfalen "
            "und die Universität Duisburg-Essen luden ein.")
    found = ents(rules_nlp, text)
    assert ("Ministerium für Umwelt, Verkehr und Bauen des Landes Sachsen", "ORG") in found
    assert ("IHK Ostwestfalen", "ORG") in found
    assert ("Universität Duisburg-Essen", "ORG") in found
    # a head word with a place unit, and the embassy of a country written without a space
    found = ents(rules_nlp, "Die Wirtschaftsförderung des Kreises Kleve und die Botschaft VRChina luden ein.")
    assert ("Wirtschaftsförderung des Kreises Kleve", "ORG") in found
    assert ("Botschaft VRChina", "ORG") in found


def test_person_patterns_strip_titles_and_find_chinese_names(rules_nlp: spacy.Language) -> None:
    found = ents(rules_nlp, "Staatssekretärin Dr. Karla Sonnleitner begrüßte Meilin GAO und LIU Jianguo in Düsseldorf.")
    assert ("Karla Sonnleitner", "PER") in found
    assert ("Meilin GAO", "PER") in found and ("LIU Jianguo", "PER") in found
    assert not any(text.startswith("Dr.") for text, _ in found)


def test_agreement_and_event_patterns(rules_nlp: spacy.Language) -> None:
    text = ("Auf dem 7. Deutsch-Chinesischen Logistikforum unterzeichneten beide eine Absichtserklärung über "
            "die technologische Zusammenarbeit und gründeten die Sino-Deutsche Wasserstoff-Allianz.")
    found = ents(rules_nlp, text)
    assert ("7. Deutsch-Chinesischen Logistikforum", "EVENT") in found
    assert ("Absichtserklärung über die technologische Zusammenarbeit", "AGREEMENT") in found
    assert ("Sino-Deutsche Wasserstoff-Allianz", "AGREEMENT") in found
    # an English event name goes on after "for" / "on"
    found = ents(rules_nlp, "Er sprach auf dem Sino-German Forum for Smart Logistics in Shenyang.")
    assert ("Sino-German Forum for Smart Logistics", "EVENT") in found


def test_fill_policy_keeps_existing_entities() -> None:
    nlp = spacy.blank("de")
    rules = RuleRecognizer(nlp, overwrite_ents=False)
    doc = nlp.make_doc("Besuch in Peking heute")
    doc.ents = [spacy.tokens.Span(doc, 2, 3, label="ORG")]
    assert [(e.text, e.label_) for e in rules(doc).ents] == [("Peking", "ORG")]
    doc = nlp.make_doc("Besuch in Peking heute")
    doc.ents = [spacy.tokens.Span(doc, 2, 3, label="ORG")]
    rules.overwrite_ents = True
    assert [(e.text, e.label_) for e in rules(doc).ents] == [("Peking", "LOC")]


def test_load_pipeline_finds_per_org_loc_in_invented_sentence() -> None:
    nlp = load_pipeline()
    assert "sentencizer" in nlp.pipe_names and "kg_rules" in nlp.pipe_names
    doc = nlp("Geschäftsführerin Annegret Vollmer von der Lindholm Antriebstechnik AG reiste mit "
              "Bürgermeister Tobias Brenner nach Chongqing.")
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("Annegret Vollmer", "PER") in labels
    assert ("Lindholm Antriebstechnik AG", "ORG") in labels
    assert ("Chongqing", "LOC") in labels
    assert len(list(doc.sents)) >= 1


def test_consistency_labels_acronyms_and_surnames() -> None:
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    nlp.add_pipe("kg_consistency")
    doc = nlp.make_doc("Die Ostfriesische Hafenagentur ( OHA ) und Jonas Brettschneider . Später sagte Brettschneider , die OHA wachse .")
    doc.ents = [Span(doc, 1, 3, label="ORG"), Span(doc, 7, 9, label="PER")]
    found = [(e.text, e.label_) for e in nlp.get_pipe("kg_consistency")(doc).ents]
    assert found == [("Ostfriesische Hafenagentur", "ORG"), ("OHA", "ORG"), ("Jonas Brettschneider", "PER"),
                     ("Brettschneider", "PER"), ("OHA", "ORG")]


def test_consistency_trims_role_words_off_spans() -> None:
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    doc = nlp.make_doc("Die Lindholm Werke Geschäftsführerin sprach .")
    doc.ents = [Span(doc, 1, 4, label="ORG")]
    nlp.add_pipe("kg_consistency")
    assert [(e.text, e.label_) for e in nlp.get_pipe("kg_consistency")(doc).ents] == [("Lindholm Werke", "ORG")]


def test_consistency_splits_parenthesised_acronym_and_trailing_period() -> None:
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    doc = nlp.make_doc("Vorgestellt von der Ostfriesischen Hafenagentur (OHA) und der Technischen Hochschule.")
    doc.ents = [Span(doc, 3, 8, label="ORG"), Span(doc, 10, 13, label="ORG")]
    nlp.add_pipe("kg_consistency")
    found = [(e.text, e.label_) for e in nlp.get_pipe("kg_consistency")(doc).ents]
    assert found == [("Ostfriesischen Hafenagentur", "ORG"), ("OHA", "ORG"), ("Technischen Hochschule", "ORG")]


def test_bare_head_words_need_a_name_attached(rules_nlp: spacy.Language) -> None:
    found = ents(rules_nlp, "Die Kommission für Verkehr und Bauen der Provinz Hainan traf den Magistrat von Bielefeld.")
    assert ("Kommission für Verkehr und Bauen der Provinz Hainan", "ORG") in found
    assert ("Magistrat von Bielefeld", "ORG") in found
    generic = ents(rules_nlp, "Eine Gruppe von Unternehmen besuchte das Zentrum der Stadt und das Zentrum für Norddeutschland.")
    assert not any(label == "ORG" for _, label in generic), generic


def test_place_descriptor_and_role_word_are_not_part_of_names(rules_nlp: spacy.Language) -> None:
    found = ents(rules_nlp, "In der Partner-Provinz Wulanshan sprach der damaligen Ministerpräsidenten Ottokar Lindqvist.")
    assert ("Wulanshan", "LOC") in found
    assert ("Ottokar Lindqvist", "PER") in found


def test_policy_legal_forms_replace_and_longer_model_names_stay() -> None:
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    rules = RuleRecognizer(nlp)
    doc = nlp.make_doc("Die Kranich Optics ( Jiangsu ) Co. , Ltd . und Niedersachsens Vertreter")
    doc.ents = [Span(doc, 1, 3, label="PER"), Span(doc, 4, 5, label="LOC"), Span(doc, 12, 13, label="PER")]
    found = [(e.text, e.label_) for e in rules(doc).ents]
    assert ("Kranich Optics ( Jiangsu ) Co. , Ltd .", "ORG") in found  # legal form wins over model spans
    assert ("Niedersachsens", "LOC") in found  # a gazetteer place is not a person
    doc = nlp.make_doc("Professor Lo Chung-wai sprach")
    doc.ents = [Span(doc, 1, 3, label="PER")]
    assert [(e.text, e.label_) for e in rules(doc).ents] == [("Lo Chung-wai", "PER")]  # the longer model span stays


def test_consistency_splits_coordinations_and_paragraphs() -> None:
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    nlp.add_pipe("kg_consistency")
    doc = nlp.make_doc("Die Agentur für Bauen und das Institut für Wasser luden die Handelskammer Nordstadt\n\nDanach")
    doc.ents = [Span(doc, 1, 9, label="ORG"), Span(doc, 11, 15, label="ORG")]
    found = [(e.text, e.label_) for e in nlp.get_pipe("kg_consistency")(doc).ents]
    assert found == [("Agentur für Bauen", "ORG"), ("Institut für Wasser", "ORG"), ("Handelskammer Nordstadt", "ORG")]


def test_tokenizer_splits_hyphen_after_acronym_only() -> None:
    from kg.nlp.convert import customize_tokenizer

    nlp = customize_tokenizer(spacy.blank("de"))
    assert [t.text for t in nlp("NRW-Ministerin")] == ["NRW", "-", "Ministerin"]
    assert [t.text for t in nlp("Baden-Württemberg")] == ["Baden-Württemberg"]
    assert [t.text for t in nlp("E-Mail")] == ["E-Mail"]
    customize_tokenizer(nlp)  # idempotent
    assert [t.text for t in nlp("IBS-Leiterin")] == ["IBS", "-", "Leiterin"]
