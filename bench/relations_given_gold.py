"""Measure relation extraction and identity on *gold entity spans*.

Isolates the relation/identity components from NER quality: each gold
document becomes a Doc whose ents are the gold mentions, then kg_coref and
kg_relations run, then kg.identity.resolve_corpus. Prints relation
precision/recall/F1 (triples compared by gold canonical names, and by our own
canonical names) per type, and B-cubed F1 of our identity clusters.

    python bench/relations_given_gold.py /work/shared/gold/seeds.jsonl [--show]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.tokens import Doc

import kg.nlp.coref  # noqa: F401
import kg.nlp.relations  # noqa: F401
import kg.nlp.sentences  # noqa: F401
from kg.identity import resolve_corpus
from kg.nlp.convert import doc_with_exact_spans
from kg.records import SYMMETRIC_RELATIONS, Extraction, Mention, Relation


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.3f} R={r:.3f} F1={f:.3f} (tp={tp} fp={fp} fn={fn})"


def gold_doc(nlp, text: str, entities: list[dict]) -> Doc:
    return doc_with_exact_spans(nlp, text, [(e["start"], e["end"], e["label"]) for e in entities])


def triples(record: Extraction, names: dict[str, str]) -> set[tuple]:
    out = set()
    for r in record.relations:
        h, t = names.get(r.head), names.get(r.tail)
        if h is None or t is None:
            continue
        if r.type in SYMMETRIC_RELATIONS:
            h, t = sorted((h, t))
        out.add((h, r.type, t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    nlp = spacy.blank("de")
    sentencizer = nlp.add_pipe("sentencizer")
    sentences = nlp.add_pipe("kg_sentences")
    coref = nlp.add_pipe("kg_coref")
    rels = nlp.add_pipe("kg_relations")
    golds = [Extraction.from_json(json.loads(line)) for line in args.gold.open() if line.strip()]
    preds: list[Extraction] = []
    for g in golds:
        doc = gold_doc(nlp, g.text, [m.to_json() for m in g.entities])
        for pipe in (sentencizer, sentences, coref, rels):
            doc = pipe(doc)
        mentions = [Mention(f"m{k}", e.start_char, e.end_char, e.label_, e.text, e._.canonical or e.text) for k, e in enumerate(doc.ents)]
        ids = {(e.start_char, e.end_char): f"m{k}" for k, e in enumerate(doc.ents)}
        relations = [
            Relation(r.type, ids[(r.head.start_char, r.head.end_char)], ids[(r.tail.start_char, r.tail.end_char)], r.role, r.sentence.start_char, r.sentence.end_char)
            for r in doc._.relations
        ]
        preds.append(Extraction(g.doc_id, g.text, mentions, relations))
    resolved, table = resolve_corpus(preds)

    tp = fp = fn = 0
    tp2 = fp2 = fn2 = 0
    per_type: dict[str, Counter] = defaultdict(Counter)
    for g, p in zip(golds, resolved):
        gold_names = {m.id: m.entity for m in g.entities}
        by_span = {(m.start, m.end): m.entity for m in g.entities}
        pred_gold_names = {m.id: by_span[(m.start, m.end)] for m in p.entities}
        gt = triples(g, gold_names)
        pt = triples(p, pred_gold_names)
        # own names: map gold triples through span -> our name
        ours = {(m.start, m.end): m.entity for m in p.entities}
        gold_ours = triples(g, {m.id: ours.get((m.start, m.end), m.entity) for m in g.entities})
        pt2 = triples(p, {m.id: m.entity for m in p.entities})
        tp += len(gt & pt); fp += len(pt - gt); fn += len(gt - pt)
        tp2 += len(gold_ours & pt2); fp2 += len(pt2 - gold_ours); fn2 += len(gold_ours - pt2)
        for t in gt & pt:
            per_type[t[1]]["tp"] += 1
        for t in pt - gt:
            per_type[t[1]]["fp"] += 1
        for t in gt - pt:
            per_type[t[1]]["fn"] += 1
        if args.show:
            for t in sorted(pt - gt):
                print(g.doc_id, "FP", t)
            for t in sorted(gt - pt):
                print(g.doc_id, "FN", t)

    from kg.evaluate import evaluate

    official = evaluate(golds, resolved)
    rm = official.relations_micro
    print(f"kg.evaluate on gold spans         : relations P={rm.precision:.3f} R={rm.recall:.3f} F1={rm.f1:.3f}"
          f"  B-cubed F1={official.bcubed.f1:.3f}")
    for t, c in official.relations.items():  # the official per-type figures: our canonical names count
        print(f"  {t:13s}", prf(c.tp, c.fp, c.fn))
    print("diagnostics (relation triples compared by GOLD names, i.e. without naming errors):")
    print("relations, gold spans, gold names :", prf(tp, fp, fn))
    print("relations, gold spans, our names  :", prf(tp2, fp2, fn2))
    for t, c in sorted(per_type.items()):
        print(f"  {t:13s}", prf(c["tp"], c["fp"], c["fn"]))

    # B-cubed over gold mentions: system cluster = (label, our resolved name)
    items = []
    for g, p in zip(golds, resolved):
        ours = {(m.start, m.end): (m.label, m.entity) for m in p.entities}
        for m in g.entities:
            items.append(((m.label, m.entity), ours.get((m.start, m.end), ("?", f"{g.doc_id}:{m.start}"))))
    by_gold: dict = defaultdict(list)
    by_sys: dict = defaultdict(list)
    for k, (gk, sk) in enumerate(items):
        by_gold[gk].append(k)
        by_sys[sk].append(k)
    P = R = 0.0
    for gk, sk in items:
        gs, ss = set(by_gold[gk]), set(by_sys[sk])
        inter = len(gs & ss)
        P += inter / len(ss)
        R += inter / len(gs)
    P /= len(items); R /= len(items)
    print(f"B-cubed (gold spans): P={P:.3f} R={R:.3f} F1={2*P*R/(P+R):.3f}")
    if args.show:
        wrong = Counter()
        for gk, sk in items:
            if gk[1] != sk[1]:
                wrong[(gk[1], sk[1])] += 1
        for (a, b), n in wrong.most_common(40):
            print(f"  name gold={a!r} ours={b!r} x{n}")


if __name__ == "__main__":
    main()
