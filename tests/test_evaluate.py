"""The scorer on small hand-made cases whose answers were worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate import EvalInputError, bcubed, evaluate, format_result, load_records, normalise_name
from kg.records import Extraction, Mention, Relation

TEXT = "Dr. Hanno Rademacher traf ZHU Wenlong in Wuppertal. Die BSW und die CIIPA kooperieren."


def m(mid: str, surface: str, label: str, entity: str | None = None, text: str = TEXT, occurrence: int = 0) -> Mention:
    """A mention of the n-th occurrence of `surface` in `text` (offsets computed, not typed)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Mention(mid, start, start + len(surface), label, surface, entity or surface)


def doc(entities: list[Mention], relations: list[Relation] | None = None, doc_id: str = "d1", text: str = TEXT) -> Extraction:
    return Extraction(doc_id=doc_id, text=text, entities=entities, relations=relations or [])


def approx(x: float | None) -> pytest.approx:
    return pytest.approx(x)


# --------------------------------------------------------------------------- normalisation


def test_normalise_name_titles_case_whitespace_and_person_order():
    assert normalise_name("Prof. Dr. Andreas Pinkwart", "PER") == normalise_name("Andreas  Pinkwart", "PER")
    assert normalise_name("Dr.-Ing. Hans Meier", "PER") == "hans meier"
    assert normalise_name("ZHU Wenlong", "PER") == normalise_name("Wenlong Zhu", "PER")
    assert normalise_name("Herr Wenlong ZHU", "PER") == normalise_name("zhu wenlong", "PER")
    # word order only counts as equal for persons
    assert normalise_name("Bank Deutsche", "ORG") != normalise_name("Deutsche Bank", "ORG")
    assert normalise_name(" China  Competence\nCenter ", "ORG") == "china competence center"
    # a title is never the whole name, and only leading titles go
    assert normalise_name("Dr.", "PER") == "dr."
    assert normalise_name("Haus Dr. Weber", "ORG") == "haus dr. weber"


# --------------------------------------------------------------------------- mentions and entities


def test_mentions_partial_overlap_and_wrong_label():
    gold = doc([m("g1", "Hanno Rademacher", "PER"), m("g2", "ZHU Wenlong", "PER", "Wenlong Zhu"), m("g3", "Wuppertal", "LOC")])
    pred = doc(
        [
            m("p1", "Hanno Rademacher", "PER", "Dr. Hanno Rademacher"),  # exact: tp
            m("p2", "ZHU", "PER", "Zhu"),  # partial overlap: fp for PER, g2 fn
            m("p3", "Wuppertal", "ORG"),  # right span, wrong label: fp ORG, fn LOC
        ]
    )
    r = evaluate([gold], [pred])
    per, loc, org = r.mentions["PER"], r.mentions["LOC"], r.mentions["ORG"]
    assert (per.tp, per.fp, per.fn) == (1, 1, 1)
    assert per.precision == approx(0.5) and per.recall == approx(0.5) and per.f1 == approx(0.5)
    assert (loc.tp, loc.fp, loc.fn) == (0, 0, 1) and loc.precision is None and loc.recall == 0 and loc.f1 == 0
    assert (org.tp, org.fp, org.fn) == (0, 1, 0) and org.precision == 0 and org.recall is None and org.f1 == 0
    micro = r.mentions_micro
    assert (micro.tp, micro.fp, micro.fn) == (1, 2, 2)
    assert micro.precision == approx(1 / 3) and micro.recall == approx(1 / 3) and micro.f1 == approx(1 / 3)
    # entities: the title is normalised away, so Rademacher matches; the rest does not
    e = r.entities_micro
    assert (e.tp, e.fp, e.fn) == (1, 2, 2)
    assert r.entities["PER"].tp == 1 and r.entities["ORG"].fp == 1 and r.entities["LOC"].fn == 1


