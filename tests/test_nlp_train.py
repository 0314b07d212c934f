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


def test_synthetic_documents_are_trained_on_but_never_picked_as_dev(tmp_path: Path) -> None:
    annotations = _write_annotations(tmp_path)
    synthetic = tmp_path / "synthetic.jsonl"
    lines = annotations.read_text(encoding="utf-8").splitlines()
    synthetic.write_text("\n".join(line.replace('"de_9', '"synth_9') for line in lines), encoding="utf-8")
    settings = training.TrainSettings(
        annotations=[annotations], synthetic=[synthetic], synthetic_upsample=3, limit=5, output=tmp_path / "m"
    )
    with_synthetic = training.prepare_corpus(settings, tmp_path / "with")
    without = training.prepare_corpus(
        training.TrainSettings(annotations=[annotations], synthetic=[], limit=5, output=tmp_path / "m"),
        tmp_path / "without",
    )
    assert with_synthetic["synthetic_train_documents"] == 5 and without["synthetic_train_documents"] == 0
    assert with_synthetic["annotation_dev_documents"] == without["annotation_dev_documents"]
    assert not any(d.startswith("synth") for d in with_synthetic["annotation_dev_documents"])
    # two lines per document, three copies of five documents
    assert with_synthetic["train_docs"] - without["train_docs"] == 5 * 2 * 3
