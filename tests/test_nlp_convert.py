"""Dataset converters on tiny invented samples of each format."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import spacy

from kg.nlp import convert

GERMEVAL = (
    "#\thttp://example.org/a\t[2010-01-01]\n"
    "1\tAnna\tB-PER\tO\n2\tMeier\tI-PER\tO\n3\tbesucht\tO\tO\n4\tden\tO\tO\n5\tFC\tB-ORG\tO\n"
    "6\tKöln\tI-ORG\tB-LOC\n7\tund\tO\tO\n8\tdeutsche\tB-LOCderiv\tO\n9\tEU-Gipfel\tB-ORGpart\tO\n10\t.\tO\tO\n\n"
    "#\thttp://example.org/b\t[2010-01-02]\n"
    "1\tIn\tO\tO\n2\tBonn\tB-LOC\tO\n3\tregnet\tO\tO\n4\tes\tO\tO\n\n"
)

MOBIE = (
    "-DOCSTART- -1- O O\n\n"
    "Stau\tNN\tI-NN\tB-trigger\nauf\tAPPR\tI-AP\tO\nder\tART\tI-AR\tO\nA3\tNE\tI-NE\tB-location-route\n"
    "bei\tAPPR\tI-AP\tO\nKöln\tNE\tI-NE\tB-location-city\n,\t$,\tI-$,\tO\nmeldet\tVVFIN\tI-VV\tO\n"
    "die\tART\tI-AR\tO\nDeutsche\tNE\tI-NE\tB-organization-company\nBahn\tNE\tI-NE\tI-organization-company\n\n"
)


def _smartdata_object(text: str, mentions: list[tuple[int, int, str]]) -> dict:
    return {
        "id": "x@1",
        "text": {"string": text},
        "conceptMentions": {"array": [
            {"id": f"c/{n}", "span": {"start": s, "end": e, "attributes": None}, "type": t,
             "normalizedValue": None, "refids": None}
            for n, (s, e, t) in enumerate(mentions)
        ]},
    }


def test_germeval_maps_outer_tags_and_drops_deriv_part(tmp_path: Path) -> None:
    path = tmp_path / "ge.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    sentences = list(convert.read_germeval(path))
    assert len(sentences) == 2
    assert sentences[0].tags == ["B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O"]
    assert sentences[1].tags == ["O", "B-LOC", "O", "O"]
    doc = convert.sentence_to_doc(spacy.blank("de"), sentences[0])
    assert [(e.text, e.label_) for e in doc.ents] == [("Anna Meier", "PER"), ("FC Köln", "ORG")]


def test_mobie_routes_are_unannotated(tmp_path: Path) -> None:
    path = tmp_path / "train.conll2003.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(MOBIE)
    (sentence,) = list(convert.read_conll(path))
    doc = convert.sentence_to_doc(spacy.blank("de"), sentence)
    assert [(e.text, e.label_) for e in doc.ents] == [("Köln", "LOC"), ("Deutsche Bahn", "ORG")]
    assert doc[3].text == "A3" and doc[3].ent_iob_ == ""  # missing, not O
    assert doc[0].ent_iob_ == "O"  # trigger -> O


def test_smartdata_utf16_offsets(tmp_path: Path) -> None:
    text = "Super 😀 Tag: Siemens baut in München."
    # UTF-16 offsets: the emoji takes two code units, so everything after it shifts by one.
    start_siemens = text.index("Siemens") + 1
    start_muenchen = text.index("München") + 1
    objs = [_smartdata_object(text, [(start_siemens, start_siemens + 7, "organization-company"),
                                     (start_muenchen, start_muenchen + 7, "location-city"),
                                     (0, 5, "date")])]
    raw = "\n".join(json.dumps(o, indent=2, ensure_ascii=False) for o in objs * 2)
    path = tmp_path / "train.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(raw)
    items = list(convert.read_smartdata(path))
    assert len(items) == 2
    spans = [(text[s:e], label) for s, e, label in items[0].spans]
    assert spans == [("Siemens", "ORG"), ("München", "LOC")]
    doc = convert.textdoc_to_doc(spacy.blank("de"), items[0])
    assert [(e.text, e.label_) for e in doc.ents] == [("Siemens", "ORG"), ("München", "LOC")]


def test_smartdata_bad_json_names_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "a", "text": {"string": "x"}} {"id": ', encoding="utf-8")
    with pytest.raises(convert.ConvertError, match="broken.json"):
        list(convert.read_smartdata(path))


def test_annotations_skip_gold_documents(tmp_path: Path) -> None:
    path = tmp_path / "ann.jsonl"
    records = [
        {"doc_id": "de_013", "text": "Gold Text", "entities": [], "relations": []},
        {"doc_id": "de_999", "text": "Die Allianz in Jiangsu.",
         "entities": [{"id": "m1", "start": 15, "end": 22, "label": "LOC", "text": "Jiangsu", "entity": "Jiangsu"}],
         "relations": []},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    items = list(convert.read_gold_jsonl(path))
    assert [i.doc_id for i in items] == ["de_999"]
    doc = convert.textdoc_to_doc(spacy.blank("de"), items[0])
    assert [(e.text, e.label_) for e in doc.ents] == [("Jiangsu", "LOC")]


def test_sentences_to_gold_jsonl_is_scorable(tmp_path: Path) -> None:
    from kg.evaluate import load_records

    source = tmp_path / "ge.tsv"
    source.write_text(GERMEVAL, encoding="utf-8")
    out = tmp_path / "ge.jsonl"
    assert convert.sentences_to_gold_jsonl(convert.read_germeval(source), out, prefix="ge", per_doc=10) == 1
    (record,) = load_records(out)
    assert [(m.text, m.label) for m in record.entities] == [("Anna Meier", "PER"), ("FC Köln", "ORG"), ("Bonn", "LOC")]
    assert all(record.text[m.start:m.end] == m.text for m in record.entities)


def test_docbin_round_trip(tmp_path: Path) -> None:
    nlp = spacy.blank("de")
    source = tmp_path / "ge.tsv"
    source.write_text(GERMEVAL, encoding="utf-8")
    docs = list(convert.sentences_to_docs(nlp, convert.read_germeval(source), per_doc=10))
    assert convert.write_docbin(docs, tmp_path / "x.spacy") == 1
    (doc,) = list(spacy.tokens.DocBin().from_disk(tmp_path / "x.spacy").get_docs(nlp.vocab))
    assert [e.label_ for e in doc.ents] == ["PER", "ORG", "LOC"]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(convert.ConvertError, match="nope.tsv: no such file"):
        list(convert.read_germeval(tmp_path / "nope.tsv"))