def test_entities_are_sets_per_document_with_person_order_ignored():
    text = "ZHU Wenlong und Wenlong Zhu sind eine Person; BSW ist die BSW."
    gold = doc(
        [
            m("g1", "ZHU Wenlong", "PER", "Wenlong Zhu", text),
            m("g2", "Wenlong Zhu", "PER", "Wenlong Zhu", text),
            m("g3", "BSW", "ORG", "Bergische Struktur- und Wirtschaftsförderungsgesellschaft", text),
            m("g4", "BSW", "ORG", "Bergische Struktur- und Wirtschaftsförderungsgesellschaft", text, occurrence=1),
        ],
        text=text,
    )
    pred = doc(
        [
            m("p1", "ZHU Wenlong", "PER", "ZHU Wenlong", text),  # same person, other order and case
            m("p3", "BSW", "ORG", "BSW", text),  # acronym not expanded: wrong canonical name
        ],
        text=text,
    )
    r = evaluate([gold], [pred])
    assert (r.entities["PER"].tp, r.entities["PER"].fp, r.entities["PER"].fn) == (1, 0, 0)
    assert (r.entities["ORG"].tp, r.entities["ORG"].fp, r.entities["ORG"].fn) == (0, 1, 1)
    assert r.entities_micro.f1 == approx(2 * 1 / (2 * 1 + 1 + 1))
    # mentions: 2 of 4 gold spans found, both predictions right
    assert r.mentions_micro.precision == approx(1.0) and r.mentions_micro.recall == approx(0.5)


def test_missing_document_counts_as_empty_and_extra_is_ignored():
    gold = [doc([m("g1", "Wuppertal", "LOC")], doc_id="a"), doc([m("g1", "Wuppertal", "LOC")], doc_id="b")]
    pred = [doc([m("p1", "Wuppertal", "LOC")], doc_id="a"), doc([m("p1", "CIIPA", "ORG")], doc_id="zzz")]
    r = evaluate(gold, pred)
    assert r.missing_docs == ["b"] and r.extra_docs == ["zzz"]
    loc = r.mentions["LOC"]
    assert (loc.tp, loc.fp, loc.fn) == (1, 0, 1)
    assert r.mentions["ORG"].fp == 0  # the extra document is not scored
    assert "no prediction for 1 gold document" in format_result(r)


def test_labels_restrict_both_sides():
    gold = doc([m("g1", "Hanno Rademacher", "PER"), m("g2", "Wuppertal", "LOC")], [Relation("AFFILIATED", "g1", "g2")])
    pred = doc([m("p1", "Hanno Rademacher", "PER"), m("p2", "BSW", "ORG"), m("p3", "CIIPA", "AGREEMENT")])
    full = evaluate([gold], [pred])
    assert (full.mentions_micro.tp, full.mentions_micro.fp, full.mentions_micro.fn) == (1, 2, 1)
    only = evaluate([gold], [pred], labels=["PER", "ORG"])
    assert (only.mentions_micro.tp, only.mentions_micro.fp, only.mentions_micro.fn) == (1, 1, 0)
    assert set(only.mentions) == {"PER", "ORG"} and only.labels == ["PER", "ORG"]
    assert only.relations_micro.fn == 0  # the relation to the dropped LOC goes too
    assert only.bcubed.mentions == 1
    assert "scoring only labels PER, ORG" in format_result(only)


def test_different_text_is_an_error():
    with pytest.raises(EvalInputError, match="offset 0"):
        evaluate([doc([])], [doc([], text="X" + TEXT[1:])])


# --------------------------------------------------------------------------- relations


def _rel_doc(relations: list[Relation], entities: list[Mention] | None = None) -> Extraction:
    ents = entities or [
        m("a", "Hanno Rademacher", "PER"),
        m("b", "ZHU Wenlong", "PER", "Wenlong Zhu"),
        m("c", "BSW", "ORG", "Bergische Struktur- und Wirtschaftsförderungsgesellschaft"),
        m("d", "CIIPA", "ORG", "China International Investment Promotion Agency"),
        m("e", "Wuppertal", "LOC"),
    ]
    return doc(ents, relations)


