"""Loading the kg spaCy pipeline (first version: blank German + sentencizer)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import kg.nlp.coref  # noqa: F401  (registers the kg_coref factory)
import kg.nlp.relations  # noqa: F401  (registers the kg_relations factory)


def load_pipeline(model_path: Path | None = None) -> Language:
    """Return a working German pipeline: model (if any), rules, identity, relations."""
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_coref")
    nlp.add_pipe("kg_relations")
    return nlp
