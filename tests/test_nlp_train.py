"""A tiny training run through the real code path (spaCy's trainer, our config and converters)."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from kg.nlp import train as training


def _write_annotations(tmp_path: Path) -> Path:
    annotations = tmp_path / "ann.jsonl"
    text = "Die Nordlicht Robotik GmbH eröffnet ein Büro in Wuhan.\nAnna Berg leitet das Büro in Wuhan."
    ents = [(4, 26, "ORG"), (48, 53, "LOC"), (55, 64, "PER"), (84, 89, "LOC")]
    assert [text[s:e] for s, e, _ in ents] == ["Nordlicht Robotik GmbH", "Wuhan", "Anna Berg", "Wuhan"]
    records = [
        {"doc_id": f"de_9{n:02d}", "text": text, "relations": [],
         "entities": [{"id": f"m{i}", "start": s, "end": e, "label": lab, "text": text[s:e], "entity": text[s:e]}
                      for i, (s, e, lab) in enumerate(ents)]}
        for n in range(5)
    ]
    annotations.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return annotations


def test_tiny_training_run_writes_a_loadable_model(tmp_path: Path) -> None:
    annotations = _write_annotations(tmp_path)
    settings = training.TrainSettings(
        annotations=[annotations], output=tmp_path / "model", limit=20, max_steps=4, eval_frequency=2, upsample=1
    )
    out = training.train(settings)
    stats = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert stats["germeval_test_sentences"] == 20 and stats["smartdata_train_documents"] == 20
    assert len(stats["annotation_dev_documents"]) == 1 and len(stats["annotation_train_documents"]) == 4
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert set(nlp.get_pipe("ner").labels) >= {"PER", "ORG", "LOC"}
    assert (out / "heldout.jsonl").is_file() and (out / "README.md").is_file()
    assert not (tmp_path / "model-work").exists()


def test_training_is_reproducible(tmp_path: Path) -> None:
    annotations = _write_annotations(tmp_path)
    weights = []
    for run in ("a", "b"):
        settings = training.TrainSettings(
            annotations=[annotations], output=tmp_path / run, limit=10, max_steps=3, eval_frequency=3, upsample=1
        )
        out = training.train(settings)
        weights.append((out / "ner" / "model").read_bytes() + (out / "tok2vec" / "model").read_bytes())
    assert weights[0] == weights[1]