def test_relations_symmetric_pairs_direction_and_role_ignored():
    gold = _rel_doc(
        [
            Relation("MET", "a", "b"),
            Relation("COOPERATES", "c", "d"),
            Relation("ROLE", "a", "c", "Geschäftsführer"),
            Relation("LOCATED_IN", "c", "e"),
        ]
    )
    pred = _rel_doc(
        [
            Relation("MET", "b", "a"),  # symmetric: same pair reversed -> tp
            Relation("COOPERATES", "d", "c"),  # symmetric -> tp
            Relation("ROLE", "a", "c", "Leiter"),  # role word differs -> still tp
            Relation("LOCATED_IN", "e", "c"),  # directed type reversed -> fp and fn
            Relation("PART_OF", "d", "c"),  # not in gold -> fp
        ]
    )
    r = evaluate([gold], [pred])
    assert (r.relations["MET"].tp, r.relations["MET"].fp, r.relations["MET"].fn) == (1, 0, 0)
    assert r.relations["COOPERATES"].tp == 1 and r.relations["ROLE"].tp == 1
    assert (r.relations["LOCATED_IN"].tp, r.relations["LOCATED_IN"].fp, r.relations["LOCATED_IN"].fn) == (0, 1, 1)
    assert (r.relations["PART_OF"].fp, r.relations["PART_OF"].fn) == (1, 0)
    micro = r.relations_micro
    assert (micro.tp, micro.fp, micro.fn) == (3, 2, 1)
    assert micro.precision == approx(3 / 5) and micro.recall == approx(3 / 4)
    assert micro.f1 == approx(2 * 3 / (2 * 3 + 2 + 1))


def test_relations_compare_canonical_names_not_mentions():
    text = "Die Bergische Gesellschaft (BSW) und Wenlong ZHU: ZHU Wenlong leitet die BSW."
    ents_gold = [
        m("g1", "Bergische Gesellschaft", "ORG", "Bergische Gesellschaft", text),
        m("g2", "BSW", "ORG", "Bergische Gesellschaft", text),
        m("g3", "Wenlong ZHU", "PER", "Wenlong Zhu", text),
        m("g4", "ZHU Wenlong", "PER", "Wenlong Zhu", text),
        m("g5", "BSW", "ORG", "Bergische Gesellschaft", text, occurrence=1),
    ]
    gold = doc(ents_gold, [Relation("ROLE", "g4", "g5", "leitet")], text=text)
    # the prediction points at other mentions of the same entities, with a person name in other order
    ents_pred = [
        m("p1", "Bergische Gesellschaft", "ORG", "Bergische Gesellschaft", text),
        m("p3", "Wenlong ZHU", "PER", "ZHU Wenlong", text),
    ]
    pred = doc(ents_pred, [Relation("ROLE", "p3", "p1")], text=text)
    r = evaluate([gold], [pred])
    assert (r.relations["ROLE"].tp, r.relations["ROLE"].fp, r.relations["ROLE"].fn) == (1, 0, 0)


def test_relation_naming_unknown_mention_is_an_error():
    bad = _rel_doc([Relation("MET", "a", "nope")])
    with pytest.raises(EvalInputError, match="nope"):
        evaluate([_rel_doc([])], [bad])


# --------------------------------------------------------------------------- B-cubed


def test_bcubed_bagga_baldwin_example():
    # Bagga & Baldwin (1998), fig. 2: gold {1-5}, {6-7}, {8-12}; system merges the last two.
    gold = ["A"] * 5 + ["B"] * 2 + ["C"] * 5
    system = ["X"] * 5 + ["Y"] * 7
    precision, recall = bcubed(gold, system)
    # precision: 5 * 1 + 2 * 2/7 + 5 * 5/7 = 64/7, over 12 items
    assert precision == approx(64 / 84)
    assert recall == approx(1.0)
    # the mirror image: splitting costs recall only
    precision, recall = bcubed(system, gold)
    assert precision == approx(1.0) and recall == approx(64 / 84)
    assert bcubed([], []) == (None, None)


