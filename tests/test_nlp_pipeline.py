"""The shipped model and the documented order of components."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.nlp.pipeline import MODEL_DIR, load_pipeline


def test_shipped_model_is_loaded_with_rules_after_ner() -> None:
    assert (MODEL_DIR / "meta.json").is_file(), "no trained model shipped in kg/nlp/model"
    nlp = load_pipeline()
    names = nlp.pipe_names
    assert names.index("ner") < names.index("kg_rules") < names.index("kg_consistency")
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "AGREEMENT", "EVENT"}


def test_model_alone_finds_entities_in_invented_text() -> None:
    nlp = load_pipeline(rules=False, consistency=False, downstream=False)
    doc = nlp("Die Vorstandsvorsitzende der Hellwig Logistik GmbH, Katharina Oberländer, eröffnete in Shenzhen eine Niederlassung.")
    labels = {e.label_ for e in doc.ents}
    assert {"PER", "LOC"} <= labels


def test_missing_model_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no spaCy model here"):
        load_pipeline(tmp_path / "nothing")