def test_bcubed_across_documents_with_unmatched_singleton():
    t1 = "Die Bergische Gesellschaft (BSW) in Wuppertal."
    t2 = "Die BSW lädt nach Wuppertal ein."
    canon = "Bergische Gesellschaft"
    gold = [
        doc([m("a", "Bergische Gesellschaft", "ORG", canon, t1), m("b", "BSW", "ORG", canon, t1)], doc_id="d1", text=t1),
        doc([m("c", "BSW", "ORG", canon, t2), m("d", "Wuppertal", "LOC", "Wuppertal", t2)], doc_id="d2", text=t2),
    ]
    # the system does not merge the acronym with its expansion, and misses "Wuppertal" in d2
    pred = [
        doc([m("p", "Bergische Gesellschaft", "ORG", canon, t1), m("q", "BSW", "ORG", "BSW", t1)], doc_id="d1", text=t1),
        doc([m("r", "BSW", "ORG", "BSW", t2)], doc_id="d2", text=t2),
    ]
    r = evaluate(gold, pred)
    # gold clusters {a,b,c} {d}; system {a} {b,c} {d: singleton}
    # precision: all system clusters pure -> 1; recall: a 1/3, b 2/3, c 2/3, d 1 -> (8/3)/4 = 2/3
    assert r.bcubed.mentions == 4 and r.bcubed.matched == 3
    assert r.bcubed.precision == approx(1.0)
    assert r.bcubed.recall == approx(2 / 3)
    assert r.bcubed.f1 == approx(0.8)


def test_bcubed_over_merging_costs_precision():
    t = "China und das China Competence Center."
    gold = [doc([m("a", "China", "LOC", "China", t), m("b", "China Competence Center", "ORG", text=t)], text=t)]
    pred = [doc([m("p", "China", "LOC", "China", t), m("q", "China Competence Center", "ORG", "China", t)], text=t)]
    r = evaluate(gold, pred)
    assert r.bcubed.precision == approx(0.5) and r.bcubed.recall == approx(1.0)
    assert r.bcubed.f1 == approx(2 / 3)


# --------------------------------------------------------------------------- files and output


def test_perfect_prediction_and_json_shape():
    gold = [_rel_doc([Relation("MET", "a", "b"), Relation("ROLE", "a", "c", "Leiter")])]
    r = evaluate(gold, gold)
    data = json.loads(json.dumps(r.to_dict()))
    assert data["mentions"]["micro"]["f1"] == 1.0 and data["entities"]["micro"]["f1"] == 1.0
    assert data["relations"]["micro"]["f1"] == 1.0 and data["bcubed"]["f1"] == 1.0
    assert data["relations"]["per_type"]["PART_OF"]["f1"] is None  # neither gold nor predicted
    assert set(data["mentions"]["per_label"]) >= {"PER", "ORG", "LOC", "AGREEMENT", "EVENT"}
    table = format_result(r)
    assert "B-cubed" in table and "PART_OF" not in table and "MET" in table


def test_load_records_errors_name_file_and_line(tmp_path: Path):
    good = json.dumps(_rel_doc([]).to_json(), ensure_ascii=False)
    cases = {
        "broken": (good + "\n{oops\n", ":2: not JSON"),
        "notext": ('{"doc_id": "x"}\n', ":1: missing field(s) text"),
        "offsets": (
            json.dumps({"doc_id": "x", "text": "abc", "entities": [{"id": "m1", "start": 1, "end": 9, "label": "ORG", "text": "bc"}]}),
            ":1: mention m1 has bad offsets",
        ),
        "surface": (
            json.dumps({"doc_id": "x", "text": "abc", "entities": [{"id": "m1", "start": 0, "end": 2, "label": "ORG", "text": "bc"}]}),
            ":1: mention m1: text[0:2]",
        ),
        "dup": (good + "\n" + good + "\n", ":2: doc_id 'd1' already on line 1"),
        "relation": (
            json.dumps({"doc_id": "x", "text": "abc", "entities": [], "relations": [{"type": "MET", "head": "m1", "tail": "m2"}]}),
            ":1: relation MET names no mention 'm1'",
        ),
        "empty": ("\n", ": no records"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / f"{name}.jsonl"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(EvalInputError) as info:
            load_records(path)
        assert str(info.value).startswith(str(path)), name
        assert expected in str(info.value), (name, str(info.value))
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"doc_id": "ä"}'.encode("latin-1"))
    with pytest.raises(EvalInputError, match="UTF-8"):
        load_records(latin)
    with pytest.raises(EvalInputError, match="cannot read"):
        load_records(tmp_path / "missing.jsonl")
